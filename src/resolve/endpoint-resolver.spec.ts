import { resolveHost, ResolveQuery } from './endpoint-resolver';
import { docs, HTTP_80, healthChecked, indexWith, se, staticSe, we } from './test-fixtures';
import { IndexedObject } from './registry-index';

const resolve = (objects: IndexedObject[], query: Partial<ResolveQuery> = {}) =>
  resolveHost(indexWith(...objects), { host: 'svc.example.com', ...query });
const addresses = (objects: IndexedObject[], query: Partial<ResolveQuery> = {}) =>
  resolve(objects, query)?.services.flatMap((s) => s.endpoints.map((e) => e.address));
const ip = (name: string, address: string, labels: Record<string, string> = { app: 'web' }, extra = {}) =>
  we(name, { address, labels, ...extra });

describe('resolveHost: the Istio WorkloadEntry docs examples', () => {
  it('STATIC details.bookinfo.com selects the VM at 2.2.2.2 on target port 8080', () => {
    const result = resolve([docs.detailsSe('STATIC'), docs.staticWe], { host: 'details.bookinfo.com' });
    expect(result).toEqual({
      host: 'details.bookinfo.com',
      resourceVersion: '0',
      services: [
        {
          namespace: 'default',
          host: 'details.bookinfo.com',
          serviceEntries: ['details-svc'],
          location: 'MESH_INTERNAL',
          resolution: 'STATIC',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
          endpoints: [
            {
              address: '2.2.2.2',
              ports: { http: 8080 },
              weight: 1,
              locality: null,
              network: null,
              serviceAccount: 'details-legacy',
              labels: { app: 'details-legacy', 'instance-id': 'vm1' },
              healthy: true,
              priority: 0,
              viaGateway: false,
              source: { kind: 'WorkloadEntry', namespace: 'default', name: 'details-svc' },
            },
          ],
        },
      ],
    });
  });

  it.each([
    ['DNS uses the FQDN VM', 'DNS' as const, ['vm1.vpc01.corp.net']],
    ['STATIC skips the FQDN VM', 'STATIC' as const, []],
  ])('%s', (_title, resolution, expected) => {
    expect(addresses([docs.detailsSe(resolution), docs.dnsWe], { host: 'details.bookinfo.com' })).toEqual(expected);
  });

  it.each([
    ['caller in another network: via the gateway', 'cluster-1-network', [{ address: null, viaGateway: true, network: 'cluster-2-network' }]],
    ["caller in the entry's network: left out", 'cluster-2-network', []],
    ['caller without a network: left out', undefined, []],
  ])('address-less foo-workloads-cluster-2, %s', (_title, network, expected) => {
    const result = resolve([docs.fooSe, docs.networkOnlyWe], { host: 'foo.bar.com', network });
    expect(result?.services[0].endpoints).toMatchObject(expected);
  });
});

describe('resolveHost: endpoint sources', () => {
  it.each([
    ['inline endpoints, identified by index', se('s', { resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '1.1.1.1' }, { address: '1.1.1.2' }] }), [
      { address: '1.1.1.1', source: { kind: 'ServiceEntry', namespace: 'default', name: 's', index: 0 } },
      { address: '1.1.1.2', source: { kind: 'ServiceEntry', namespace: 'default', name: 's', index: 1 } },
    ]],
    ['DNS with neither: the host itself', se('s', { resolution: 'DNS', ports: [{ ...HTTP_80, targetPort: 8080 }] }), [
      { address: 'svc.example.com', ports: { http: 8080 }, labels: {}, source: { kind: 'ServiceEntry', name: 's' } },
    ]],
    ['DNS_ROUND_ROBIN with neither: the host itself', se('s', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80] }), [{ address: 'svc.example.com' }]],
    ['STATIC with neither: nothing', se('s', { resolution: 'STATIC', ports: [HTTP_80] }), []],
    ['NONE: no endpoints even when selecting', se('s', { ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), []],
    ['DNS with an empty selector: no host endpoint', se('s', { resolution: 'DNS', ports: [HTTP_80], workloadSelector: { labels: {} } }), []],
    ['a service without ports has no endpoints', se('s', { resolution: 'STATIC', endpoints: [{ address: '1.1.1.1' }] }), []],
  ])('%s', (_title, service, expected) => {
    const endpoints = resolve([service, ip('w', '9.9.9.9')])?.services[0].endpoints;
    expect(endpoints).toHaveLength(expected.length);
    expect(endpoints).toMatchObject(expected);
  });

  it('NONE keeps its attributes and location defaults to MESH_EXTERNAL', () => {
    expect(resolve([se('s', { ports: [HTTP_80] })])?.services[0]).toMatchObject({ resolution: 'NONE', location: 'MESH_EXTERNAL' });
  });

  it('a unix-socket workload is selected by DNS and addressed by its path on port 0', () => {
    const sock = ip('sock', 'unix:///var/run/app.sock');
    expect(resolve([se('s', { resolution: 'DNS', ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), sock])?.services[0].endpoints)
      .toMatchObject([{ address: '/var/run/app.sock', ports: { http: 0 } }]);
  });
});

