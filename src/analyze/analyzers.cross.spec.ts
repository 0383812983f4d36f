import { describeCode, row, svc, wl } from './analyze-test-kit';

// Trigger / near-miss tables for MR0006 and MR0007, each run through analyzeRegistry and analyzeWrite.

const at = (name: string, address: string | undefined, network?: string, ns?: string) =>
  wl(name, 'web', { address, ...(network ? { network } : {}) }, ns);

describe('duplicate addresses', () => {
  const a = at('a', '10.0.0.1');
  describeCode('MR0006', [
    row('same IP, no network on either', a, [at('b', '10.0.0.1')], true),
    row('same IP and network across namespaces', at('a', '10.0.0.1', 'n1'), [at('b', '10.0.0.1', 'n1', 'other')], true),
    row('IPv6 spelled differently', at('a', '2001:DB8:0:0::1'), [at('b', '2001:db8::1')], true),
    row('FQDN differing in case and trailing dot', at('a', 'VM1.corp.net'), [at('b', 'vm1.corp.net.')], true),
    row('three entries form one group', a, [at('b', '10.0.0.1'), at('c', '10.0.0.1')], true),
    row('near miss: different addresses', a, [at('b', '10.0.0.2')], false),
    row('near miss: same IP on different networks', at('a', '10.0.0.1', 'n1'), [at('b', '10.0.0.1', 'n2')], false),
    row('near miss: network set on one only', at('a', '10.0.0.1', 'n1'), [at('b', '10.0.0.1')], false),
    row('near miss: same unix socket path (local to each VM)', at('a', 'unix:///run/app.sock'), [at('b', 'unix:///run/app.sock')], false),
    row('near miss: network-only entries on one network', at('a', undefined, 'n1'), [at('b', undefined, 'n1')], false),
    row('near miss: its own stored version', a, [], false),
  ]);
});

describe('conflicting port protocols', () => {
  const h = 'api.example.com';
  const http = svc('a', h, 'HTTP');
  describeCode('MR0007', [
    row('HTTP vs TCP, both exported everywhere', http, [svc('b', h, 'TCP')], true),
    row('unset protocol is its own value', http, [svc('b', h, undefined)], true),
    row('hosts compare case-insensitively', http, [svc('b', 'API.example.com', 'TCP')], true),
    row('across namespaces, "*" and a list', http, [svc('b', h, 'TCP', { exportTo: ['x'] }, 'other')], true),
    row('"." of one names the other\'s list', svc('a', h, 'HTTP', { exportTo: ['.'] }, 'ns1'), [svc('b', h, 'TCP', { exportTo: ['ns1'] }, 'ns2')], true),
    row('two lists sharing a namespace', svc('a', h, 'HTTP', { exportTo: ['ns3'] }, 'ns1'), [svc('b', h, 'GRPC', { exportTo: ['.', 'ns3'] }, 'ns2')], true),
    row('same namespace, both "."', svc('a', h, 'HTTP', { exportTo: ['.'] }), [svc('b', h, 'TCP', { exportTo: ['.'] })], true),
    row('one of several shared hosts and ports', svc('a', h, 'HTTP', { hosts: ['x.com', h], ports: [{ number: 81, name: 'x' }, { number: 80, name: 'p', protocol: 'HTTP' }] }), [svc('b', h, 'TLS')], true),
    row('near miss: protocols differ only in case', http, [svc('b', h, 'http')], false),
    row('near miss: different port numbers', http, [svc('b', h, 'TCP', { ports: [{ number: 81, name: 'p', protocol: 'TCP' }] })], false),
    row('near miss: a wildcard host is not the same host', http, [svc('b', '*.example.com', 'TCP')], false),
    row('near miss: each "." in its own namespace', svc('a', h, 'HTTP', { exportTo: ['.'] }, 'ns1'), [svc('b', h, 'TCP', { exportTo: ['.'] }, 'ns2')], false),
    row('near miss: one exported to nobody ("~")', http, [svc('b', h, 'TCP', { exportTo: ['~'] })], false),
    row('near miss: disjoint lists', svc('a', h, 'HTTP', { exportTo: ['x'] }, 'ns1'), [svc('b', h, 'TCP', { exportTo: ['y'] }, 'ns2')], false),
    row('near miss: its own stored version', http, [], false),
  ]);
});
