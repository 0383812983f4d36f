import { resolveHost, ResolveQuery } from './endpoint-resolver';
import { IndexedObject } from './registry-index';
import { docs, HTTP_80, healthChecked, indexWith, se, staticSe, we } from './test-fixtures';

const explain = (objects: IndexedObject[], query: Partial<ResolveQuery> = {}) =>
  resolveHost(indexWith(...objects), { host: 'svc.example.com', explain: true, ...query })?.explain ?? [];
const reasons = (objects: IndexedObject[], query: Partial<ResolveQuery> = {}) =>
  explain(objects, query).map((e) => [e.kind, e.namespace, e.name, e.index ?? null, e.reason]);
const web = (name: string, spec = {}, meta = {}) => we(name, { address: '1.1.1.1', labels: { app: 'web' }, ...spec }, meta);

describe('explain: why an entry was not used', () => {
  it.each([
    ['selector mismatch', [staticSe('s', 'web'), web('used'), we('other', { address: '1.1.1.2', labels: { app: 'db' } })], {},
      [['WorkloadEntry', 'default', 'other', null, 'selector-mismatch']]],
    ['DNS-only address for a STATIC entry (docs example)', [docs.detailsSe('STATIC'), docs.dnsWe], { host: 'details.bookinfo.com' },
      [['WorkloadEntry', 'default', 'details-svc', null, 'dns-only-address']]],
    ['filtered by health', [staticSe('s', 'web'), web('down', {}, healthChecked('False'))], {},
      [['WorkloadEntry', 'default', 'down', null, 'unhealthy']]],
    ["network-only entry in the caller's network (docs example)", [docs.fooSe, docs.networkOnlyWe], { host: 'foo.bar.com', network: 'cluster-2-network' },
      [['WorkloadEntry', 'default', 'foo-workloads-cluster-2', null, 'network-only-same-network']]],
    ['network-only entry, caller without network', [docs.fooSe, docs.networkOnlyWe], { host: 'foo.bar.com' },
      [['WorkloadEntry', 'default', 'foo-workloads-cluster-2', null, 'network-only-no-caller-network']]],
    ['network-only inline endpoint, by index', [se('s', { resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '1.1.1.1' }, { network: 'n1' }] })], { network: 'n1' },
      [['ServiceEntry', 'default', 's', 1, 'network-only-same-network']]],
    ['DNS_ROUND_ROBIN keeps the first', [se('s', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), web('a', { address: 'a.corp' }), web('b', { address: 'b.corp' })], {},
      [['WorkloadEntry', 'default', 'b', null, 'dns-round-robin-not-first']]],
    ['resolution NONE', [se('s', { ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), web('w')], {},
      [['WorkloadEntry', 'default', 'w', null, 'resolution-none']]],
    ['host mismatch and less specific host', [staticSe('s', 'web'), web('w'), se('unrelated', { hosts: ['x.other.com'] }), se('wild', { hosts: ['*.example.com'] })], {},
      [['ServiceEntry', 'default', 'unrelated', null, 'host-mismatch'], ['ServiceEntry', 'default', 'wild', null, 'less-specific-host']]],
    ['no matching port (entry and its workloads)', [staticSe('s', 'web'), web('w')], { port: 443 },
      [['ServiceEntry', 'default', 's', null, 'no-matching-port'], ['WorkloadEntry', 'default', 'w', null, 'no-matching-port']]],
    ['merged entry port the winner does not declare', [
      se('old', { resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '1.1.1.1' }] }, { created: '2024-01-01T00:00:00Z' }),
      se('new', { resolution: 'STATIC', ports: [{ number: 90, name: 'other' }], endpoints: [{ address: '1.1.1.2' }] }, { created: '2024-02-01T00:00:00Z' }),
    ], {}, [['ServiceEntry', 'default', 'new', 0, 'port-not-in-service']]],
    ['no workload selector on the entries', [se('s', { resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '1.1.1.1' }] }), web('w')], {},
      [['WorkloadEntry', 'default', 'w', null, 'no-workload-selector']]],
    ['nothing for the host in the caller namespace', [staticSe('s', 'web'), web('w', {}, { ns: 'caller' })], { namespace: 'caller' },
      [['WorkloadEntry', 'caller', 'w', null, 'no-service-in-namespace']]],
    ['selected only by a less specific wildcard entry', [staticSe('s', 'web'), web('w'), staticSe('wild', 'legacy', {}, { hosts: ['*.example.com'] }), we('old', { address: '1.1.1.9', labels: { app: 'legacy' } })], {},
      [['ServiceEntry', 'default', 'wild', null, 'less-specific-host'], ['WorkloadEntry', 'default', 'old', null, 'less-specific-host']]],
    ['everything used: nothing to explain', [staticSe('s', 'web'), web('w')], {}, []],
  ])('%s', (_title, objects, query, expected) => {
    expect(reasons(objects as IndexedObject[], query)).toEqual(expected);
  });

  it('not exported: the hidden entry, its workloads, and a hidden more specific host', () => {
    const objects = [
      staticSe('hidden', 'web', { ns: 'a' }, { exportTo: ['.'] }),
      web('w', {}, { ns: 'a' }),
      se('wild', { hosts: ['*.example.com'], resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '7.7.7.7' }] }, { ns: 'b' }),
      se('hidden-wild', { hosts: ['*.example.com'], exportTo: ['~'] }, { ns: 'b' }),
    ];
    expect(reasons(objects, { namespace: 'c' })).toEqual([
      ['ServiceEntry', 'a', 'hidden', null, 'not-exported'],
      ['WorkloadEntry', 'a', 'w', null, 'not-exported'],
    ]);
    const hidden = [...objects, se('exact-hidden', { hosts: ['svc.example.com'], exportTo: ['.'] }, { ns: 'b' })];
    expect(reasons(hidden, { namespace: 'c' })).toContainEqual(['ServiceEntry', 'b', 'exact-hidden', null, 'not-exported']);
  });

  it('names the selector and the resolution in its messages', () => {
    const [dnsOnly] = explain([docs.detailsSe('STATIC'), docs.dnsWe], { host: 'details.bookinfo.com' });
    expect(dnsOnly.message).toContain('not STATIC');
    const [mismatch] = explain([staticSe('s', 'web'), we('x', { address: '1.1.1.1', labels: { app: 'db' } })]);
    expect(mismatch.message).toContain('s: app=web');
  });

  it('is only computed on request', () => {
    expect(resolveHost(indexWith(staticSe('s', 'web')), { host: 'svc.example.com' })).not.toHaveProperty('explain');
  });
});
