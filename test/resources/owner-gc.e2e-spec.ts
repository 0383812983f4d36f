import { Client } from 'pg';
import request from 'supertest';
import { aWorkloadEntry, aWorkloadGroup, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { openWatch, WatchStream } from '../support/watch-stream';

const MERGE = 'application/merge-patch+json';

/**
 * Deleting a WorkloadGroup deletes the WorkloadEntries that name it as their owner (kind, name and uid),
 * in the same transaction as the group: Kubernetes' garbage collection of ownerReferences, with its
 * propagation policies. Entries made by hand, or owned by an earlier group of the same name, stay.
 */
describe('deleting a WorkloadGroup removes its registered entries', () => {
  let t: TestApp;
  let db: Client;
  const opened: WatchStream[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    opened.forEach((s) => s.close());
    await db.end();
    await t.close();
  });

  const ownerRef = (name: string, uid: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', name, uid, controller: true });
  const group = async (name: string, ns: string, labels: Record<string, string> = {}) =>
    (await request(t.url).post(paths.workloadGroups(ns)).send(aWorkloadGroup(name, {}, { labels })).expect(201)).body.metadata.uid as string;
  const entry = (name: string, ns: string, owners: object[] = []) =>
    request(t.url).post(paths.workloadEntries(ns)).send(aWorkloadEntry(name, {}, owners.length ? { ownerReferences: owners } : {})).expect(201);
  const names = async (ns: string) =>
    (await request(t.url).get(paths.workloadEntries(ns)).expect(200)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);

  it('deletes the entries owned by the group, and only those', async () => {
    const uid = await group('vms', 'gc');
    const otherUid = await group('other', 'gc');
    await entry('owned-1', 'gc', [ownerRef('vms', uid)]);
    await entry('owned-2', 'gc', [ownerRef('vms', uid)]);
    await entry('by-hand', 'gc');
    await entry('earlier-group', 'gc', [ownerRef('vms', '00000000-0000-4000-8000-000000000000')]);
    await entry('of-other', 'gc', [ownerRef('other', otherUid)]);
    await entry('two-owners', 'gc', [ownerRef('vms', uid), { ...ownerRef('other', otherUid), controller: false }]);
    await entry('owned-1', 'gc-elsewhere', [ownerRef('vms', uid)]);
    const version = (await request(t.url).get(paths.workloadEntries('gc')).expect(200)).body.metadata.resourceVersion;
    const stream = await openWatch(t.url, `${paths.workloadEntries('gc')}?watch=true&resourceVersion=${version}`);
    opened.push(stream);

    const res = await request(t.url).delete(paths.workloadGroup('vms', 'gc')).expect(200);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'vms', kind: 'workloadgroups', uid } });

    expect(await names('gc')).toEqual(['by-hand', 'earlier-group', 'of-other', 'two-owners']);
    expect(await names('gc-elsewhere')).toEqual(['owned-1']);
    // An entry another live group also owns stays, released from the deleted one (as Kubernetes does).
    const kept = (await request(t.url).get(paths.workloadEntry('two-owners', 'gc')).expect(200)).body;
    expect(kept.metadata.ownerReferences).toEqual([{ ...ownerRef('other', otherUid), controller: false }]);
    const events = [await stream.next(), await stream.next(), await stream.next()];
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(['DELETED owned-1', 'DELETED owned-2', 'MODIFIED two-owners']);
  });

  it('a dry run deletes nothing, neither the group nor its entries', async () => {
    const uid = await group('dry', 'gc-dry');
    await entry('owned', 'gc-dry', [ownerRef('dry', uid)]);
    await request(t.url).delete(paths.workloadGroup('dry', 'gc-dry')).query({ dryRun: 'All' }).expect(200);
    await request(t.url).get(paths.workloadGroup('dry', 'gc-dry')).expect(200);
    expect(await names('gc-dry')).toEqual(['owned']);
  });

  it('propagationPolicy Orphan keeps the entries and removes their reference to the group', async () => {
    const uid = await group('orphans', 'gc-orphan');
    const before = (await entry('owned', 'gc-orphan', [ownerRef('orphans', uid)])).body;
    await request(t.url).delete(paths.workloadGroup('orphans', 'gc-orphan')).send({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' }).expect(200);
    const after = (await request(t.url).get(paths.workloadEntry('owned', 'gc-orphan')).expect(200)).body;
    expect(after.metadata.ownerReferences).toBeUndefined();
    expect(after.metadata).toMatchObject({ uid: before.metadata.uid, generation: 1 });
    expect(after.spec).toEqual(before.spec);
    // No longer owned, so a new group of that name does not take the entry with it either.
    await group('orphans', 'gc-orphan');
    await request(t.url).delete(paths.workloadGroup('orphans', 'gc-orphan')).expect(200);
    expect(await names('gc-orphan')).toEqual(['owned']);
  });

  it.each([['Foreground'], ['Background']])('propagationPolicy %s deletes the entries', async (policy) => {
    const ns = `gc-${policy.toLowerCase()}`;
    const uid = await group('g', ns);
    await entry('owned', ns, [ownerRef('g', uid)]);
    await request(t.url).delete(paths.workloadGroup('g', ns)).query({ propagationPolicy: policy }).expect(200);
    expect(await names(ns)).toEqual([]);
  });

  it('a collection delete removes the entries of every group it deletes', async () => {
    const a = await group('a', 'gc-collection', { tier: 'vm' });
    const b = await group('b', 'gc-collection', { tier: 'vm' });
    const c = await group('c', 'gc-collection');
    await entry('of-a', 'gc-collection', [ownerRef('a', a)]);
    await entry('of-b', 'gc-collection', [ownerRef('b', b)]);
    await entry('of-c', 'gc-collection', [ownerRef('c', c)]);
    const res = await request(t.url).delete(paths.workloadGroups('gc-collection')).query({ labelSelector: 'tier=vm' }).expect(200);
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b']);
    expect(await names('gc-collection')).toEqual(['of-c']);
  });

  it('the group and its entries go in one transaction: a crash before it commits leaves both', async () => {
    const uid = await group('crash', 'gc-crash');
    await entry('owned', 'gc-crash', [ownerRef('crash', uid)]);
    // Hold the entry's write lock (mr_write's advisory lock) so that the delete stops after the group's row.
    const holder = new Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('WorkloadEntry/gc-crash/owned', 0))`);
      const deleting = request(t.url).delete(paths.workloadGroup('crash', 'gc-crash')).then((r) => r.status);
      const waiter = await waitFor(async () => (await db.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0]?.pid);
      // The group's delete is written but not committed: the database still has both rows.
      const rows = await db.query(`SELECT kind, name FROM resources WHERE namespace = 'gc-crash' ORDER BY kind`);
      expect(rows.rows).toEqual([{ kind: 'WorkloadEntry', name: 'owned' }, { kind: 'WorkloadGroup', name: 'crash' }]);
      // The service's connection dies there, as it would in a crash.
      await db.query('SELECT pg_terminate_backend($1)', [waiter]);
      expect(await deleting).toBe(503);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await request(t.url).get(paths.workloadGroup('crash', 'gc-crash')).expect(200);
    expect(await names('gc-crash')).toEqual(['owned']);
    await request(t.url).delete(paths.workloadGroup('crash', 'gc-crash')).expect(200);
    expect(await names('gc-crash')).toEqual([]);
  });

  it('refuses malformed owner references with a 422 naming the field', async () => {
    const res = await request(t.url).post(paths.workloadEntries('gc-bad')).send(aWorkloadEntry('bad', {}, { ownerReferences: [{ kind: 'WorkloadGroup', name: 'g' }] })).expect(422);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual(['metadata.ownerReferences[0].apiVersion', 'metadata.ownerReferences[0].uid']);
  });

  it('deleting an entry or a group that owns nothing changes nothing else', async () => {
    const uid = await group('keep', 'gc-plain');
    await entry('owned', 'gc-plain', [ownerRef('keep', uid)]);
    await request(t.url).delete(paths.workloadEntry('owned', 'gc-plain')).expect(200);
    await request(t.url).patch(paths.workloadGroup('keep', 'gc-plain')).set('content-type', MERGE).send(JSON.stringify({ metadata: { labels: { a: 'b' } } })).expect(200);
    await request(t.url).get(paths.workloadGroup('keep', 'gc-plain')).expect(200);
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
