import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { rawRequest } from '../support/raw-request';
import { startTestApp, TestApp } from '../support/test-app';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const deep = (depth: number): unknown => (depth === 0 ? 1 : [deep(depth - 1)]);

/** Every one of these answered 500 or the wrong 2xx before. */
describe('bad input gets a 4xx that names the problem', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('vm')).expect(201);
    await request(t.url).post(paths.serviceEntries()).send(aServiceEntry('svc')).expect(201);
  });
  afterAll(() => t.close());

  const expectStatus = (res: { status: number; body: unknown }, code: number, reason: string, message: RegExp, field?: string) => {
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
    expect(res.status).toBe(code);
    expect((res.body as { message: string }).message).toMatch(message);
    if (field) expect((res.body as { details: { causes: { field: string }[] } }).details.causes.map((c) => c.field)).toContain(field);
  };
  let before: unknown;
  beforeEach(async () => {
    before = (await request(t.url).get(paths.workloadEntry('vm')).expect(200)).body;
  });
  const unchanged = async () => expect((await request(t.url).get(paths.workloadEntry('vm')).expect(200)).body).toEqual(before);
  /** JSON of `value` with "DEEP" replaced by 5,000 nested arrays (too deep for JSON.stringify itself). */
  const json = (value: unknown) => JSON.stringify(value).replace('"DEEP"', `${'['.repeat(5000)}1${']'.repeat(5000)}`);

  describe('text PostgreSQL cannot store', () => {
    it.each<[string, () => request.Test, string]>([
      ['a NUL in a spec string', () => request(t.url).put(paths.workloadEntry('vm')).send(aWorkloadEntry('vm', { serviceAccount: 'a\u0000b' })), 'spec.serviceAccount'],
      ['a NUL in a status string', () => request(t.url).put(`${paths.workloadEntry('vm')}/status`).send({ ...aWorkloadEntry('vm'), status: { note: 'x\u0000' } }), 'status.note'],
      ['a NUL in a label key', () => request(t.url).patch(paths.workloadEntry('vm')).set('content-type', MERGE).send({ metadata: { labels: { 'a\u0000': 'x' } } }), 'metadata.labels.a\u0000'],
      ['a lone surrogate in a status string', () => request(t.url).put(`${paths.workloadEntry('vm')}/status`).set('content-type', 'application/json')
        .send(`${JSON.stringify({ ...aWorkloadEntry('vm'), status: { note: 'X' } }).replace('"X"', '"\\ud800"')}`), 'status.note'],
    ])('%s is a 422 with the field', async (_title, send, field) => {
      expectStatus(await send(), 422, 'Invalid', /is invalid: /, field);
      await unchanged();
    });

    it.each<[string, string, string]>([
      ['a NUL in a name in the path', `${paths.workloadEntry('a%00b')}`, 'name'],
      ['a NUL in a continue token', `${paths.workloadEntries()}?limit=1&continue=${Buffer.from(JSON.stringify({ v: 1, ns: 'default', n: 'a\u0000' })).toString('base64url')}`, ''],
      ['a NUL in a field selector', `${paths.workloadEntries()}?fieldSelector=metadata.name%3Da%00`, 'fieldSelector'],
      ['a NUL in a label selector', `${paths.workloadEntries()}?labelSelector=app%3D%00`, 'labelSelector'],
      ['a namespace that is not one', paths.workloadEntries('Bad_NS'), 'namespace'],
      ['a limit past int64', `${paths.workloadEntries()}?limit=9223372036854775808`, ''],
    ])('%s is a 400', async (_title, path, field) => {
      const res = await request(t.url).get(path);
      expectStatus(res, 400, 'BadRequest', /.+/, field || undefined);
    });

    it.each(['9223372036854775806', '9223372036854775807'])('lists with limit=%s', async (limit) => {
      const res = await request(t.url).get(`${paths.workloadEntries()}?limit=${limit}`).expect(200);
      expect(res.body.items).toHaveLength(1);
    });
  });

  describe('nesting', () => {
    it.each<[string, () => request.Test]>([
      ['spec', () => request(t.url).put(paths.workloadEntry('vm')).set('content-type', 'application/json').send(json({ ...aWorkloadEntry('vm'), spec: { labels: 'DEEP' } }))],
      ['status', () => request(t.url).put(`${paths.workloadEntry('vm')}/status`).set('content-type', 'application/json').send(json({ ...aWorkloadEntry('vm'), status: { a: 'DEEP' } }))],
      ['a merge patch', () => request(t.url).patch(paths.workloadEntry('vm')).set('content-type', MERGE).send(json({ status: 'DEEP' }))],
    ])('5,000 levels in %s are refused at parse time', async (_title, send) => {
      expectStatus(await send(), 400, 'BadRequest', /^the request body is refused: it is nested more than 100 levels deep/);
      await unchanged();
    });

    it('a JSON patch cannot grow an object past the limit either', async () => {
      await request(t.url).put(`${paths.serviceEntry('svc')}/status`).send({ ...aServiceEntry('svc'), status: { a: deep(90) } }).expect(200);
      const res = await request(t.url).patch(`${paths.serviceEntry('svc')}/status`).set('content-type', JSON_PATCH)
        .send([{ op: 'add', path: `/status/a${'/0'.repeat(80)}/0`, value: deep(60) }]);
      expectStatus(res, 422, 'Invalid', /must not be nested more than 100 levels deep/);
    });
  });

  describe('the envelope, as an apiserver decodes a custom resource', () => {
    it('PUT …/status without kind, apiVersion or name is a 400 and keeps the status', async () => {
      await request(t.url).put(`${paths.workloadEntry('vm')}/status`).send({ ...aWorkloadEntry('vm'), status: { keep: 'me' } }).expect(200);
      expectStatus(await request(t.url).put(`${paths.workloadEntry('vm')}/status`).send({ a: 1 }), 400, 'BadRequest', /^Object 'Kind' is missing in '\{"a":1\}'$/);
      expect((await request(t.url).get(paths.workloadEntry('vm')).expect(200)).body.status).toEqual({ keep: 'me' });
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['no kind', { apiVersion: 'networking.istio.io/v1' }, /^Object 'Kind' is missing in '\{"apiVersion":"networking.istio.io\/v1","metadata":/],
      ['no apiVersion', { kind: 'WorkloadEntry' }, /^the API version in the data \(\) does not match the expected API version \(networking.istio.io\/v1\)$/],
      ['neither', {}, /^Object 'Kind' is missing in/],
    ])('POST with %s is a 400 and creates nothing', async (_title, typeMeta, message) => {
      const { apiVersion: _a, kind: _k, ...rest } = aWorkloadEntry('typeless');
      expectStatus(await request(t.url).post(paths.workloadEntries()).send({ ...typeMeta, ...rest }), 400, 'BadRequest', message);
      await request(t.url).get(paths.workloadEntry('typeless')).expect(404);
    });
  });

  describe('prototype keys', () => {
    it.each(['Warn', 'Strict', 'Ignore'])('a __proto__ key is a named 422 under fieldValidation=%s', async (fieldValidation) => {
      const body = JSON.stringify(aWorkloadEntry('proto')).replace('"spec":{', '"spec":{"__proto__":{"polluted":true},');
      const res = await request(t.url).post(`${paths.workloadEntries()}?fieldValidation=${fieldValidation}`).set('content-type', 'application/json').send(body);
      expectStatus(res, 422, 'Invalid', /spec.__proto__: Forbidden: the key "__proto__" is not allowed/, 'spec.__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a __proto__ key in a merge patch is a named 422 too', async () => {
      const res = await request(t.url).patch(paths.workloadEntry('vm')).set('content-type', MERGE).send('{"metadata":{"labels":{"__proto__":{"x":"y"}}}}');
      expectStatus(res, 422, 'Invalid', /metadata.labels.__proto__: Forbidden/, 'metadata.labels.__proto__');
      await unchanged();
    });

    it('constructor and prototype are ordinary label keys, merged like any other', async () => {
      await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('labelled')).expect(201);
      const res = await request(t.url).patch(paths.workloadEntry('labelled')).set('content-type', MERGE)
        .send({ metadata: { labels: { constructor: 'c', prototype: 'p', after: 'a' } } }).expect(200);
      expect(res.body.metadata.labels).toEqual({ constructor: 'c', prototype: 'p', after: 'a' });
    });

    it.each([['constructor'], ['toString']])('an unknown spec field named %s is unknown, not taken for a schema', async (field) => {
      const res = await request(t.url).post(`${paths.workloadEntries()}?fieldValidation=Strict`)
        .send({ ...aWorkloadEntry(`field-${field.toLowerCase()}`), spec: { ...aWorkloadEntry('x').spec, [field]: { prototype: { polluted: true } } } });
      expectStatus(res, 400, 'BadRequest', new RegExp(`unknown field "spec.${field}"`));
    });
  });

  describe("the HTTP layer's own errors are Status objects", () => {
    it.each<[string, string, Record<string, string>, number, RegExp]>([
      ['a path segment over 512 characters', paths.workloadEntry('a'.repeat(600)), {}, 414, /a path segment is longer than 512 characters/],
      ['a malformed percent-encoding', `${paths.workloadEntries()}/%zz`, {}, 400, /malformed percent-encoding/],
      ['headers over the limit', '/healthz', { 'x-big': 'a'.repeat(20_000) }, 431, /request headers are larger than the server accepts/],
      // The router would answer these for the object "vm" (it cuts at "#", and routes an absolute URL by its path).
      ['a fragment in the request target', `${paths.workloadEntry('vm')}#x`, {}, 400, /must not contain "#"/],
      ['an absolute-form request target', `http://localhost${paths.workloadEntry('vm')}`, {}, 400, /must be a path starting with "\/"/],
    ])('%s', async (_title, path, headers, code, message) => {
      const res = await rawRequest(t.url, { path, headers });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectStatus({ status: res.status, body: JSON.parse(res.body) }, code, 'BadRequest', message);
    });
  });
});
