import request from 'supertest';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { startTestApp, TestApp } from '../support/test-app';

const WE = '/apis/networking.istio.io/v1/namespaces/bookinfo/workloadentries';
const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

describe('authentication over HTTPS (the default)', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await startSecureTestApp();
  });
  afterAll(() => t?.close());

  it('serves HTTPS with the generated CA, and probes and Swagger UI to anyone', async () => {
    expect(t.url).toMatch(/^https:/);
    await t.as().get('/healthz').expect(200);
    await t.as().get('/version').expect(200);
    await t.as().get('/docs').expect(200);
  });

  it.each([
    ['no header', undefined],
    ['a malformed token', 'Bearer not-a-token'],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['an unknown token id', `Bearer mr_zzzzzz.${'a'.repeat(43)}`],
  ])('answers 401 Unauthorized to %s, on real routes and unknown ones alike', async (_title, header) => {
    for (const path of [WE, '/apis', '/metrics', '/registry/v1/resolve?host=x', '/no/such/route']) {
      const test = t.as().get(path);
      const res = await (header ? test.set('authorization', header) : test).expect(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    }
  });

  it('answers 401 to the admin token with a wrong secret', async () => {
    const wrong = t.adminToken.slice(0, -4) + 'AAAA';
    expect((await t.as(wrong === t.adminToken ? t.adminToken.slice(0, -4) + 'BBBB' : wrong).get(WE).expect(401)).body).toEqual(UNAUTHORIZED);
  });

  it('lets the admin token in, and keeps unknown routes 404 for it', async () => {
    expect((await t.as(t.adminToken).get(WE).expect(200)).body.kind).toBe('WorkloadEntryList');
    expect((await t.as(t.adminToken).get('/no/such/route').expect(404)).body.reason).toBe('NotFound');
    expect((await t.as(t.adminToken).get(WE).expect(200)).headers.warning).toBeUndefined();
  });

  it('refuses plain HTTP on the HTTPS port', async () => {
    const plain = await fetch(t.url.replace('https:', 'http:') + '/healthz').then((r) => r.status, (e: Error) => e.message);
    expect(plain).not.toBe(200);
  });
});

describe('authentication off (AUTH=off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('says so on every response, errors included', async () => {
    for (const [path, code] of [['/healthz', 200], [WE, 200], ['/no/such/route', 404], [`${WE}/missing`, 404]] as const) {
      const res = await request(t.url).get(path).expect(code);
      expect(res.headers.warning).toBe('299 - "authentication disabled"');
    }
  });

  it('keeps the write’s own warnings next to it', async () => {
    const res = await request(t.url).post(WE).send({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'w' }, spec: { address: '1.1.1.1', bogus: 1 } }).expect(201);
    expect(res.headers.warning).toMatch(/^299 - "authentication disabled", 299 - ".*bogus/);
  });
});
