import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const N = 12;

describe('resource API under concurrent writers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`lets exactly one of ${N} parallel creates of one name win`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('race', { weight: i }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(N - 1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.reason === 'AlreadyExists')).toBe(true);
  });

  it(`lets exactly one of ${N} parallel updates carrying the same resourceVersion win`, async () => {
    const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('cas')).expect(201)).body;
    const rv = created.metadata.resourceVersion;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(t.url).put(paths.workloadEntry('cas')).send(aWorkloadEntry('cas', { weight: i + 1 }, { resourceVersion: rv })),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.reason === 'Conflict')).toHaveLength(N - 1);
    const stored = (await request(t.url).get(paths.workloadEntry('cas'))).body;
    expect(stored.spec.weight).toBe(winners[0].body.spec.weight);
  });

  it('applies every one of 50 parallel unconditional merge patches, losing none of them', async () => {
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('many-patches')).expect(201);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(t.url).patch(paths.workloadEntry('many-patches')).set('content-type', 'application/merge-patch+json')
          .send(JSON.stringify({ metadata: { labels: { [`writer-${i}`]: 'yes' } } })),
      ),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const stored = (await request(t.url).get(paths.workloadEntry('many-patches'))).body;
    expect(Object.keys(stored.metadata.labels).filter((k) => k.startsWith('writer-'))).toHaveLength(50);
  });

  it('lets every one of 20 parallel unconditional PUTs succeed, the last writer winning', async () => {
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('many-puts')).expect(201);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(t.url).put(paths.workloadEntry('many-puts')).send(aWorkloadEntry('many-puts', { weight: i + 1 }))),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const stored = (await request(t.url).get(paths.workloadEntry('many-puts'))).body;
    const last = results.reduce((a, b) => (BigInt(a.body.metadata.resourceVersion) > BigInt(b.body.metadata.resourceVersion) ? a : b));
    expect(stored.spec.weight).toBe(last.body.spec.weight);
    expect(stored.metadata.resourceVersion).toBe(last.body.metadata.resourceVersion);
  });
});
