import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** The Istio WorkloadEntry docs' examples (details-svc, STATIC and DNS; foo-workloads-cluster-2). */
const detailsVm = (address: string) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', 
  metadata: { name: 'details-svc' },
  spec: { serviceAccount: 'details-legacy', address, labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
});
const detailsService = (resolution: string) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', 
  metadata: { name: 'details-svc' },
  spec: {
    hosts: ['details.bookinfo.com'], location: 'MESH_INTERNAL', resolution,
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
    workloadSelector: { labels: { app: 'details-legacy' } },
  },
});

describe('GET /registry/v1/resolve', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Writes, then resolves from an index at least as fresh as the write (read-your-writes). */
  function resolve(query: Record<string, string>, after: request.Response) {
    return request(t.url).get('/registry/v1/resolve').query({ ...query, resourceVersion: after.body.metadata.resourceVersion });
  }

  it('resolves details.bookinfo.com with STATIC resolution to the VM at 2.2.2.2:8080', async () => {
    await request(t.url).post(paths.workloadEntries('bookinfo')).send(detailsVm('2.2.2.2')).expect(201);
    const se = await request(t.url).post(paths.serviceEntries('bookinfo')).send(detailsService('STATIC')).expect(201);
    const res = await resolve({ host: 'details.bookinfo.com' }, se).expect(200);
    expect(res.body).toMatchObject({
      host: 'details.bookinfo.com',
      services: [{
        namespace: 'bookinfo', serviceEntries: ['details-svc'], location: 'MESH_INTERNAL', resolution: 'STATIC',
        ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
        endpoints: [{
          address: '2.2.2.2', ports: { http: 8080 }, weight: 1, serviceAccount: 'details-legacy', healthy: true, priority: 0,
          labels: { app: 'details-legacy', 'instance-id': 'vm1' },
          source: { kind: 'WorkloadEntry', namespace: 'bookinfo', name: 'details-svc' },
        }],
      }],
    });
    expect(Number(res.body.resourceVersion)).toBeGreaterThanOrEqual(Number(se.body.metadata.resourceVersion));
  });

  it('uses the FQDN VM only once the ServiceEntry resolves by DNS, and explains why before', async () => {
    await request(t.url).put(paths.workloadEntry('details-svc', 'bookinfo')).send(detailsVm('vm1.vpc01.corp.net')).expect(200);
    const latest = await request(t.url).get(paths.serviceEntry('details-svc', 'bookinfo'));
    const before = await resolve({ host: 'details.bookinfo.com', explain: 'true' }, latest).expect(200);
    expect(before.body.services[0].endpoints).toEqual([]);
    expect(before.body.explain).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'WorkloadEntry', name: 'details-svc', reason: 'dns-only-address' }),
    ]));

    const dns = await request(t.url).put(paths.serviceEntry('details-svc', 'bookinfo')).send(detailsService('DNS')).expect(200);
    const after = await resolve({ host: 'details.bookinfo.com' }, dns).expect(200);
    expect(after.body.services[0]).toMatchObject({ resolution: 'DNS', endpoints: [{ address: 'vm1.vpc01.corp.net', ports: { http: 8080 } }] });
  });

  it('leaves the address-less foo-workloads-cluster-2 out for its own network and routes others through its gateway', async () => {
    await request(t.url).post(paths.workloadEntries('foo')).send({
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name: 'foo-workloads-cluster-2' }, spec: { serviceAccount: 'foo', network: 'cluster-2-network', labels: { app: 'foo' } },
    }).expect(201);
    const se = await request(t.url).post(paths.serviceEntries('foo')).send(aServiceEntry('foo', {
      hosts: ['foo.example.com'], workloadSelector: { labels: { app: 'foo' } },
    })).expect(201);
    const same = await resolve({ host: 'foo.example.com', network: 'cluster-2-network' }, se).expect(200);
    expect(same.body.services[0].endpoints).toEqual([]);
    const other = await resolve({ host: 'foo.example.com', network: 'cluster-1-network' }, se).expect(200);
    expect(other.body.services[0].endpoints).toEqual([
      expect.objectContaining({ address: null, viaGateway: true, network: 'cluster-2-network', serviceAccount: 'foo' }),
    ]);
  });

  it('answers 404 when no visible ServiceEntry has the host', async () => {
    const se = await request(t.url).post(paths.serviceEntries('private')).send(aServiceEntry('hidden', {
      hosts: ['hidden.example.com'], exportTo: ['.'],
    })).expect(201);
    const res = await resolve({ host: 'hidden.example.com', namespace: 'elsewhere' }, se).expect(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'no ServiceEntry visible from namespace "elsewhere" has host "hidden.example.com"' });
    await resolve({ host: 'hidden.example.com', namespace: 'private' }, se).expect(200);
  });

  it('excludes a health-checked WorkloadEntry until it reports Healthy', async () => {
    await request(t.url).post(paths.workloadEntries('health')).send(aWorkloadEntry('vm', { labels: { app: 'h' } }, {
      annotations: { 'proxy.istio.io/health-checks-enabled': 'true' },
    })).expect(201);
    const se = await request(t.url).post(paths.serviceEntries('health')).send(aServiceEntry('h', {
      hosts: ['h.example.com'], workloadSelector: { labels: { app: 'h' } },
    })).expect(201);
    expect((await resolve({ host: 'h.example.com' }, se).expect(200)).body.services[0].endpoints).toEqual([]);
    const withUnhealthy = await resolve({ host: 'h.example.com', includeUnhealthy: 'true' }, se).expect(200);
    expect(withUnhealthy.body.services[0].endpoints).toEqual([expect.objectContaining({ healthy: false })]);

    const healthy = await request(t.url).patch(`${paths.workloadEntry('vm', 'health')}/status`).set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ status: { conditions: [{ type: 'Healthy', status: 'True' }] } })).expect(200);
    expect((await resolve({ host: 'h.example.com' }, healthy).expect(200)).body.services[0].endpoints).toEqual([expect.objectContaining({ healthy: true })]);
  });

  it('answers YAML on request', async () => {
    const res = await request(t.url).get('/registry/v1/resolve').query({ host: 'details.bookinfo.com' }).set('accept', 'application/yaml').expect(200);
    expect(res.text).toContain('host: details.bookinfo.com');
  });

  it.each([
    [{}, 'host'],
    [{ host: 'a b' }, 'host'],
    [{ host: 'x.com', includeUnhealthy: 'maybe' }, 'includeUnhealthy'],
    [{ host: 'x.com', port: '70000' }, 'port'],
    [{ host: 'x.com', bogus: '1' }, 'bogus'],
  ])('answers a bad query %j with a 400 Status naming %s', async (query, field) => {
    const res = await request(t.url).get('/registry/v1/resolve').query(query).expect(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toContain(field);
  });

  it('answers 504 when asked for a resourceVersion the registry has not reached', async () => {
    const res = await request(t.url).get('/registry/v1/resolve').query({ host: 'x.com', resourceVersion: '999999999' }).expect(504);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Timeout' });
  });
});
