import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import request from 'supertest';
import { DOCS_CSP } from '../../src/common/security-headers';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

describe('security headers and what anonymous endpoints reveal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimitBytes: 4096 });
  });
  afterAll(() => t.close());

  it.each<[string, () => request.Test, number]>([
    ['an object', () => request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('headers')), 201],
    ['a list', () => request(t.url).get(paths.workloadEntries()), 200],
    ['/healthz', () => request(t.url).get('/healthz'), 200],
    ['/version', () => request(t.url).get('/version'), 200],
    ['a 404', () => request(t.url).get('/nowhere'), 404],
    ['a 413', () => request(t.url).post(paths.workloadEntries()).send({ ...aWorkloadEntry('big'), spec: { address: 'x'.repeat(5000) } }), 413],
    ['a 414', () => request(t.url).get(paths.workloadEntry('a'.repeat(600))), 414],
    ['a 422', () => request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('Bad')), 422],
  ])('%s carries nosniff, no framing and a CSP that allows nothing', async (_title, send, code) => {
    const res = await send().expect(code);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
  });

  it('/docs gets a CSP Swagger UI works under', async () => {
    const res = await request(t.url).get('/docs').expect(200);
    expect(res.headers['content-security-policy']).toBe(DOCS_CSP);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('/version tells kubectl the API level and nothing of the runtime', async () => {
    const res = await request(t.url).get('/version').expect(200);
    expect(res.body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-mesh-registry' });
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`node|${process.version}|linux|amd64|x64`));
  });

  (CHROMIUM ? it : it.skip)('Swagger UI renders its operations in headless Chromium under that CSP', async () => {
    const { stdout } = await promisify(execFile)(CHROMIUM!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--virtual-time-budget=15000', '--dump-dom', `${t.url}/docs`,
    ], { timeout: 50_000, maxBuffer: 64 << 20 });
    expect(stdout).toContain('opblock-summary-path');
    expect(stdout).toContain('/apis/networking.istio.io/v1/namespaces/{namespace}/workloadentries');
  });
});
if (!CHROMIUM) console.warn('chromium is not installed: the Swagger UI rendering check is skipped (apt-get install chromium)');
