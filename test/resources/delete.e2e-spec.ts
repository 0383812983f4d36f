import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('resource API: DELETE, as the official clients send it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (name: string, labels: Record<string, string> = {}) =>
    request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry(name, {}, { labels })).expect(201).then((r) => r.body);
  const exists = (name: string) => request(t.url).get(paths.workloadEntry(name)).then((r) => r.status === 200);

  it.each([
    ['no body (kubectl, curl)', undefined, undefined],
    ['an empty body with Content-Type: application/json (client-node, Python)', 'application/json', ''],
    ['DeleteOptions with propagationPolicy and gracePeriodSeconds', 'application/json',
      JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', gracePeriodSeconds: 0 })],
    ['DeleteOptions in YAML', 'application/yaml', 'kind: DeleteOptions\napiVersion: v1\npropagationPolicy: Foreground\n'],
  ])('deletes with %s', async (_name, contentType, body) => {
    const name = `del-${Math.random().toString(36).slice(2, 8)}`;
    const created = await create(name);
    const req = request(t.url).delete(paths.workloadEntry(name));
    if (contentType) req.set('content-type', contentType);
    const res = await (body === undefined ? req : req.send(body)).expect(200);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name, uid: created.metadata.uid } });
    expect(await exists(name)).toBe(false);
  });

  it('honours preconditions: a wrong uid or resourceVersion is a 409 and deletes nothing; the right ones delete', async () => {
    const created = await create('guarded');
    const wrongUid = await request(t.url).delete(paths.workloadEntry('guarded'))
      .send({ preconditions: { uid: '3f1c0b6e-0000-4000-8000-000000000000' } }).expect(409);
    expect(wrongUid.body).toMatchObject({ reason: 'Conflict' });
    expect(wrongUid.body.message).toContain(`Precondition failed: UID in precondition: 3f1c0b6e-0000-4000-8000-000000000000, UID in object meta: ${created.metadata.uid}`);
    const wrongVersion = await request(t.url).delete(paths.workloadEntry('guarded'))
      .send({ preconditions: { resourceVersion: '1' } }).expect(409);
    expect(wrongVersion.body.message).toContain(`the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${created.metadata.resourceVersion})`);
    await request(t.url).delete(paths.workloadEntry('guarded')).send({ preconditions: { uid: 'not-a-uid' } }).expect(409);
    expect(await exists('guarded')).toBe(true);
    await request(t.url).delete(paths.workloadEntry('guarded'))
      .send({ preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } }).expect(200);
    expect(await exists('guarded')).toBe(false);
  });

  it('dry-runs a delete (body or query) without deleting, with the answer of the real one', async () => {
    const created = await create('dry');
    const viaBody = await request(t.url).delete(paths.workloadEntry('dry')).send({ dryRun: ['All'] }).expect(200);
    const viaQuery = await request(t.url).delete(paths.workloadEntry('dry')).query({ dryRun: 'All' }).expect(200);
    expect(await exists('dry')).toBe(true);
    const real = await request(t.url).delete(paths.workloadEntry('dry')).expect(200);
    expect(viaBody.body).toEqual(real.body);
    expect(viaQuery.body).toEqual(real.body);
    expect(real.body.details.uid).toBe(created.metadata.uid);
    await request(t.url).delete(paths.workloadEntry('dry')).query({ dryRun: 'All' }).expect(404);
  });

  it('refuses bad DeleteOptions as the apiserver does', async () => {
    await create('opts');
    const invalid = await request(t.url).delete(paths.workloadEntry('opts')).send({ propagationPolicy: 'Eventually' }).expect(422);
    expect(invalid.body).toMatchObject({ reason: 'Invalid', details: { kind: 'DeleteOptions', causes: [{ field: 'propagationPolicy', reason: 'FieldValueNotSupported' }] } });
    await request(t.url).delete(paths.workloadEntry('opts')).send({ kind: 'WorkloadEntry' }).expect(400);
    await request(t.url).delete(paths.workloadEntry('opts')).set('content-type', 'application/json').send('[1]').expect(400);
    expect(await exists('opts')).toBe(true);
  });

  it('deletes a collection from an empty JSON body, answering the list of what it deleted', async () => {
    await create('col-a', { batch: 'x' });
    await create('col-b', { batch: 'x' });
    await create('col-keep', { batch: 'y' });
    const res = await request(t.url).delete(paths.workloadEntries()).query({ labelSelector: 'batch=x' })
      .set('content-type', 'application/json').send('').expect(200);
    expect(res.body.kind).toBe('WorkloadEntryList');
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['col-a', 'col-b']);
    expect(await exists('col-a')).toBe(false);
    expect(await exists('col-keep')).toBe(true);
  });

  it('answers each DELETE of a create/delete race with the incarnation it deleted', async () => {
    const deletedUids: string[] = [];
    const createdUids = new Set<string>();
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let round = 0; round < 20; round++) {
        const created = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('flapping'));
        if (created.status === 201) createdUids.add(created.body.metadata.uid);
        const deleted = await request(t.url).delete(paths.workloadEntry('flapping'));
        if (deleted.status === 200) deletedUids.push(deleted.body.details.uid);
      }
    }));
    // Every incarnation was deleted exactly once, and every answer names a real incarnation.
    expect(new Set(deletedUids).size).toBe(deletedUids.length);
    for (const uid of deletedUids) expect(createdUids.has(uid)).toBe(true);
    const left = await exists('flapping');
    expect(deletedUids.length + (left ? 1 : 0)).toBe(createdUids.size);
  });
});