describe('resolveHost: host lookup and visibility', () => {
  const exact = staticSe('exact', 'web', {}, { hosts: ['svc.example.com'] });
  const wild = se('wild', { hosts: ['*.example.com'], resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address: '7.7.7.7' }] });

  it.each([
    ['404 when nothing declares the host', [wild], 'svc.other.com', undefined, undefined],
    ['exact host first', [exact, wild, ip('w', '1.1.1.1')], 'svc.example.com', undefined, ['1.1.1.1']],
    ['wildcard when no exact host', [wild], 'svc.example.com', undefined, ['7.7.7.7']],
    ['an exact host the caller cannot see falls back to the wildcard', [{ ...exact, spec: { ...exact.spec, exportTo: ['.'] } }, wild], 'svc.example.com', 'other', ['7.7.7.7']],
    ['404 when every declaration is hidden', [{ ...wild, spec: { ...wild.spec, exportTo: ['~'] } }], 'svc.example.com', 'default', undefined],
    ['no caller namespace: no visibility filter', [{ ...wild, spec: { ...wild.spec, exportTo: ['~'] } }], 'svc.example.com', undefined, ['7.7.7.7']],
  ])('%s', (_title, objects, host, namespace, expected) => {
    expect(addresses(objects as IndexedObject[], { host, namespace })).toEqual(expected);
  });

  it('lists one service per namespace, the caller namespace first, then the oldest', () => {
    const inNs = (ns: string, created: string) => se(`s-${ns}`, { resolution: 'STATIC', ports: [HTTP_80] }, { ns, created });
    const objects = [inNs('b', '2024-03-01T00:00:00Z'), inNs('c', '2024-01-01T00:00:00Z'), inNs('a', '2024-02-01T00:00:00Z')];
    expect(resolve(objects)?.services.map((s) => s.namespace)).toEqual(['c', 'a', 'b']);
    expect(resolve(objects, { namespace: 'b' })?.services.map((s) => s.namespace)).toEqual(['b', 'c', 'a']);
  });
});

describe('resolveHost: merging ServiceEntries with the same host in a namespace', () => {
  const member = (name: string, created: string, address: string, extra = {}) =>
    se(name, { resolution: 'STATIC', ports: [HTTP_80], endpoints: [{ address }], ...extra }, { created });

  it('merges oldest first, then by name; the oldest wins the attributes', () => {
    const result = resolve([
      member('b-newer', '2024-02-01T00:00:00Z', '1.1.1.3', { location: 'MESH_INTERNAL', ports: [{ ...HTTP_80, targetPort: 9999 }] }),
      member('z-old', '2024-01-01T00:00:00Z', '1.1.1.1'),
      member('a-newer', '2024-02-01T00:00:00Z', '1.1.1.2'),
    ]);
    expect(result?.services).toHaveLength(1);
    expect(result?.services[0]).toMatchObject({ serviceEntries: ['z-old', 'a-newer', 'b-newer'], location: 'MESH_EXTERNAL', ports: [HTTP_80] });
    // Each member computes its own target ports (istiod builds instances per ServiceEntry).
    expect(result?.services[0].endpoints.map((e) => [e.address, e.ports.http])).toEqual([
      ['1.1.1.2', 80], ['1.1.1.3', 9999], ['1.1.1.1', 80],
    ]);
  });

  it('drops endpoints of later members whose ports the winning entry does not declare', () => {
    const result = resolve([member('old', '2024-01-01T00:00:00Z', '1.1.1.1'), member('new', '2024-02-01T00:00:00Z', '1.1.1.2', { ports: [{ number: 90, name: 'other' }] })]);
    expect(result?.services[0].endpoints.map((e) => e.address)).toEqual(['1.1.1.1']);
  });

  it('lists a workload selected by two members once', () => {
    const objects = [staticSe('a', 'web'), staticSe('b', 'web'), ip('w', '1.1.1.1')];
    expect(addresses(objects)).toEqual(['1.1.1.1']);
  });

  it.each([
    ['one entry: first endpoint only', [se('s', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), ip('b', 'b.corp'), ip('a', 'a.corp')], ['a.corp']],
    ['merged entries: the oldest one supplies it', [
      se('new', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80], endpoints: [{ address: 'new.corp' }] }, { created: '2024-02-01T00:00:00Z' }),
      se('old', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80], endpoints: [{ address: 'old.corp' }] }, { created: '2024-01-01T00:00:00Z' }),
    ], ['old.corp']],
    ['an unhealthy first endpoint does not take the slot', [
      se('s', { resolution: 'DNS_ROUND_ROBIN', ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }),
      we('a', { address: 'a.corp', labels: { app: 'web' } }, healthChecked('False')), ip('b', 'b.corp'),
    ], ['b.corp']],
    ['DNS keeps them all', [se('s', { resolution: 'DNS', ports: [HTTP_80], workloadSelector: { labels: { app: 'web' } } }), ip('b', 'b.corp'), ip('a', 'a.corp')], ['a.corp', 'b.corp']],
  ])('DNS_ROUND_ROBIN %s', (_title, objects, expected) => {
    expect(addresses(objects as IndexedObject[])).toEqual(expected);
  });
});
