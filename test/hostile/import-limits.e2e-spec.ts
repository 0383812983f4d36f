import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const we = (name: string, extra = '') =>
  `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: ${name}\nspec:\n  address: 10.1.0.1\n  labels: {app: pair}\n${extra}`;
const se = (name: string, app = 'pair') =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ${name}\nspec:\n  hosts: [${name}.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n` +
  `  resolution: STATIC\n  workloadSelector: {labels: {app: ${app}}}\n`;

/** Starts an import whose body is sent in two halves; the second half when `finish()` is called. */
function heldImport(url: string, body: string) {
  const { hostname, port } = new URL(url);
  let req!: ReturnType<typeof httpRequest>;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest({ hostname, port, path: '/registry/v1/import', method: 'POST', headers: { 'content-type': 'application/yaml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, body.length >> 1));
  });
  return { answer, finish: () => req.end(body.slice(body.length >> 1)), abort: () => req.destroy() };
}

describe('import limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ importMaxDocuments: 200, importMaxInFlight: 1 });
  });
  afterAll(() => t.close());
  const importYaml = (body: string, query = '') => request(t.url).post(`/registry/v1/import${query}`).set('content-type', 'application/yaml').send(body);
  const names = async (ns = 'default') => (await request(t.url).get(paths.workloadEntries(ns)).expect(200)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);

  it('judges registry findings as the registry will be after the import', async () => {
    const res = await importYaml(`${se('pair-svc')}---\n${we('pair-vm')}`, '?namespace=pairs').expect(200);
    expect(res.body.results.flatMap((r: { warnings?: string[] }) => r.warnings ?? [])).toEqual([]);
    expect((await request(t.url).get('/registry/v1/analyze?namespace=pairs').expect(200)).body.findings).toEqual([]);
    // What stays wrong afterwards is still said.
    const lonely = await importYaml(`${se('lonely-svc', 'nobody')}`, '?namespace=pairs&dryRun=All').expect(200);
    expect(lonely.body.results[0].warnings).toEqual([expect.stringMatching(/^MR0001 ServiceEntrySelectsNothing/)]);
  });

  it('refuses more documents than IMPORT_MAX_DOCUMENTS with a 413 naming the limit, storing nothing', async () => {
    const body = Array.from({ length: 201 }, (_, i) => we(`many-${i}`)).join('---\n');
    const res = await importYaml(body, '?namespace=many').expect(413);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
    expect(res.body.message).toMatch(/^the import holds more than 200 documents \(the limit per import/);
    expect(await names('many')).toEqual([]);
  });

  it('refuses a stream over IMPORT_BODY_LIMIT_BYTES with a 413 naming that limit', async () => {
    const small = await startTestApp({ importBodyLimitBytes: 4096 }, t.database);
    try {
      const res = await request(small.url).post('/registry/v1/import').set('content-type', 'application/yaml').send(we('x', `# ${'x'.repeat(5000)}\n`)).expect(413);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', message: 'the request body is larger than the limit of 4096 bytes' });
    } finally {
      await small.app.close();
    }
  });

  it('keeps the answer small when many documents fail: a summary, and a Status for the first 100 only', async () => {
    const body = Array.from({ length: 150 }, (_, i) => we(`bad-${i}`, '  weight: -1\n')).join('---\n');
    const res = await importYaml(body, '?namespace=bad').expect(422);
    expect(res.body.summary).toEqual({ documents: 150, created: 0, configured: 0, unchanged: 0, failed: 150, failuresWithoutDetail: 50 });
    expect(res.body.results.filter((r: { status?: unknown }) => r.status)).toHaveLength(100);
    expect(res.body.results[149]).toEqual({ index: 149, kind: 'WorkloadEntry', namespace: 'bad', name: 'bad-149', result: 'failed' });
    expect(res.text.length).toBeLessThan(150 * 1024);
    expect(await names('bad')).toEqual([]);
  });

  it('answers 429 with Retry-After past IMPORT_MAX_IN_FLIGHT, before reading the body, and frees the slot after', async () => {
    const first = heldImport(t.url, we('held'));
    await new Promise((r) => setTimeout(r, 200));
    const second = await importYaml(we('second'));
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.body).toMatchObject({
      kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 5 },
      message: 'too many imports in progress (at most 1 at a time); retry after 5 seconds',
    });
    first.finish();
    expect((await first.answer).status).toBe(200);
    await importYaml(we('second')).expect(200);

    // A client that goes away mid-upload frees its slot as well.
    const gone = heldImport(t.url, we('gone'));
    await new Promise((r) => setTimeout(r, 200));
    gone.abort();
    await gone.answer.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    await importYaml(we('third')).expect(200);
    expect(await names()).toEqual(['held', 'second', 'third']);
  });
});
