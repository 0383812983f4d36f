import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/** Polls until `check` passes or the deadline; resolve on a replica is eventually (and quickly) consistent. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 3000): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (check(value)) return { value, ms: Date.now() - start };
    if (Date.now() - start > timeoutMs) throw new Error(`not visible after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('two replicas on one database', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({}, db);
    b = await startTestApp({}, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const endpointsOn = (replica: TestApp) => () =>
    request(replica.url).get('/registry/v1/resolve').query({ host: 'shared.example.com' })
      .then((r) => (r.status === 200 ? r.body.services[0].endpoints.map((e: { address: string }) => e.address) : []));

  it('shows a write made through one replica in resolve on the other, within the documented bound', async () => {
    await request(a.url).post(paths.serviceEntries()).send(aServiceEntry('shared', {
      hosts: ['shared.example.com'], workloadSelector: { labels: { app: 'shared' } },
    })).expect(201);
    await request(a.url).post(paths.workloadEntries()).send(aWorkloadEntry('vm-1', { address: '10.1.0.1', labels: { app: 'shared' } })).expect(201);
    const added = await eventually(endpointsOn(b), (addresses) => addresses.includes('10.1.0.1'));
    expect(added.ms).toBeLessThan(1500);

    await request(b.url).delete(paths.workloadEntry('vm-1')).expect(200);
    await eventually(endpointsOn(a), (addresses) => !addresses.includes('10.1.0.1'));
  });

  it('gives read-your-writes on any replica through ?resourceVersion', async () => {
    const write = await request(a.url).post(paths.workloadEntries()).send(aWorkloadEntry('vm-2', { address: '10.1.0.2', labels: { app: 'shared' } })).expect(201);
    const res = await request(b.url).get('/registry/v1/resolve')
      .query({ host: 'shared.example.com', resourceVersion: write.body.metadata.resourceVersion }).expect(200);
    expect(res.body.services[0].endpoints.map((e: { address: string }) => e.address)).toContain('10.1.0.2');
  });
});
