import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const MERGE = 'application/merge-patch+json';

/** What a dry run cannot know: the revision a write would take. */
const withoutRevision = (body: { metadata: Record<string, unknown> }) => {
  const { resourceVersion: _rv, ...metadata } = body.metadata;
  return { ...body, metadata };
};

describe('dry runs answer exactly what the real request would', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a create of a name that exists is 409 AlreadyExists, dry or not (kubectl create --dry-run=server)', async () => {
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('taken')).expect(201);
    const dry = await request(t.url).post(paths.workloadEntries()).query({ dryRun: 'All' }).send(aWorkloadEntry('taken'));
    const real = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('taken'));
    expect(dry.status).toBe(409);
    expect(dry.body).toEqual(real.body);
  });

  it('a create answers the same status, body shape, key order and timestamp format', async () => {
    const body = aWorkloadEntry('fresh', { ports: { http: 8080 }, address: '10.0.0.7' }, { labels: { b: '2', a: '1' }, annotations: { z: 'y' } });
    const dry = await request(t.url).post(paths.workloadEntries()).query({ dryRun: 'All' }).send(body).expect(201);
    await request(t.url).get(paths.workloadEntry('fresh')).expect(404);
    const real = await request(t.url).post(paths.workloadEntries()).send(body).expect(201);
    expect(Object.keys(dry.body)).toEqual(Object.keys(real.body));
    expect(Object.keys(dry.body.metadata)).toEqual(Object.keys(withoutRevision(real.body).metadata));
    expect(dry.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const normalise = (b: typeof dry.body) => ({ ...withoutRevision(b), metadata: { ...withoutRevision(b).metadata, uid: 'u', creationTimestamp: 't' } });
    expect(JSON.stringify(normalise(dry.body))).toBe(JSON.stringify(normalise(real.body)));
    expect(dry.headers.warning).toEqual(real.headers.warning);
  });

  it('a replace, a patch and a status patch answer what the real ones then store, with the current revision', async () => {
    const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('upd')).expect(201)).body;
    const dryPut = await request(t.url).put(paths.workloadEntry('upd')).query({ dryRun: 'All' }).send(aWorkloadEntry('upd', { weight: 5 })).expect(200);
    expect(dryPut.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect((await request(t.url).get(paths.workloadEntry('upd'))).body).toEqual(created);
    const realPut = await request(t.url).put(paths.workloadEntry('upd')).send(aWorkloadEntry('upd', { weight: 5 })).expect(200);
    expect(withoutRevision(dryPut.body)).toEqual(withoutRevision(realPut.body));

    const patch = JSON.stringify({ metadata: { labels: { patched: 'yes' } } });
    const dryPatch = await request(t.url).patch(paths.workloadEntry('upd')).query({ dryRun: 'All' }).set('content-type', MERGE).send(patch).expect(200);
    const realPatch = await request(t.url).patch(paths.workloadEntry('upd')).set('content-type', MERGE).send(patch).expect(200);
    expect(withoutRevision(dryPatch.body)).toEqual(withoutRevision(realPatch.body));

    const status = JSON.stringify({ status: { conditions: [{ type: 'Healthy', status: 'True' }] } });
    const dryStatus = await request(t.url).patch(`${paths.workloadEntry('upd')}/status`).query({ dryRun: 'All' }).set('content-type', MERGE).send(status).expect(200);
    const realStatus = await request(t.url).patch(`${paths.workloadEntry('upd')}/status`).set('content-type', MERGE).send(status).expect(200);
    expect(withoutRevision(dryStatus.body)).toEqual(withoutRevision(realStatus.body));
  });

  it('a stale resourceVersion is a 409 Conflict, dry or not', async () => {
    const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('stale')).expect(201)).body;
    await request(t.url).put(paths.workloadEntry('stale')).send(aWorkloadEntry('stale', { weight: 2 })).expect(200);
    const stale = aWorkloadEntry('stale', { weight: 3 }, { resourceVersion: created.metadata.resourceVersion });
    const dry = await request(t.url).put(paths.workloadEntry('stale')).query({ dryRun: 'All' }).send(stale);
    const real = await request(t.url).put(paths.workloadEntry('stale')).send(stale);
    expect(dry.status).toBe(409);
    expect(dry.body).toEqual(real.body);
  });

  it('a patch of an object that does not exist is 404, dry or not', async () => {
    const dry = await request(t.url).patch(paths.workloadEntry('ghost')).query({ dryRun: 'All' }).set('content-type', MERGE).send('{}');
    const real = await request(t.url).patch(paths.workloadEntry('ghost')).set('content-type', MERGE).send('{}');
    expect(dry.status).toBe(404);
    expect(dry.body).toEqual(real.body);
  });

  it('a replace carrying a resourceVersion of an object that does not exist is 404 and creates nothing', async () => {
    await request(t.url).put(paths.workloadEntry('never')).send(aWorkloadEntry('never', {}, { resourceVersion: '12' })).expect(404);
    await request(t.url).get(paths.workloadEntry('never')).expect(404);
  });
});
