import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { loadCrd } from '../../src/kinds/kind-definition';
import { paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/istio-docs', name), 'utf8');
const documents = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

/** Istio's CRD openAPIV3Schema as a JSON schema: Kubernetes' x- keywords dropped, the envelope allowed. */
function crdValidator(file: string) {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([k]) => !k.startsWith('x-kubernetes')).map(([k, v]) => [k, strip(v)]));
  };
  const schema = strip(loadCrd(file).openAPIV3Schema) as { properties: Record<string, unknown> };
  schema.properties = { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
  // Formats too (status timestamps are `date-time`): an unknown format would be ignored with a warning.
  return addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema);
}
const validators: Record<string, ReturnType<typeof crdValidator>> = {
  WorkloadEntry: crdValidator('workloadentry.v1.openapi.yaml'),
  ServiceEntry: crdValidator('serviceentry.v1.openapi.yaml'),
};
function expectSchemaValid(objects: { kind: string }[]) {
  for (const object of objects) {
    const validate = validators[object.kind];
    expect(validate(object) ? [] : validate.errors).toEqual([]);
  }
}

describe('manifests: YAML out and in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const importYaml = (body: string, query = '') =>
    request(t.url).post(`/registry/v1/import${query}`).set('content-type', 'application/yaml').send(body);

  describe.each([
    ['STATIC', 'workloadentry-details-svc.yaml', 'serviceentry-details-svc.yaml', 'static'],
    ['DNS', 'workloadentry-details-svc-dns.yaml', 'serviceentry-details-svc-dns.yaml', 'dns'],
  ])('the Istio docs details-svc (%s)', (_mode, weFile, seFile, namespace) => {
    it('imports, then hands back the WorkloadEntry and its ServiceEntry as a clean, schema-valid manifest', async () => {
      const imported = await importYaml(`${fixture(weFile)}---\n${fixture(seFile)}`, `?namespace=${namespace}`).expect(200);
      expect(imported.body).toMatchObject({ kind: 'ImportResult', applied: true, results: [{ result: 'created' }, { result: 'created' }] });

      const res = await request(t.url).get(`/registry/v1/namespaces/${namespace}/workloadentries/details-svc/manifest`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      // Inline, so a browser (and Swagger UI) shows it; `?download=true` makes it a file to save.
      expect(res.headers['content-disposition']).toBe(`inline; filename="${namespace}-details-svc.yaml"`);
      const download = await request(t.url).get(`/registry/v1/namespaces/${namespace}/workloadentries/details-svc/manifest?download=true`).expect(200);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${namespace}-details-svc.yaml"`);
      expect(download.text).toBe(res.text);
      const docs = documents(res.text);
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['WorkloadEntry/details-svc', 'ServiceEntry/details-svc']);
      for (const doc of docs) {
        expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
        expect(Object.keys(doc.metadata)).toEqual(['name', 'namespace']);
      }
      expect(docs[0].spec).toEqual(documents(fixture(weFile))[0].spec);
      expect(docs[1].spec).toEqual(documents(fixture(seFile))[0].spec);
      expectSchemaValid(docs);
    });
  });

  it('answers 404 for the manifest of a missing workload', async () => {
    await request(t.url).get('/registry/v1/namespaces/static/workloadentries/nope/manifest').expect(404);
  });

  it('exports with filters; every document is schema-valid; export → import into an empty registry → export is byte-identical', async () => {
    const full = await request(t.url).get('/registry/v1/export').expect(200);
    expect(full.headers['content-type']).toMatch(/^application\/yaml/);
    expect(full.headers['content-disposition']).toBe('inline; filename="mesh-registry-export.yaml"');
    const download = await request(t.url).get('/registry/v1/export').query({ download: 'true' }).expect(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="mesh-registry-export.yaml"');
    await request(t.url).get('/registry/v1/export').query({ download: 'yes please' }).expect(400);
    const docs = documents(full.text);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'WorkloadEntry/dns/details-svc', 'WorkloadEntry/static/details-svc', 'ServiceEntry/dns/details-svc', 'ServiceEntry/static/details-svc',
    ]);
    expectSchemaValid(docs);

    const onlyDns = await request(t.url).get('/registry/v1/export').query({ namespace: 'dns', kind: 'ServiceEntry' }).expect(200);
    expect(documents(onlyDns.text).map((d) => d.kind)).toEqual(['ServiceEntry']);
    const byLabel = await request(t.url).get('/registry/v1/export').query({ labelSelector: 'app=none' }).expect(200);
    expect(byLabel.text).toBe('');

    const empty = await startTestApp();
    try {
      await request(empty.url).post('/registry/v1/import').set('content-type', 'application/yaml').send(full.text).expect(200);
      const again = await request(empty.url).get('/registry/v1/export').expect(200);
      expect(again.text).toBe(full.text);
    } finally {
      await empty.close();
    }
  });

  it('exports a JSON List on Accept: application/json, and imports it back', async () => {
    const res = await request(t.url).get('/registry/v1/export').set('accept', 'application/json').expect(200);
    const list = JSON.parse(res.text);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items).toHaveLength(4);
    const reimport = await request(t.url).post('/registry/v1/import').set('content-type', 'application/json').send(res.text).expect(200);
    expect(reimport.body.results.map((r: { result: string }) => r.result)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('reports created, configured and unchanged per document', async () => {
    const vm = (address: string) => `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: vm-a\nspec:\n  address: ${address}\n`;
    const other = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: vm-b\nspec:\n  address: 10.0.0.2\n';
    await importYaml(`${vm('10.0.0.1')}---\n${other}`, '?namespace=apply').expect(200);
    const res = await importYaml(`${vm('10.0.0.9')}---\n${other}`, '?namespace=apply').expect(200);
    expect(res.body.results.map((r: { name: string; result: string }) => `${r.name}:${r.result}`)).toEqual(['vm-a:configured', 'vm-b:unchanged']);
    expect((await request(t.url).get(paths.workloadEntry('vm-a', 'apply'))).body.spec.address).toBe('10.0.0.9');
  });

  it('changes nothing when one document is bad, and names that document and its field', async () => {
    const before = (await request(t.url).get('/registry/v1/export')).text;
    const good = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: fine\nspec:\n  address: 10.1.1.1\n';
    const bad = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: broken\nspec:\n  address: 10.1.1.2\n  ports:\n    http: 70000\n';
    const res = await importYaml(`${good}---\n${bad}`).expect(422);
    expect(res.body.applied).toBe(false);
    expect(res.body.results[0].result).toBe('created');
    expect(res.body.results[1]).toMatchObject({ index: 1, name: 'broken', result: 'failed', status: { reason: 'Invalid', code: 422 } });
    expect(res.body.results[1].status.message).toMatch(/^document 1: /);
    expect(res.body.results[1].status.details.causes).toEqual([expect.objectContaining({ field: 'spec.ports.http' })]);
    await request(t.url).get(paths.workloadEntry('fine')).expect(404);
    expect((await request(t.url).get('/registry/v1/export')).text).toBe(before);
  });

  it.each([
    ['an unknown kind', 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec: {}\n', 'kind'],
    ['malformed YAML', 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: [oops\n', undefined],
    ['a duplicate in the stream', 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: d\nspec:\n  address: 1.1.1.1\n---\napiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: d\nspec:\n  address: 1.1.1.2\n', 'metadata.name'],
  ])('rejects %s with a clear per-document error and stores nothing', async (_what, body, field) => {
    const before = (await request(t.url).get('/registry/v1/export')).text;
    const res = await importYaml(body).expect(422);
    const failed = res.body.results.filter((r: { result: string }) => r.result === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].status.message).toMatch(/^document \d+: /);
    if (field) expect(failed[0].status.details.causes.map((c: { field: string }) => c.field)).toContain(field);
    expect((await request(t.url).get('/registry/v1/export')).text).toBe(before);
  });

  it('rejects a document over the size limit', async () => {
    const small = await startTestApp({ bodyLimitBytes: 2048 });
    try {
      const big = `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: big\n  annotations:\n    note: ${'x'.repeat(3000)}\nspec:\n  address: 1.1.1.1\n`;
      const res = await request(small.url).post('/registry/v1/import').set('content-type', 'application/yaml').send(big).expect(422);
      expect(res.body.results[0].status).toMatchObject({ reason: 'RequestEntityTooLarge' });
      await request(small.url).get(paths.workloadEntry('big')).expect(404);
    } finally {
      await small.close();
    }
  });

  it('changes nothing on a dry-run import', async () => {
    const res = await importYaml('apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: dry\nspec:\n  address: 1.2.3.4\n', '?dryRun=All').expect(200);
    expect(res.body).toMatchObject({ dryRun: true, applied: false, results: [{ result: 'created' }] });
    await request(t.url).get(paths.workloadEntry('dry')).expect(404);
  });
});
