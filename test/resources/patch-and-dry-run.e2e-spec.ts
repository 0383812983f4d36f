import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

describe('resource API: patch and dry-run', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (name: string, spec = {}) => request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry(name, spec)).expect(201);

  describe('PATCH', () => {
    it('applies a JSON merge patch (null removes a field) and bumps generation', async () => {
      await create('merge', { weight: 2 });
      const res = await request(t.url).patch(paths.workloadEntry('merge')).set('content-type', MERGE)
        .send(JSON.stringify({ metadata: { labels: { team: 'a' } }, spec: { weight: null, locality: 'r/z' } })).expect(200);
      expect(res.body.spec).toEqual({ address: '10.0.0.1', serviceAccount: 'details-legacy', labels: { app: 'details-legacy' }, locality: 'r/z' });
      expect(res.body.metadata).toMatchObject({ labels: { team: 'a' }, generation: 2 });
    });

    it('keeps generation when a patch leaves spec as it was (labels only, or spec rewritten the same)', async () => {
      await create('same-spec');
      const labelled = await request(t.url).patch(paths.workloadEntry('same-spec')).set('content-type', MERGE)
        .send(JSON.stringify({ metadata: { labels: { team: 'b' } } })).expect(200);
      expect(labelled.body.metadata.generation).toBe(1);
      const rewritten = await request(t.url).patch(paths.workloadEntry('same-spec')).set('content-type', JSON_PATCH)
        .send(JSON.stringify([{ op: 'replace', path: '/spec/address', value: '10.0.0.1' }])).expect(200);
      expect(rewritten.body.metadata).toMatchObject({ generation: 1, resourceVersion: labelled.body.metadata.resourceVersion });
    });

    it('applies a JSON patch', async () => {
      await create('jsonpatch');
      const res = await request(t.url).patch(paths.workloadEntry('jsonpatch')).set('content-type', JSON_PATCH)
        .send(JSON.stringify([{ op: 'replace', path: '/spec/address', value: '10.9.9.9' }, { op: 'add', path: '/spec/ports', value: { http: 8080 } }])).expect(200);
      expect(res.body.spec).toMatchObject({ address: '10.9.9.9', ports: { http: 8080 } });
    });

    it('answers 422 for a JSON patch that does not apply, and 400 for a malformed one', async () => {
      await create('badpatch');
      const failing = await request(t.url).patch(paths.workloadEntry('badpatch')).set('content-type', JSON_PATCH)
        .send(JSON.stringify([{ op: 'test', path: '/spec/address', value: 'nope' }])).expect(422);
      expect(failing.body.message).toMatch(/the JSON patch does not apply/);
      await request(t.url).patch(paths.workloadEntry('badpatch')).set('content-type', JSON_PATCH).send(JSON.stringify({ op: 'x' })).expect(400);
      await request(t.url).patch(paths.workloadEntry('badpatch')).set('content-type', MERGE).send('{not json').expect(400);
    });

    it('refuses a strategic merge patch, as an apiserver does for custom resources', async () => {
      await create('smp');
      const res = await request(t.url).patch(paths.workloadEntry('smp')).set('content-type', 'application/strategic-merge-patch+json')
        .send(JSON.stringify({ spec: { weight: 1 } })).expect(415);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    });

    it('treats a resourceVersion in the patch as a precondition', async () => {
      const created = (await create('patch-rv')).body;
      await request(t.url).patch(paths.workloadEntry('patch-rv')).set('content-type', MERGE).send(JSON.stringify({ spec: { weight: 1 } })).expect(200);
      const res = await request(t.url).patch(paths.workloadEntry('patch-rv')).set('content-type', MERGE)
        .send(JSON.stringify({ metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { weight: 2 } })).expect(409);
      expect(res.body.reason).toBe('Conflict');
    });

    it('answers 404 for a missing object', async () => {
      await request(t.url).patch(paths.workloadEntry('nobody')).set('content-type', MERGE).send('{}').expect(404);
    });

    it('never stores a patch that makes the object invalid', async () => {
      await create('stays-valid');
      const res = await request(t.url).patch(paths.workloadEntry('stays-valid')).set('content-type', MERGE)
        .send(JSON.stringify({ spec: { address: null, ports: { http: 0 } } })).expect(422);
      expect(res.body.reason).toBe('Invalid');
      expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['spec.ports.http']));
      expect((await request(t.url).get(paths.workloadEntry('stays-valid'))).body.spec.address).toBe('10.0.0.1');
    });
  });

  describe('dryRun=All', () => {
    it('validates and answers a create without storing it', async () => {
      const res = await request(t.url).post(`${paths.workloadEntries()}?dryRun=All`).send(aWorkloadEntry('dry')).expect(201);
      expect(res.body.metadata.name).toBe('dry');
      await request(t.url).get(paths.workloadEntry('dry')).expect(404);
      await request(t.url).post(`${paths.workloadEntries()}?dryRun=All`).send(aWorkloadEntry('dry', { address: 'not an address!' })).expect(422);
    });

    it('stores nothing on replace, patch and delete', async () => {
      const created = (await create('dry-update')).body;
      await request(t.url).put(`${paths.workloadEntry('dry-update')}?dryRun=All`).send(aWorkloadEntry('dry-update', { weight: 9 })).expect(200);
      const patched = await request(t.url).patch(`${paths.workloadEntry('dry-update')}?dryRun=All`).set('content-type', MERGE).send(JSON.stringify({ spec: { weight: 8 } })).expect(200);
      expect(patched.body.spec.weight).toBe(8);
      await request(t.url).delete(`${paths.workloadEntry('dry-update')}?dryRun=All`).expect(200);
      await request(t.url).put(`${paths.workloadEntry('dry-new')}?dryRun=All`).send(aWorkloadEntry('dry-new')).expect(201);
      const after = (await request(t.url).get(paths.workloadEntry('dry-update')).expect(200)).body;
      expect(after).toEqual(created);
      await request(t.url).get(paths.workloadEntry('dry-new')).expect(404);
    });

    it('rejects other dryRun values', async () => {
      const res = await request(t.url).post(`${paths.workloadEntries()}?dryRun=Some`).send(aWorkloadEntry('x')).expect(400);
      expect(res.body.message).toContain('dryRun: Unsupported value: "Some"');
    });
  });

  describe('validation and warnings', () => {
    it('reports every cause in one 422 with field paths', async () => {
      const res = await request(t.url).post(paths.serviceEntries()).send(aServiceEntry('broken', {
        hosts: ['*'], ports: [{ number: 70000, name: 'http', protocol: 'HTTP' }, { number: 81, name: 'http' }],
      })).expect(422);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { name: 'broken', kind: 'ServiceEntry' } });
      const fields = res.body.details.causes.map((c: { field: string }) => c.field);
      expect(fields).toEqual(expect.arrayContaining(['spec.hosts[0]', 'spec.ports[0].number', 'spec.ports[1].name']));
      expect(res.body.message).toMatch(/^ServiceEntry.networking.istio.io "broken" is invalid: \[/);
    });

    it('returns Istio warnings as Warning headers on success', async () => {
      const res = await request(t.url).post(paths.workloadEntries()).send({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'net-only' }, spec: { network: 'n2' } }).expect(201);
      expect(res.headers.warning).toMatch(/^299 - ".+"$/);
    });

    it('drops unknown fields with a warning, or rejects them with fieldValidation=Strict', async () => {
      const warned = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('unknown', { colour: 'red' })).expect(201);
      expect(warned.headers.warning).toContain('unknown field \\"spec.colour\\"');
      expect(warned.body.spec.colour).toBeUndefined();
      const strict = await request(t.url).post(`${paths.workloadEntries()}?fieldValidation=Strict`).send(aWorkloadEntry('strict', { colour: 'red' })).expect(400);
      expect(strict.body.message).toBe('strict decoding error: unknown field "spec.colour"');
    });
  });
});
