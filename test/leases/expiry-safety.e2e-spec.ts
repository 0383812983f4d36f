import request from 'supertest';
import { aWorkloadGroup, paths } from '../support/factories';
import { ManualClock } from '../support/manual-clock';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Client } from 'pg';
import { LeaseApp, leaseRows, startLeaseApp } from './lease-app';

const register = (group: string) => `${paths.workloadGroup(group)}/register`;
const heartbeat = (name: string) => `${paths.workloadEntry(name)}/heartbeat`;
const healthy = (entry: any) => entry.status?.conditions?.find((c: any) => c.type === 'Healthy');
const condition = (object: any, type: string) => object.status?.conditions?.find((c: any) => c.type === type);
const admin = async (url: string, sql: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function registerMany(app: LeaseApp, group: string, count: number, from = 1): Promise<string[]> {
  const names: string[] = [];
  for (let i = from; i < from + count; i++) {
    names.push((await request(app.url).post(register(group)).send({ address: `10.9.0.${i}` }).expect(201)).body.workloadEntry.metadata.name);
  }
  return names;
}

const entryOf = async (app: LeaseApp, name: string) => request(app.url).get(paths.workloadEntry(name));

/** When the registry is the one at fault, it must not evict: outages, partitions, and replicas. */
describe('no mass eviction when the registry was at fault', () => {
  // Each case on a database of its own (its liveness row and advisory lock are the database's).
  let database: TestDatabase;
  const apps: LeaseApp[] = [];
  beforeEach(async () => (database = await createTestDatabase()));
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    await database.drop();
  });
  const start = async (clock: ManualClock, leases = {}) => {
    const app = await startLeaseApp(clock, leases, database);
    apps.push(app);
    return app;
  };

  it('after the registry was down, nothing expires until a full lease duration after it came back', async () => {
    const clock = new ManualClock();
    let app = await start(clock);
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('outage')).expect(201);
    const names = await registerMany(app, 'outage', 5);
    await app.close();
    await sleep(1500); // longer than the outage gap (1 s): no replica touched the liveness row
    clock.advance(300);
    app = await start(clock);
    await app.leading();
    await app.reap();
    for (const name of names) expect(healthy((await entryOf(app, name)).body).status).toBe('True');
    clock.advance(9.999);
    await app.reap();
    expect(healthy((await entryOf(app, names[0])).body).status).toBe('True');
    await request(app.url).post(heartbeat(names[0])).expect(200);
    clock.advance(0.002);
    await app.reap();
    expect(healthy((await entryOf(app, names[0])).body).status).toBe('True');
    for (const name of names.slice(1)) expect(healthy((await entryOf(app, name)).body).reason).toBe('LeaseExpired');
  });

  it('pauses deletion in a group when most of it lapses at once (ExpiryPaused, metric), marking all; resumes when it recovers', async () => {
    const clock = new ManualClock();
    const app = await start(clock, { deletesPerSecond: 1000 });
    await app.leading();
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('partition')).expect(201);
    const names = await registerMany(app, 'partition', 10, 100);
    const [alive, lapsing] = [names.slice(0, 4), names.slice(4)];
    clock.advance(5);
    for (const name of alive) await request(app.url).post(heartbeat(name)).expect(200);
    clock.advance(5.001);
    await app.reap();
    for (const name of lapsing) expect(healthy((await entryOf(app, name)).body).reason).toBe('LeaseExpired');
    clock.advance(31); // past deregisterAfter (30 s)
    for (const name of alive) await request(app.url).post(heartbeat(name)).expect(200);
    const report = await app.reap();
    expect(report.deleted).toBe(0);
    expect(report.paused).toEqual(['default/partition']);
    for (const name of lapsing) await entryOf(app, name).then((r) => expect(r.status).toBe(200));
    const group = (await request(app.url).get(paths.workloadGroup('partition')).expect(200)).body;
    expect(condition(group, 'ExpiryPaused')).toMatchObject({ status: 'True', reason: 'TooManyLeasesLapsed' });
    expect(condition(group, 'ExpiryPaused').message).toContain('6 of 10 leases lapsed');
    const metrics = (await request(app.url).get('/metrics').expect(200)).text;
    expect(metrics).toContain('registry_expiry_paused{namespace="default",group="partition"} 1');
    expect(metrics).toContain('lease_expiry_paused_groups 1');

    // Two come back: 4 of 10 lapsed is under half, so the other 4 are deleted.
    for (const name of lapsing.slice(0, 2)) await request(app.url).post(heartbeat(name)).expect(200);
    for (const name of alive) await request(app.url).post(heartbeat(name)).expect(200);
    const resumed = await app.reap();
    expect(resumed.paused).toEqual([]);
    expect(resumed.deleted).toBe(4);
    for (const name of lapsing.slice(2)) await entryOf(app, name).then((r) => expect(r.status).toBe(404));
    for (const name of lapsing.slice(0, 2)) expect(healthy((await entryOf(app, name)).body).status).toBe('True');
    const after = (await request(app.url).get(paths.workloadGroup('partition')).expect(200)).body;
    expect(condition(after, 'ExpiryPaused')).toMatchObject({ status: 'False', reason: 'LeasesRenewed' });
  });

  it('rate-limits deletions (burst 1, then LEASE_DELETES_PER_SECOND on the clock)', async () => {
    const clock = new ManualClock();
    const app = await start(clock, { deletesPerSecond: 2, maxExpiryFraction: 1 });
    await app.leading();
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('slow')).expect(201);
    const names = await registerMany(app, 'slow', 8, 200);
    clock.advance(10.001);
    await app.reap();
    clock.advance(30.001);
    // Over one second of the clock (and however many passes the reaper's own timer adds): at most the
    // burst of 1 plus 2 a second.
    for (let i = 0; i < 3; i++) {
      await app.reap();
      if (i < 2) clock.advance(0.5);
    }
    const remaining = (await Promise.all(names.map((name) => entryOf(app, name)))).filter((r) => r.status === 200).length;
    expect(8 - remaining).toBeGreaterThanOrEqual(1);
    expect(8 - remaining).toBeLessThanOrEqual(3);
  });

  it('two replicas on one database: heartbeats to either, one expires, and the leader\'s crash loses no lease', async () => {
    const clock = new ManualClock();
    const a = await start(clock);
    await a.leading();
    const b = await start(clock);
    await sleep(1200);
    expect([a.reaper.isLeader, b.reaper.isLeader]).toEqual([true, false]);
    expect((await b.reap()).leader).toBe(false);
    await request(a.url).post(paths.workloadGroups()).send(aWorkloadGroup('pair')).expect(201);
    const viaA = (await request(a.url).post(register('pair')).send({ address: '10.8.0.1' }).expect(201)).body.workloadEntry.metadata.name;
    const viaB = (await request(b.url).post(register('pair')).send({ address: '10.8.0.2' }).expect(201)).body.workloadEntry.metadata.name;
    clock.advance(8);
    await request(a.url).post(heartbeat(viaB)).expect(200);
    await request(b.url).post(heartbeat(viaA)).expect(200);
    const renewedAt = clock.now();
    await a.close(); // the leader goes away (its session, and so its lock, with it)
    await b.leading(5000);
    const rows = await leaseRows(database);
    for (const name of [viaA, viaB]) expect(Number(rows.find((r) => r.name === name)!.renew_ms)).toBe(renewedAt);
    clock.advance(9.999);
    await b.reap();
    for (const name of [viaA, viaB]) expect(healthy((await entryOf(b, name)).body).status).toBe('True');
    clock.advance(0.002);
    await b.reap();
    for (const name of [viaA, viaB]) expect(healthy((await entryOf(b, name)).body).reason).toBe('LeaseExpired');
  });

  it('re-elects when the leader loses its lock session (as when its machine vanishes)', async () => {
    const clock = new ManualClock();
    const a = await start(clock);
    await a.leading();
    const b = await start(clock);
    await sleep(1200);
    expect(b.reaper.isLeader).toBe(false);
    const holder = `SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    const [{ pid }] = (await admin(database.url, holder)).rows;
    await admin(database.url, `SELECT pg_terminate_backend(${pid})`);
    // Whichever replica asks first takes it: one leader again within a couple of tries, on a new session.
    await sleep(2500);
    const holders = (await admin(database.url, holder)).rows;
    expect(holders).toHaveLength(1);
    expect(holders[0].pid).not.toBe(pid);
    expect([a.reaper.isLeader, b.reaper.isLeader].filter(Boolean)).toHaveLength(1);
  });
});

