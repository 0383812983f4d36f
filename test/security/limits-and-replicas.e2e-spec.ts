import { Client } from 'pg';
import { asText } from '../support/watch-stream';
import { ManualClock } from '../support/manual-clock';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { idOf, TOKENS, tokenFor, workloadEntry } from './tokens';

const WE = '/apis/networking.istio.io/v1/namespaces/a/workloadentries';

describe('rate limits (token buckets on a test clock)', () => {
  const clock = new ManualClock();
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await startSecureTestApp({ clock, rateLimits: { readsPerSecond: 5, writesPerSecond: 1, heartbeatsPerSecond: 1, unauthenticatedPerSecond: 1, watchesPerToken: 1 } });
  });
  afterAll(() => t?.close());

  it('answers a token over its write budget 429 with Retry-After, and lets it in once that has passed', async () => {
    const writer = await tokenFor(t, { subject: 'writer', role: 'editor' });
    await t.as(writer).post(WE).send(workloadEntry('w1')).expect(201);
    await t.as(writer).post(WE).send(workloadEntry('w2')).expect(201);
    const limited = await t.as(writer).post(WE).send(workloadEntry('w3')).expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toMatchObject({ kind: 'Status', code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 1 } });
    expect(limited.body.message).toMatch(/^Too many requests, please try again later: token [a-z0-9]{6} is over its write \(1\/s\) budget$/);
    // Reads and heartbeats have budgets of their own.
    await t.as(writer).get(WE).expect(200);
    expect((await t.as(writer).post(`${WE}/w1/heartbeat`).send({})).status).not.toBe(429);
    clock.advance(1);
    await t.as(writer).post(WE).send(workloadEntry('w3')).expect(201);
    const metrics = await t.as(t.adminToken).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/rate_limited_total\{route="\/apis\/networking\.istio\.io\/v1\/namespaces\/:namespace\/workloadentries"\} 1/);
  });

  it('slows down guessing: an address that keeps failing gets 429s, and the right token still gets in', async () => {
    const bad = `mr_aaaaaa.${'b'.repeat(43)}`;
    await t.as(bad).get(WE).expect(401);
    await t.as(bad).get(WE).expect(401);
    const limited = await t.as(bad).get(WE).expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    await t.as(t.adminToken).get(WE).expect(200);
    await t.as().get('/healthz').expect(200);
  });

  it('caps concurrent watches per token, and never counts a watch against the read budget', async () => {
    const gate = t.app.get((await import('../../src/auth/access-gate.service')).AccessGate);
    const viewer = await tokenFor(t, { subject: 'watcher', role: 'viewer' });
    const held = gate.watches.acquire(idOf(viewer))!;
    const refused = await t.as(viewer).get(`${WE}?watch=true`).expect(429);
    expect(refused.body.message).toMatch(/has 1 watches open, its limit$/);
    held();
    // Watches in a row, within the cap one at a time, over a read budget of 5/s (burst 10) already spent.
    for (let i = 0; i < 10; i++) await t.as(viewer).get(WE).expect(200);
    for (let i = 0; i < 3; i++) expect((await t.as(viewer).get(`${WE}?watch=true&timeoutSeconds=1`).parse(asText)).status).toBe(200);
    await t.as(viewer).get(WE).expect(429);
  });
});

describe('revocation on every replica', () => {
  let database: TestDatabase;
  let a: SecureTestApp;
  let b: SecureTestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startSecureTestApp({}, database);
    b = await startSecureTestApp({ adminToken: a.adminToken, dataDir: a.dataDir }, database);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  const until = async (check: () => Promise<boolean>, timeoutMs: number) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Date.now() - started;
  };

  it('refuses a token revoked on one replica on the other within milliseconds (NOTIFY)', async () => {
    const token = await tokenFor(a, { subject: 'eve', role: 'viewer' });
    await until(async () => (await b.as(token).get(WE)).status === 200, 1000);
    await a.as(a.adminToken).delete(`${TOKENS}/${idOf(token)}`).expect(200);
    await a.as(token).get(WE).expect(401);
    expect(await until(async () => (await b.as(token).get(WE)).status === 401, 500)).toBeLessThan(500);
  });

  it('catches a revocation whose notification was lost within the once-a-second poll', async () => {
    const token = await tokenFor(a, { subject: 'mallory', role: 'viewer' });
    await until(async () => (await b.as(token).get(WE)).status === 200, 1000);
    // Revoked behind the registry's back: no NOTIFY at all.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query('UPDATE api_tokens SET revoked_at = now(), updated_at = now() WHERE id = $1', [idOf(token)]);
    await client.end();
    expect(await until(async () => (await b.as(token).get(WE)).status === 401, 2500)).toBeLessThan(2500);
  });
});
