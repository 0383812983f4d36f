import { WorkloadEntrySpec } from '../kinds/istio-types';
import { validateWorkloadEntrySpec } from './workload-entry.rules';

const standalone = (spec: WorkloadEntrySpec) => validateWorkloadEntrySpec(spec, undefined, true);
const inStatic = (spec: WorkloadEntrySpec, names: string[] = ['http']) =>
  validateWorkloadEntrySpec(spec, new Set(names), false, 'spec.endpoints[2]');

describe('validateWorkloadEntrySpec, standalone WorkloadEntry (FQDN allowed)', () => {
  it.each<[string, WorkloadEntrySpec]>([
    ['IPv4', { address: '2.2.2.2' }],
    ['IPv6 with zone', { address: 'fe80::1%eth0' }],
    ['FQDN', { address: 'vm1.vpc01.corp.net' }],
    ['single-label name', { address: 'vm1' }],
    ['unix path', { address: 'unix:///var/run/app.sock' }],
    ['abstract socket', { address: 'unix://@app' }],
    ['ports and labels', { address: '1.1.1.1', ports: { http: 8080, 'Grpc-1': 1 }, labels: { app: 'x', 'example.com/v': '' } }],
    ['any port name (no ServiceEntry known)', { address: '1.1.1.1', ports: { anything: 1 } }],
    ['unchecked fields', { address: '1.1.1.1', locality: 'any/thing', weight: 0, serviceAccount: 'Any_SA', network: '?' }],
  ])('accepts %s', (_, spec) => expect(standalone(spec)).toEqual({ errors: [], warnings: [] }));

  it('warns, in Istio wording, when only network is set', () => {
    expect(standalone({ network: 'cluster-2-network' })).toEqual({
      errors: [],
      warnings: ['address is unset with network "cluster-2-network"'],
    });
  });

  it.each<[string, WorkloadEntrySpec, string, string, string]>([
    ['no address nor network', {}, 'FieldValueRequired', 'spec.address', 'needs an address, unless it sets network'],
    ['empty address without network', { address: '' }, 'FieldValueRequired', 'spec.address', 'needs an address'],
    ['wildcard', { address: '*.corp.net' }, 'FieldValueInvalid', 'spec.address', 'Invalid value: "*.corp.net": must be an IP address or a fully qualified domain name'],
    ['host:port', { address: 'vm1.corp.net:80' }, 'FieldValueInvalid', 'spec.address', 'label "net:80" is not a valid DNS label'],
    ['IPv4 leading zero (numeric TLD)', { address: '01.2.3.4' }, 'FieldValueInvalid', 'spec.address', 'cannot be all-numeric'],
    ['empty unix path', { address: 'unix://' }, 'FieldValueInvalid', 'spec.address', 'needs a socket path after "unix://"'],
    ['relative unix path', { address: 'unix://run/app.sock' }, 'FieldValueInvalid', 'spec.address', 'must be absolute'],
    ['unix directory', { address: 'unix:///run/' }, 'FieldValueInvalid', 'spec.address', 'not a directory'],
    ['unix with ports', { address: 'unix:///a.sock', ports: { http: 80 } }, 'FieldValueForbidden', 'spec.ports', 'must not be set for a unix socket address'],
    ['bad port name', { address: '1.1.1.1', ports: { web_1: 80 } }, 'FieldValueInvalid', 'spec.ports.web_1', 'a port name must be a DNS-1123 label'],
    ['port 0', { address: '1.1.1.1', ports: { http: 0 } }, 'FieldValueInvalid', 'spec.ports.http', 'Invalid value: 0: must be between 1 and 65535'],
    ['port 70000', { address: '1.1.1.1', ports: { http: 70000 } }, 'FieldValueInvalid', 'spec.ports.http', 'must be between 1 and 65535'],
    ['bad label key', { address: '1.1.1.1', labels: { 'bad key': 'v' } }, 'FieldValueInvalid', 'spec.labels.bad key', 'a label key must be'],
    ['bad label value', { address: '1.1.1.1', labels: { app: 'v*' } }, 'FieldValueInvalid', 'spec.labels.app', 'Invalid value: "v*": a label value must be empty'],
  ])('rejects %s', (_, spec, reason, field, words) => {
    expect(standalone(spec).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));
  });

  it('stops after "address is required", as istiod does', () => {
    expect(standalone({ ports: { 'bad_name': 0 } }).errors).toHaveLength(1);
  });

  it('tags findings with the CRD rules they make redundant', () => {
    expect(standalone({}).errors[0].supersedes).toEqual(['cel:address-required:spec']);
    expect(standalone({ address: '1.1.1.1', ports: { http: 0 } }).errors[0].supersedes).toContain('cel:port-range:spec.ports.http');
  });
});

describe('validateWorkloadEntrySpec, STATIC ServiceEntry endpoint (IP or unix only)', () => {
  it.each<[string, WorkloadEntrySpec, string[]]>([
    ['IP with declared port', { address: '10.0.0.1', ports: { http: 8080 } }, ['http']],
    ['unix socket with exactly one service port', { address: 'unix:///a.sock' }, ['http']],
    ['no ports map', { address: '10.0.0.1' }, ['http', 'grpc']],
  ])('accepts %s', (_, spec, names) => expect(inStatic(spec, names).errors).toEqual([]));

  it('warns for a network-only endpoint', () => {
    expect(inStatic({ network: 'n2' })).toEqual({ errors: [], warnings: ['address is unset with network "n2"'] });
  });

  it.each<[string, WorkloadEntrySpec, string[], string, string, string]>([
    ['FQDN', { address: 'vm1.corp.net' }, ['http'], 'FieldValueInvalid', 'spec.endpoints[2].address', 'must be an IP address or a "unix://" socket path when resolution is STATIC'],
    ['undeclared port name', { address: '10.0.0.1', ports: { grpc: 9000 } }, ['http', 'web'], 'FieldValueInvalid', 'spec.endpoints[2].ports.grpc', 'must name one of the ServiceEntry\'s ports (declared: "http", "web")'],
    ['port name with no service ports', { address: '10.0.0.1', ports: { grpc: 9000 } }, [], 'FieldValueInvalid', 'spec.endpoints[2].ports.grpc', 'the ServiceEntry declares no ports'],
    ['unix socket with two service ports', { address: 'unix:///a.sock' }, ['http', 'grpc'], 'FieldValueInvalid', 'spec.endpoints[2].address', 'exactly one port (it has 2)'],
    ['missing address', {}, ['http'], 'FieldValueRequired', 'spec.endpoints[2].address', 'needs an address'],
  ])('rejects %s', (_, spec, names, reason, field, words) => {
    expect(inStatic(spec, names).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));
  });
});
