import request from 'supertest';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /healthz answers 200 ok', async () => {
    const res = await request(t.url).get('/healthz').expect(200);
    expect(res.text).toBe('ok');
  });

  it('GET /readyz answers 200 when the database is reachable', async () => {
    await request(t.url).get('/readyz').expect(200);
  });

  it('GET /metrics exposes requests by route and status, latency and the database pool', async () => {
    await request(t.url).get('/healthz');
    await request(t.url).get('/no-such-route');
    const res = await request(t.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"\}/);
    expect(res.text).toMatch(/db_pool_connections\{state="total"\} \d+/);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('echoes the caller request id, or makes one', async () => {
    const given = await request(t.url).get('/healthz').set('x-request-id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await request(t.url).get('/healthz').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a Kubernetes NotFound Status', async () => {
    const res = await request(t.url).get('/no-such-route').expect(404);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await request(t.url).get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await request(t.url).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
  });
});

describe('readiness when the database goes away', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  // The app reaches its database through a proxy, which the test cuts and restores.
  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(database.url);
    t = await startTestApp({}, { url: proxy.url, drop: async () => undefined });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('turns /readyz to 503 while the database is down and back to 200 when it returns; /healthz stays 200', async () => {
    await request(t.url).get('/readyz').expect(200);
    await proxy.cut();
    const down = await request(t.url).get('/readyz').expect(503);
    expect(down.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    await request(t.url).get('/healthz').expect(200);
    // A request that needs the database is a 503 to retry, not a 500: an outage is not a bug.
    const failed = await request(t.url).get('/apis/networking.istio.io/v1/namespaces/default/workloadentries/x').expect(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect(failed.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'ServiceUnavailable', code: 503,
      message: 'the database is not reachable; retry in a moment', details: { retryAfterSeconds: 1 },
    });

    await proxy.restore();
    await request(t.url).get('/readyz').expect(200);
  });
});
