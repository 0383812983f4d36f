import { Client } from 'pg';
import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const WRITERS_PER_REPLICA = 8;
const WRITES_PER_WRITER = 25;

interface LoggedChange {
  resource_version: string;
  type: string;
  name: string;
  spec: { weight?: number } | null;
}

describe('the change log under concurrent writers on two replicas', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let sql: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({}, db);
    b = await startTestApp({}, db);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await a.close();
    await b.close();
    await db.drop();
  });

  const log = async () =>
    (await sql.query<LoggedChange>('SELECT resource_version::text, type, name, spec FROM resource_changes c ORDER BY c.resource_version')).rows;

  it('holds every acknowledged write exactly once, in resourceVersion order, with no gap a reader could skip', async () => {
    const acknowledged: { name: string; weight: number; resourceVersion: string; type: string }[] = [];
    const writer = (replica: TestApp, id: string) => async () => {
      for (let i = 0; i < WRITES_PER_WRITER; i++) {
        const name = `w-${id}-${i % 5}`;
        const weight = i + 1;
        const res = await request(replica.url).put(paths.workloadEntry(name)).send(aWorkloadEntry(name, { weight }));
        expect([200, 201]).toContain(res.status);
        acknowledged.push({ name, weight, resourceVersion: res.body.metadata.resourceVersion, type: res.status === 201 ? 'ADDED' : 'MODIFIED' });
        if (i % 10 === 9) {
          const gone = await request(replica.url).delete(paths.workloadEntry(name)).expect(200);
          expect(gone.body.details.name).toBe(name);
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: WRITERS_PER_REPLICA }, (_, i) => writer(a, `a${i}`)()),
      ...Array.from({ length: WRITERS_PER_REPLICA }, (_, i) => writer(b, `b${i}`)()),
    ]);

    const rows = await log();
    const revisions = rows.map((r) => BigInt(r.resource_version));
    // Contiguous: every revision from the first to the last is present, real or filled.
    expect(revisions[revisions.length - 1] - revisions[0] + 1n).toBe(BigInt(rows.length));
    // Each acknowledged write is in the log exactly once, at the revision it was answered with.
    const byRevision = new Map(rows.map((r) => [r.resource_version, r]));
    for (const write of acknowledged) {
      expect(byRevision.get(write.resourceVersion)).toMatchObject({ name: write.name, type: write.type, spec: expect.objectContaining({ weight: write.weight }) });
    }
    expect(rows.filter((r) => r.type !== 'GAP' && r.type !== 'DELETED')).toHaveLength(acknowledged.length);

    // And each replica's cache, which follows that log, ends up equal to the table.
    const stored = (await sql.query<{ name: string; weight: number }>(
      "SELECT name, (spec->>'weight')::int AS weight FROM resources ORDER BY name COLLATE \"C\"")).rows;
    for (const replica of [a, b]) {
      const listed = (await request(replica.url).get(paths.workloadEntries()).expect(200)).body.items;
      expect(listed.map((i: { metadata: { name: string }; spec: { weight: number } }) => ({ name: i.metadata.name, weight: i.spec.weight }))).toEqual(stored);
    }
  });

  it('gives both replicas a consistent read of the latest state right after a write on the other', async () => {
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 ? [a, b] : [b, a];
      const written = await request(writer.url).put(paths.workloadEntry('seesaw')).send(aWorkloadEntry('seesaw', { weight: i + 1 }));
      const read = await request(reader.url).get(paths.workloadEntry('seesaw')).expect(200);
      expect(read.body.metadata.resourceVersion).toBe(written.body.metadata.resourceVersion);
      const listed = await request(reader.url).get(paths.workloadEntries()).query({ fieldSelector: 'metadata.name=seesaw' }).expect(200);
      expect(listed.body.items[0].spec.weight).toBe(i + 1);
      expect(BigInt(listed.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(BigInt(written.body.metadata.resourceVersion));
    }
  });

  it('fills a revision whose write rolled back, and goes on delivering the writes after it', async () => {
    const before = await request(b.url).get(paths.workloadEntries()).expect(200);
    // A writer that took a revision and then died: its transaction rolls back, leaving the revision unused.
    const dying = new Client({ connectionString: db.url });
    await dying.connect();
    await dying.query('BEGIN');
    await dying.query(`INSERT INTO resource_changes (resource_version, type, kind, namespace, name)
                       VALUES (nextval('resource_changes_resource_version_seq'), 'MODIFIED', 'WorkloadEntry', 'default', 'lost')`);
    const after = await request(a.url).post(paths.workloadEntries()).send(aWorkloadEntry('after-the-gap')).expect(201);
    await dying.query('ROLLBACK');
    await dying.end();
    // Both replicas see the write behind the gap, once the gap is filled (about half a second).
    for (const replica of [a, b]) {
      const res = await request(replica.url).get(paths.workloadEntry('after-the-gap')).expect(200);
      expect(res.body.metadata.uid).toBe(after.body.metadata.uid);
    }
    const gap = (await log()).filter((r) => r.type === 'GAP');
    expect(gap.length).toBeGreaterThanOrEqual(1);
    expect(BigInt(gap[gap.length - 1].resource_version)).toBeGreaterThan(BigInt(before.body.metadata.resourceVersion));
    expect(BigInt(gap[gap.length - 1].resource_version)).toBeLessThan(BigInt(after.body.metadata.resourceVersion));
  });

  it('never lets a reader see a later write before an earlier one that is still committing', async () => {
    // Hold a revision open (its row inserted, not committed), then commit a later write: until the
    // first commits, neither replica may report the later revision as its list's resourceVersion.
    const slow = new Client({ connectionString: db.url });
    await slow.connect();
    await slow.query('BEGIN');
    const held = await slow.query<{ rv: string }>(`INSERT INTO resource_changes (resource_version, type, kind, namespace, name)
      VALUES (nextval('resource_changes_resource_version_seq'), 'GAP', '', '', '') RETURNING resource_version::text AS rv`);
    const later = await request(a.url).post(paths.workloadEntries()).send(aWorkloadEntry('later')).expect(201);
    const zero = await request(b.url).get(paths.workloadEntries()).query({ resourceVersion: '0' }).expect(200);
    expect(BigInt(zero.body.metadata.resourceVersion)).toBeLessThan(BigInt(held.rows[0].rv));
    expect(zero.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).not.toContain('later');
    await slow.query('COMMIT');
    await slow.end();
    const latest = await request(b.url).get(paths.workloadEntries()).expect(200);
    expect(BigInt(latest.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(BigInt(later.body.metadata.resourceVersion));
    expect(latest.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('later');
  });
});
