import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * What kubectl reads, checked over HTTP, so that it is covered where kubectl is not installed too
 * (kubectl.e2e-spec.ts runs kubectl itself when it is).
 */
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const KUBECTL_DISCOVERY_ACCEPT = `${AGGREGATED},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;
const KUBECTL_GET_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const COLLECTION = '/apis/networking.istio.io/v1/namespaces/default/workloadentries';

describe('discovery, OpenAPI v3 and Table output over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await request(t.url)
      .post(COLLECTION)
      .send({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm1' }, spec: { address: '2.2.2.2', serviceAccount: 'sa' } })
      .expect(201);
  });
  afterAll(() => t.close());

  it('serves /version', async () => {
    const res = await request(t.url).get('/version').expect(200);
    expect(res.body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-mesh-registry' });
  });

  it('serves /api and /apis in the legacy form to plain JSON clients', async () => {
    expect((await request(t.url).get('/api').expect(200)).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = (await request(t.url).get('/api/v1').expect(200)).body;
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(core.resources.map((r: { name: string; verbs: string[] }) => [r.name, r.verbs])).toEqual([['namespaces', ['get', 'list']]]);
    const apis = await request(t.url).get('/apis').set('accept', 'application/json').expect(200);
    expect(apis.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/);
    expect(apis.body.groups.map((g: { name: string }) => g.name)).toEqual(['networking.istio.io']);
    expect((await request(t.url).get('/apis/networking.istio.io').expect(200)).body.kind).toBe('APIGroup');
    const resources = (await request(t.url).get('/apis/networking.istio.io/v1').expect(200)).body.resources;
    expect(resources.map((r: { name: string; shortNames?: string[] }) => [r.name, r.shortNames])).toEqual([
      ['workloadentries', ['we']], ['workloadentries/status', undefined], ['serviceentries', ['se']], ['serviceentries/status', undefined],
      ['workloadgroups', ['wg']], ['workloadgroups/status', undefined],
    ]);
    await request(t.url).get('/apis/example.com/v1').expect(404);
  });

  it('serves aggregated discovery with the exact Content-Type kubectl checks', async () => {
    const res = await request(t.url).get('/apis').set('accept', KUBECTL_DISCOVERY_ACCEPT).expect(200);
    expect(res.headers['content-type']).toBe(AGGREGATED);
    expect(res.headers.vary).toMatch(/Accept/);
    expect(JSON.parse(res.text).items[0].versions[0].resources.map((r: { resource: string }) => r.resource)).toEqual(['workloadentries', 'serviceentries', 'workloadgroups']);
    const core = await request(t.url).get('/api').set('accept', KUBECTL_DISCOVERY_ACCEPT).expect(200);
    expect(core.headers['content-type']).toBe(AGGREGATED);
  });

  it('serves the OpenAPI v3 index and the group-version document it points to', async () => {
    const index = (await request(t.url).get('/openapi/v3').expect(200)).body;
    const url: string = index.paths['apis/networking.istio.io/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/networking\.istio\.io\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await request(t.url).get(url).expect(200);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(doc.body.components.schemas['io.istio.networking.v1.WorkloadEntry']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'networking.istio.io', kind: 'WorkloadEntry', version: 'v1' },
    ]);
    await request(t.url).get(url).set('if-none-match', doc.headers.etag).expect(304);
    const stale = await request(t.url).get('/openapi/v3/apis/networking.istio.io/v1?hash=0').expect(301);
    expect(stale.headers.location).toBe(url);
    await request(t.url).get('/openapi/v2').expect(404);
  });

  it('answers kubectl get with a Table, for lists and single objects', async () => {
    const list = await request(t.url).get(`${COLLECTION}?limit=500`).set('accept', KUBECTL_GET_ACCEPT).expect(200);
    expect(list.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(list.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Age', 'Address', 'Healthy', 'Reason', 'Group']);
    expect(list.body.rows).toEqual([
      {
        cells: ['vm1', expect.stringMatching(/^\d+s$/), '2.2.2.2', null, null, null],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'vm1', namespace: 'default' }) },
      },
    ]);
    const one = await request(t.url).get(`${COLLECTION}/vm1?includeObject=Object`).set('accept', KUBECTL_GET_ACCEPT).expect(200);
    expect(one.body.rows[0].object).toMatchObject({ kind: 'WorkloadEntry', spec: { address: '2.2.2.2' } });
  });

  it('leaves JSON, YAML and errors alone', async () => {
    expect((await request(t.url).get(COLLECTION).expect(200)).body.kind).toBe('WorkloadEntryList');
    expect((await request(t.url).get(`${COLLECTION}/vm1`).set('accept', 'application/yaml').expect(200)).text).toMatch(/^apiVersion: networking.istio.io\/v1/);
    const missing = await request(t.url).get(`${COLLECTION}/nope`).set('accept', KUBECTL_GET_ACCEPT).expect(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});
