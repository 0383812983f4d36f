import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { aServiceEntry, aWorkloadEntry, aWorkloadGroup, GROUP_PATH } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { openWatch, WatchStream } from '../support/watch-stream';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

type Factory = (name: string, spec?: Record<string, unknown>, metadata?: Record<string, unknown>) => { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/**
 * What the generic resource layer gives every kind, checked once per kind over HTTP: a kind added to
 * KINDS gets a row here. `change` is a valid spec edit, `invalid` a spec the kind's validation refuses at `field`.
 */
const KINDS: [string, string, Factory, Record<string, unknown>, Record<string, unknown>, string][] = [
  ['WorkloadEntry', 'workloadentries', aWorkloadEntry, { weight: 7 }, { address: '*.bad' }, 'spec.address'],
  ['ServiceEntry', 'serviceentries', aServiceEntry, { location: 'MESH_EXTERNAL' }, { hosts: [] }, 'spec.hosts'],
  ['WorkloadGroup', 'workloadgroups', aWorkloadGroup, { template: { serviceAccount: 'other', network: 'n2' } }, { template: { address: '10.1.1.1' } }, 'spec.template.address'],
];

describe.each(KINDS)('every kind over HTTP: %s', (kind, plural, make, change, invalid, invalidField) => {
  let t: TestApp;
  const ns = 'kinds';
  const collection = (namespace = ns) => `${GROUP_PATH}/namespaces/${namespace}/${plural}`;
  const item = (name: string) => `${collection()}/${name}`;
  const opened: WatchStream[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    opened.forEach((s) => s.close());
    await t.close();
  });

  it('creates, reads, replaces and deletes', async () => {
    const created = await request(t.url).post(collection()).send(make('crud', {}, { labels: { tier: 'a' } })).expect(201);
    expect(created.body).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind, metadata: { name: 'crud', namespace: ns, generation: 1 } });
    expect((await request(t.url).get(item('crud')).expect(200)).body).toEqual(created.body);
    const replaced = await request(t.url).put(item('crud')).send(make('crud', change)).expect(200);
    expect(replaced.body.spec).toMatchObject(change);
    expect(replaced.body.metadata).toMatchObject({ uid: created.body.metadata.uid, generation: 2 });
    const deleted = await request(t.url).delete(item('crud')).expect(200);
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'crud', kind: plural, uid: created.body.metadata.uid } });
    await request(t.url).get(item('crud')).expect(404);
  });

  it('refuses an invalid spec with a 422 naming the field, and stores nothing', async () => {
    const res = await request(t.url).post(collection()).send(make('bad', invalid)).expect(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { name: 'bad', group: 'networking.istio.io', kind } });
    expect(res.body.details.causes).toContainEqual(expect.objectContaining({ field: invalidField }));
    await request(t.url).get(item('bad')).expect(404);
  });

  it('lists with label and field selectors, in this namespace and across all', async () => {
    await request(t.url).post(collection('sel-a')).send(make('one', {}, { labels: { app: 'x', env: 'prod' } })).expect(201);
    await request(t.url).post(collection('sel-a')).send(make('two', {}, { labels: { app: 'y' } })).expect(201);
    await request(t.url).post(collection('sel-b')).send(make('one', {}, { labels: { app: 'x' } })).expect(201);
    const list = await request(t.url).get(collection('sel-a')).expect(200);
    expect(list.body).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: `${kind}List` });
    const ids = (res: request.Response) => res.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`);
    expect(ids(list)).toEqual(['sel-a/one', 'sel-a/two']);
    expect(ids(await request(t.url).get(`${GROUP_PATH}/${plural}`).query({ labelSelector: 'app=x' }).expect(200))).toEqual(['sel-a/one', 'sel-b/one']);
    expect(ids(await request(t.url).get(`${GROUP_PATH}/${plural}`).query({ labelSelector: 'app=x,env notin (prod)' }).expect(200))).toEqual(['sel-b/one']);
    expect(ids(await request(t.url).get(`${GROUP_PATH}/${plural}`).query({ fieldSelector: 'metadata.namespace=sel-a,metadata.name!=one' }).expect(200))).toEqual(['sel-a/two']);
  });

  it('patches with a merge patch and a JSON patch, and refuses a strategic merge patch as for any custom resource', async () => {
    await request(t.url).post(collection()).send(make('patched')).expect(201);
    const merged = await request(t.url).patch(item('patched')).set('content-type', MERGE).send(JSON.stringify({ metadata: { labels: { team: 'a' } }, spec: change })).expect(200);
    expect(merged.body).toMatchObject({ metadata: { labels: { team: 'a' }, generation: 2 }, spec: change });
    const jsonPatched = await request(t.url).patch(item('patched')).set('content-type', JSON_PATCH).send(JSON.stringify([{ op: 'add', path: '/metadata/labels/team', value: 'b' }])).expect(200);
    expect(jsonPatched.body.metadata).toMatchObject({ labels: { team: 'b' }, generation: 2 });
    await request(t.url).patch(item('patched')).set('content-type', STRATEGIC).send(JSON.stringify({ spec: change })).expect(415);
    const refused = await request(t.url).patch(item('patched')).set('content-type', MERGE).send(JSON.stringify({ spec: invalid })).expect(422);
    expect(refused.body.details.causes).toContainEqual(expect.objectContaining({ field: invalidField }));
  });

  it('writes status through the status subresource only', async () => {
    await request(t.url).post(collection()).send(make('status')).expect(201);
    const status = { conditions: [{ type: 'Reconciled', status: 'True' }] };
    const res = await request(t.url).patch(`${item('status')}/status`).set('content-type', MERGE).send(JSON.stringify({ status, spec: change })).expect(200);
    expect(res.body.status).toEqual(status);
    expect(res.body.metadata.generation).toBe(1);
    expect(res.body.spec).not.toMatchObject(change);
  });

  it('dry-runs create, patch and delete: answered as the write, nothing stored', async () => {
    const dry = await request(t.url).post(collection()).query({ dryRun: 'All' }).send(make('dry')).expect(201);
    expect(dry.body.metadata).toMatchObject({ name: 'dry', namespace: ns });
    expect(dry.body.metadata.resourceVersion).toBeUndefined();
    await request(t.url).get(item('dry')).expect(404);
    await request(t.url).post(collection()).send(make('dry')).expect(201);
    const patched = await request(t.url).patch(item('dry')).query({ dryRun: 'All' }).set('content-type', MERGE).send(JSON.stringify({ spec: change })).expect(200);
    expect(patched.body.spec).toMatchObject(change);
    expect((await request(t.url).get(item('dry')).expect(200)).body.metadata.generation).toBe(1);
    await request(t.url).delete(item('dry')).query({ dryRun: 'All' }).expect(200);
    await request(t.url).get(item('dry')).expect(200);
  });

  it('watches ADDED, MODIFIED and DELETED', async () => {
    const version = (await request(t.url).get(collection('watched')).expect(200)).body.metadata.resourceVersion;
    const stream = await openWatch(t.url, `${collection('watched')}?watch=true&resourceVersion=${version}`);
    opened.push(stream);
    await request(t.url).post(collection('watched')).send(make('w')).expect(201);
    await request(t.url).patch(`${collection('watched')}/w`).set('content-type', MERGE).send(JSON.stringify({ spec: change })).expect(200);
    await request(t.url).delete(`${collection('watched')}/w`).expect(200);
    const events = [await stream.next(), await stream.next(), await stream.next()];
    expect(events.map((e) => [e.type, e.object.kind, e.object.metadata.name])).toEqual([['ADDED', kind, 'w'], ['MODIFIED', kind, 'w'], ['DELETED', kind, 'w']]);
  });

  it('takes YAML in and answers YAML out', async () => {
    const yaml = `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata:\n  name: yaml\nspec: ${JSON.stringify(make('yaml').spec)}\n`;
    await request(t.url).post(collection()).set('content-type', 'application/yaml').send(yaml).expect(201);
    const res = await request(t.url).get(item('yaml')).set('accept', 'application/yaml').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parse(res.text)).toMatchObject({ kind, metadata: { name: 'yaml' }, spec: make('yaml').spec });
  });

  it('exports the kind as a clean YAML manifest and imports it back', async () => {
    await request(t.url).post(collection('exported')).send(make('e1', {}, { labels: { app: 'x' } })).expect(201);
    const exported = await request(t.url).get('/registry/v1/export').query({ namespace: 'exported', kind }).expect(200);
    const docs = parseAllDocuments(exported.text).map((d) => d.toJS());
    expect(docs).toEqual([expect.objectContaining({ kind, metadata: { name: 'e1', namespace: 'exported', labels: { app: 'x' } } })]);
    const imported = await request(t.url).post('/registry/v1/import').query({ namespace: 'imported' }).set('content-type', 'application/yaml')
      .send(exported.text.replace(/namespace: exported/g, 'namespace: imported')).expect(200);
    expect(imported.body).toMatchObject({ summary: { created: 1 } });
    expect((await request(t.url).get(`${collection('imported')}/e1`).expect(200)).body.spec).toEqual(make('e1').spec);
  });
});
