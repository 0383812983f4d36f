import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { openWatch, WatchStream } from '../support/watch-stream';

const MERGE = 'application/merge-patch+json';
const KUBECTL_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('watch: the Kubernetes watch protocol over HTTP', () => {
  let t: TestApp;
  const opened: WatchStream[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => opened.splice(0).forEach((w) => w.close()));
  afterAll(() => t.close());

  const watch = async (query: string, namespace = 'w', headers: Record<string, string> = {}) => {
    const stream = await openWatch(t.url, `${paths.workloadEntries(namespace)}?watch=true&${query}`, headers);
    opened.push(stream);
    return stream;
  };
  const create = (name: string, labels: Record<string, string> = { app: 'a' }, namespace = 'w') =>
    request(t.url).post(paths.workloadEntries(namespace)).send(aWorkloadEntry(name, {}, { labels })).expect(201).then((r) => r.body);
  const label = (name: string, labels: Record<string, string>, namespace = 'w') =>
    request(t.url).patch(paths.workloadEntry(name, namespace)).set('content-type', MERGE).send(JSON.stringify({ metadata: { labels } })).expect(200).then((r) => r.body);
  const listVersion = (namespace = 'w') => request(t.url).get(paths.workloadEntries(namespace)).expect(200).then((r) => r.body.metadata.resourceVersion as string);

  it('answers 200 with Content-Type application/json and sends its head before any event exists', async () => {
    const stream = await watch('resourceVersion=999999', 'quiet');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('application/json');
    expect(stream.headMs).toBeLessThan(200);
  });

  it('without a resourceVersion, starts with an ADDED for every current object, then the changes', async () => {
    await create('init-1', {}, 'init');
    await create('init-2', {}, 'init');
    const before = await listVersion('init');
    const stream = await watch('', 'init');
    const first = [await stream.next(), await stream.next()];
    expect(first.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'init-1'], ['ADDED', 'init-2']]);
    await create('init-3', {}, 'init');
    const added = await stream.next();
    expect([added.type, added.object.metadata.name]).toEqual(['ADDED', 'init-3']);
    expect(BigInt(added.object.metadata.resourceVersion)).toBeGreaterThan(BigInt(before));
    expect(stream.malformed).toEqual([]);
  });

  it('from a resourceVersion: exactly the changes after it, a label move out of the selector as DELETED, a delete with its own revision', async () => {
    await create('move', { app: 'a' });
    await create('gone', { app: 'a' });
    const from = await listVersion();
    const stream = await watch(`resourceVersion=${from}&labelSelector=app%3Da`);
    const updated = await label('move', { app: 'a', v: '2' });
    await label('move', { app: 'b' });
    const deleted = await request(t.url).delete(paths.workloadEntry('gone', 'w')).expect(200);
    const events = [await stream.next(), await stream.next(), await stream.next()];
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['MODIFIED', 'move'], ['DELETED', 'move'], ['DELETED', 'gone']]);
    expect(events[0].object.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    const gone = events[2].object;
    expect(gone.metadata.uid).toBe(deleted.body.details.uid);
    expect(BigInt(gone.metadata.resourceVersion)).toBeGreaterThan(BigInt(events[1].object.metadata.resourceVersion));
    expect(gone.spec.address).toBe('10.0.0.1');
  });

  it('gives ADDED to a watcher whose selector an object starts to match', async () => {
    await create('join', { app: 'b' });
    const stream = await watch(`resourceVersion=${await listVersion()}&labelSelector=app%3Da`);
    await label('join', { app: 'a' });
    expect(await stream.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'join', labels: { app: 'a' } } } });
  });

  it('watches one object by name from resourceVersion 0 (kubectl get -w NAME): its ADDED, then only its changes', async () => {
    await create('single');
    await create('other');
    const stream = await watch('fieldSelector=metadata.name%3Dsingle&resourceVersion=0');
    expect(await stream.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'single' } } });
    await label('other', { app: 'x' });
    await label('single', { app: 'x' });
    expect(await stream.next()).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'single' } } });
  });

  it('makes status writes MODIFIED events, and dry runs no events at all', async () => {
    await create('status');
    const stream = await watch(`resourceVersion=${await listVersion()}&fieldSelector=metadata.name%3Dstatus`);
    await request(t.url).patch(`${paths.workloadEntry('status', 'w')}/status`).query({ dryRun: 'All' }).set('content-type', MERGE)
      .send(JSON.stringify({ status: { conditions: [{ type: 'Healthy', status: 'False' }] } })).expect(200);
    await request(t.url).patch(paths.workloadEntry('status', 'w')).query({ dryRun: 'All' }).set('content-type', MERGE).send('{"spec":{"weight":3}}').expect(200);
    await request(t.url).patch(`${paths.workloadEntry('status', 'w')}/status`).set('content-type', MERGE)
      .send(JSON.stringify({ status: { conditions: [{ type: 'Healthy', status: 'True' }] } })).expect(200);
    const event = await stream.next();
    expect(event).toMatchObject({ type: 'MODIFIED', object: { status: { conditions: [{ type: 'Healthy', status: 'True' }] } } });
    expect(await stream.collect(200)).toEqual([]);
  });

  it('holds a watch from a revision not reached yet, and starts after it', async () => {
    const head = BigInt(await listVersion());
    const stream = await watch(`resourceVersion=${head + 2n}`);
    await create('future-1');
    await create('future-2');
    await create('future-3');
    const event = await stream.next();
    expect(event.object.metadata.name).toBe('future-3');
  });

  it('ends cleanly at timeoutSeconds; bookmarks only when allowed, carrying the current resourceVersion', async () => {
    const plain = await watch(`resourceVersion=${await listVersion()}&timeoutSeconds=2`, 'timing');
    const bookmarked = await watch(`resourceVersion=${await listVersion()}&timeoutSeconds=3&allowWatchBookmarks=true`, 'timing');
    await create('elsewhere', {}, 'not-timing');
    const head = await listVersion('not-timing');
    const ends = await plain.ended;
    expect(ends).toBeGreaterThanOrEqual(1900);
    expect(ends).toBeLessThan(2600);
    expect(await plain.collect(0)).toEqual([]);
    const bookmark = await bookmarked.next(2500);
    expect(bookmark).toEqual({ type: 'BOOKMARK', object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { resourceVersion: head } } });
    expect(await bookmarked.ended).toBeLessThan(3600);
  });

  it('sends initial events ending with the initial-events-end bookmark (watch-list)', async () => {
    await create('wl-1', {}, 'wl');
    await create('wl-2', {}, 'wl');
    const head = await listVersion('wl');
    const stream = await watch('sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true', 'wl');
    const events = [await stream.next(), await stream.next(), await stream.next()];
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2].object.metadata).toEqual({ resourceVersion: head, annotations: { 'k8s.io/initial-events-end': 'true' } });
    await create('wl-3', {}, 'wl');
    expect(await stream.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'wl-3' } } });
  });

  it.each([
    ['sendInitialEvents=true', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
    ['resourceVersionMatch=NotOlderThan', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    ['sendInitialEvents=true&resourceVersionMatch=Exact', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
  ])('refuses %s with 422 Invalid ListOptions before streaming', async (query, message) => {
    const res = await request(t.url).get(`${paths.workloadEntries('w')}?watch=true&${query}`).expect(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { kind: 'ListOptions', group: 'meta.k8s.io' } });
    expect(res.body.message).toContain(message);
  });

  it.each([
    ['watch=true&resourceVersion=abc'], ['watch=true&timeoutSeconds=soon'], ['watch=yes'], ['watch=true&labelSelector=a%3D%3D%3Db'],
  ])('refuses a malformed %s with 400', async (query) => {
    const res = await request(t.url).get(`${paths.workloadEntries('w')}?${query}`).expect(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('refuses sendInitialEvents on a list', async () => {
    const res = await request(t.url).get(paths.workloadEntries('w')).query({ sendInitialEvents: 'false' }).expect(422);
    expect(res.body.message).toContain('sendInitialEvents is forbidden for list');
  });

  it('answers the Python client`s watch=True (and every strconv.ParseBool spelling) as a watch', async () => {
    for (const spelling of ['True', '1', 't']) {
      const stream = await openWatch(t.url, `${paths.workloadEntries('w')}?watch=${spelling}&timeoutSeconds=1`);
      opened.push(stream);
      expect(stream.headers['content-type']).toBe('application/json');
      expect((await stream.next()).type).toBe('ADDED');
    }
  });

  it('sends Table events to kubectl get -w, column definitions in the first only', async () => {
    await create('table-1', {}, 'tables');
    const stream = await watch('', 'tables', { accept: KUBECTL_TABLE });
    const first = await stream.next();
    expect(first.type).toBe('ADDED');
    expect(first.object).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(first.object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Age', 'Address', 'Healthy', 'Reason', 'Group']);
    expect(first.object.rows[0].cells[0]).toBe('table-1');
    expect(first.object.rows[0].object.kind).toBe('PartialObjectMetadata');
    await create('table-2', {}, 'tables');
    const second = await stream.next();
    expect(second.object.columnDefinitions).toEqual([]);
    expect(second.object.rows[0].cells[0]).toBe('table-2');
  });

  it('watches every namespace on the cluster-wide path', async () => {
    const stream = await openWatch(t.url, `/apis/networking.istio.io/v1/workloadentries?watch=true&resourceVersion=${await listVersion()}`);
    opened.push(stream);
    await create('ns-a', {}, 'one');
    await create('ns-b', {}, 'two');
    const events = [await stream.next(), await stream.next()];
    expect(events.map((e) => e.object.metadata.namespace)).toEqual(['one', 'two']);
  });
});
