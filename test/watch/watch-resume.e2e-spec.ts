import { Client } from 'pg';
import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { openWatch, WatchEvent, WatchStream } from '../support/watch-stream';

const MERGE = 'application/merge-patch+json';

describe('watch: resuming, history, other replicas, slow clients', () => {
  let db: TestDatabase;
  let a: TestApp;
  let sql: Client;
  const opened: WatchStream[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({}, db);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterEach(() => opened.splice(0).forEach((w) => w.close()));
  afterAll(async () => {
    await sql.end();
    await a.close();
    await db.drop();
  });

  const watch = async (app: TestApp, namespace: string, query: string) => {
    const stream = await openWatch(app.url, `${paths.workloadEntries(namespace)}?watch=true&${query}`);
    opened.push(stream);
    return stream;
  };
  const listVersion = (app: TestApp, namespace: string) =>
    request(app.url).get(paths.workloadEntries(namespace)).expect(200).then((r) => r.body.metadata.resourceVersion as string);
  const write = (app: TestApp, namespace: string, step: number) => {
    const name = `obj-${step % 7}`;
    if (step % 5 === 4) return request(app.url).delete(paths.workloadEntry(name, namespace));
    return request(app.url).put(paths.workloadEntry(name, namespace)).send(aWorkloadEntry(name, { weight: step + 1 }));
  };
  const changesIn = async (namespace: string, after: string) =>
    (await sql.query<{ rv: string }>(
      `SELECT resource_version::text AS rv FROM resource_changes WHERE namespace = $1 AND resource_version > $2 AND type <> 'GAP' ORDER BY resource_version`,
      [namespace, after])).rows.map((r) => r.rv);

  it('delivers every change exactly once, in order, across reconnects from the last resourceVersion seen', async () => {
    const start = await listVersion(a, 'resume');
    let stream = await watch(a, 'resume', `resourceVersion=${start}`);
    const seen: WatchEvent[] = [];
    const writes = (async () => {
      for (let step = 0; step < 100; step++) await write(a, 'resume', step);
    })();
    for (let reconnect = 0; reconnect < 3; reconnect++) {
      for (let i = 0; i < 15; i++) seen.push(await stream.next());
      stream.close();
      stream = await watch(a, 'resume', `resourceVersion=${seen[seen.length - 1].object.metadata.resourceVersion}`);
    }
    await writes;
    const expected = await changesIn('resume', start);
    while (seen.length < expected.length) seen.push(await stream.next());
    expect(seen.map((e) => e.object.metadata.resourceVersion)).toEqual(expected);
    expect(await stream.collect(200)).toEqual([]);
  });

  it('replays from the change log for a replica whose memory starts later, and answers 410 Expired once it is compacted', async () => {
    const from = await listVersion(a, 'old');
    for (let step = 0; step < 6; step++) await write(a, 'old', step);
    const b = await startTestApp({}, db);
    try {
      const replayed = await watch(b, 'old', `resourceVersion=${from}`);
      const expected = await changesIn('old', from);
      const events = [];
      while (events.length < expected.length) events.push(await replayed.next());
      expect(events.map((e) => e.object.metadata.resourceVersion)).toEqual(expected);

      // Compact the log past `from`, as the hourly compaction would.
      const through = (await sql.query<{ rv: string }>('SELECT max(resource_version)::text AS rv FROM resource_changes')).rows[0].rv;
      await sql.query('UPDATE change_log_horizon SET compacted_through = $1', [BigInt(through) - 1n]);
      await sql.query('DELETE FROM resource_changes WHERE resource_version < $1', [through]);
      const c = await startTestApp({}, db);
      try {
        const expired = await watch(c, 'old', `resourceVersion=${from}`);
        expect(expired.status).toBe(200);
        expect(await expired.next()).toEqual({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${through})`, reason: 'Expired', code: 410 },
        });
        await expired.ended;
      } finally {
        await c.close();
      }
    } finally {
      await b.close();
    }
  });

  it('shows a write on one replica to a watcher on another within a second', async () => {
    const b = await startTestApp({}, db);
    try {
      const stream = await watch(b, 'across', `resourceVersion=${await listVersion(b, 'across')}`);
      const started = Date.now();
      await request(a.url).post(paths.workloadEntries('across')).send(aWorkloadEntry('hop')).expect(201);
      expect((await stream.next(2000)).object.metadata.name).toBe('hop');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await b.close();
    }
  });

  it('disconnects a client that stops reading once its bounded buffer is full, without slowing the others', async () => {
    await request(a.url).post(paths.workloadEntries('slow')).send(aWorkloadEntry('big')).expect(201);
    const from = await listVersion(a, 'slow');
    const stalled = await watch(a, 'slow', `resourceVersion=${from}`);
    stalled.pause();
    const healthy = await watch(a, 'slow', `resourceVersion=${from}`);
    const filler = 'x'.repeat(200 * 1024);
    let healthySeen = 0;
    for (let i = 0; i < 80; i++) {
      await request(a.url).patch(paths.workloadEntry('big', 'slow')).set('content-type', MERGE)
        .send(JSON.stringify({ metadata: { annotations: { filler: `${i}${filler}` } } })).expect(200);
      await healthy.next();
      healthySeen++;
    }
    expect(healthySeen).toBe(80);
    const metrics = (await request(a.url).get('/metrics')).text;
    expect(metrics).toMatch(/watches_ended_total\{reason="slow"\} [1-9]/);
    // Once it reads again, it finds its stream ended (and would watch again from its last event).
    stalled.resume();
    await expect(stalled.ended).resolves.toBeGreaterThan(0);
  });
});
