import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { ManualClock } from '../support/manual-clock';
import { openWatch } from '../support/watch-stream';
import { LeaseApp, leaseRows, startLeaseApp } from './lease-app';

const HEALTH = { 'proxy.istio.io/health-checks-enabled': 'true' };
const heartbeat = (name: string, namespace = 'default') => `${paths.workloadEntry(name, namespace)}/heartbeat`;
const healthy = (entry: any) => entry.status?.conditions?.find((c: any) => c.type === 'Healthy');

/**
 * Heartbeats on hand-made WorkloadEntries (the issue: they take heartbeats too, and are only ever
 * marked): leases, level-triggered health, renewals that write nothing visible, exact expiry on the
 * test's clock.
 */
describe('heartbeats and expiry of a hand-made WorkloadEntry', () => {
  let app: LeaseApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    app = await startLeaseApp(clock);
    await app.leading();
  });
  afterAll(() => app.close());

  const create = async (name: string) => {
    const response = await request(app.url).put(paths.workloadEntry(name)).send(aWorkloadEntry(name, {}, { annotations: HEALTH })).expect(201);
    return response.body;
  };
  const get = async (name: string) => (await request(app.url).get(paths.workloadEntry(name)).expect(200)).body;

  it('renews the lease, answers it, and writes Healthy once; later renewals write nothing visible', async () => {
    await create('vm-a');
    const first = await request(app.url).post(heartbeat('vm-a')).expect(200);
    expect(first.body).toMatchObject({
      kind: 'Heartbeat',
      lease: { leaseDurationSeconds: 10, renewIntervalSeconds: 2, deregisterAfterSeconds: 30, renewTime: '2026-12-01T12:00:00.000000Z', expireTime: '2026-12-01T12:00:10.000000Z', heartbeatPath: heartbeat('vm-a') },
      health: { status: 'True' },
    });
    const afterFirst = await get('vm-a');
    expect(healthy(afterFirst)).toMatchObject({ status: 'True', lastProbeTime: '2026-12-01T12:00:00Z' });

    const watch = await openWatch(app.url, `${paths.workloadEntries()}?watch=true&resourceVersion=${afterFirst.metadata.resourceVersion}`);
    clock.advance(1);
    for (let i = 0; i < 5; i++) {
      const again = await request(app.url).post(heartbeat('vm-a')).expect(200);
      expect(again.body.metadata.resourceVersion).toBe(afterFirst.metadata.resourceVersion);
    }
    expect(await watch.collect(500)).toEqual([]);
    watch.close();
    expect((await get('vm-a')).metadata.resourceVersion).toBe(afterFirst.metadata.resourceVersion);
    const [row] = (await leaseRows(app.database)).filter((r) => r.name === 'vm-a');
    expect(Number(row.renew_ms)).toBe(clock.now());
  });

  it('is level-triggered: each heartbeat carries the whole health, written only on a change', async () => {
    await create('vm-b');
    await request(app.url).post(heartbeat('vm-b')).send({ healthy: false, message: 'db down' }).expect(200);
    const down = await get('vm-b');
    expect(healthy(down)).toMatchObject({ status: 'False', reason: 'Reported', message: 'db down' });
    await request(app.url).post(heartbeat('vm-b')).send({ healthy: false, message: 'db down' }).expect(200);
    expect((await get('vm-b')).metadata.resourceVersion).toBe(down.metadata.resourceVersion);
    await request(app.url).put(heartbeat('vm-b')).set('content-type', 'application/json').send({ healthy: true }).expect(200);
    expect(healthy(await get('vm-b'))).toEqual(expect.objectContaining({ status: 'True' }));
    expect(healthy(await get('vm-b')).reason).toBeUndefined();
  });

  it('expires exactly at renewTime + duration, marks LeaseExpired, never deletes a hand-made entry, and revives on a heartbeat', async () => {
    await create('vm-c');
    await request(app.url).post(heartbeat('vm-c')).expect(200);
    const renewedAt = clock.now();
    clock.advance(10); // now == deadline: not yet (now > deadline)
    await app.reap();
    expect(healthy(await get('vm-c')).status).toBe('True');
    clock.advance(0.001);
    await app.reap();
    await request(app.url).get(paths.workloadEntry('vm-c')).expect(200);
    const lapsed = await get('vm-c');
    expect(healthy(lapsed)).toMatchObject({ status: 'False', reason: 'LeaseExpired' });
    expect(healthy(lapsed).message).toContain(new Date(renewedAt + 10_000).toISOString());
    expect((await leaseRows(app.database)).find((r) => r.name === 'vm-c')!.expired_ms).toBe(String(clock.now()));

    clock.advance(3600);
    await app.reap();
    expect(healthy(await get('vm-c')).reason).toBe('LeaseExpired');

    await request(app.url).post(heartbeat('vm-c')).expect(200);
    const revived = await get('vm-c');
    expect(healthy(revived).status).toBe('True');
    expect(revived.metadata.uid).toBe(lapsed.metadata.uid);
    expect((await leaseRows(app.database)).find((r) => r.name === 'vm-c')!.expired_ms).toBeNull();
  });

  it('a renewal before the deadline keeps it alive: expiry follows the last renewal, with no drift', async () => {
    await create('vm-d');
    await request(app.url).post(heartbeat('vm-d')).expect(200);
    clock.advance(7);
    await request(app.url).post(heartbeat('vm-d')).expect(200);
    clock.advance(9.999);
    await app.reap();
    expect(healthy(await get('vm-d')).status).toBe('True');
    clock.advance(0.002);
    await app.reap();
    expect(healthy(await get('vm-d')).reason).toBe('LeaseExpired');
  });

  it('answers 404 NotFound for an entry that does not exist (the cue to register again)', async () => {
    const response = await request(app.url).post(heartbeat('no-such-vm')).expect(404);
    expect(response.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'workloadentries.networking.istio.io "no-such-vm" not found' });
  });

  it('refuses a malformed body with 422 naming the field, renewing nothing', async () => {
    await create('vm-e');
    const response = await request(app.url).post(heartbeat('vm-e')).send({ healthy: 'yes' }).expect(422);
    expect(response.body.details.causes).toEqual([expect.objectContaining({ field: 'healthy' })]);
    await request(app.url).post(heartbeat('vm-e')).send({ healty: true }).expect(422);
    expect((await leaseRows(app.database)).find((r) => r.name === 'vm-e')).toBeUndefined();
  });

  it('deleting the entry deletes its lease, and a heartbeat then answers 404', async () => {
    await create('vm-f');
    await request(app.url).post(heartbeat('vm-f')).expect(200);
    expect((await leaseRows(app.database)).find((r) => r.name === 'vm-f')).toBeDefined();
    await request(app.url).delete(paths.workloadEntry('vm-f')).expect(200);
    expect((await leaseRows(app.database)).find((r) => r.name === 'vm-f')).toBeUndefined();
    await request(app.url).post(heartbeat('vm-f')).expect(404);
  });
});
