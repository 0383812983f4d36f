import { Agent, request as httpRequest } from 'node:http';
import { aWorkloadEntry, paths } from '../support/factories';
import { killServices, ServiceProcess, spawnService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a keep-alive agent; `body` may be sent in two parts, the second when `rest()` is called. */
function send(agent: Agent, url: string, method: string, path: string, body?: string, contentType = 'application/json') {
  const { hostname, port } = new URL(url);
  let rest = () => undefined as void;
  const answer = new Promise<Answer>((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) };
    const req = httpRequest({ agent, hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) return req.end();
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    rest = () => void req.end(body.slice(half));
  });
  return { answer, rest: () => rest() };
}

/** A YAML stream of `count` WorkloadEntries, each with `padding` bytes of labels: seconds of parsing. */
function bigImport(count: number, padding: number): string {
  const labels = Array.from({ length: Math.ceil(padding / 12) }, (_, i) => `    l${i}: v${i}`).join('\n');
  return Array.from({ length: count }, (_, i) =>
    `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: vm-${i}\n  labels:\n${labels}\nspec:\n  address: 10.0.${i >> 8 & 255}.${i & 255}\n`,
  ).join('---\n');
}

describe('graceful shutdown of the service process', () => {
  let db: TestDatabase;
  let agent: Agent;
  beforeEach(async () => {
    db = await createTestDatabase();
    agent = new Agent({ keepAlive: true });
  });
  afterEach(async () => {
    agent.destroy();
    await killServices();
    await db.drop();
  });

  const start = async (): Promise<ServiceProcess> => {
    const service = await spawnService({ DATABASE_URL: db.url, SHUTDOWN_TIMEOUT_MS: '20000' });
    await service.waitUntilReady();
    return service;
  };
  const stopped = async (service: ServiceProcess) => {
    const at = Date.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;
    return { code, ms: Date.now() - at };
  };

  it('exits 0 at once when a client holds an idle keep-alive connection', async () => {
    const service = await start();
    const first = send(agent, service.url, 'GET', paths.workloadEntries());
    expect((await first.answer).status).toBe(200);
    expect(Object.keys(agent.freeSockets)).toHaveLength(1); // the connection stays open, idle
    const { code, ms } = await stopped(service);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
  });

  it('finishes a request in flight on a keep-alive connection, closes that connection, and exits 0', async () => {
    const service = await start();
    expect((await send(agent, service.url, 'GET', '/healthz').answer).status).toBe(200);
    const upload = send(agent, service.url, 'POST', paths.workloadEntries(), JSON.stringify(aWorkloadEntry('in-flight')));
    await new Promise((r) => setTimeout(r, 200));
    const exit = stopped(service);
    await new Promise((r) => setTimeout(r, 300));
    upload.rest();
    const answer = await upload.answer;
    expect(answer.status).toBe(201);
    const { code, ms } = await exit;
    expect({ code, within5s: ms < 5000 }).toEqual({ code: 0, within5s: true });
    expect(answer.headers.connection).toBe('close');
  });

  it('stops an import that SIGTERM catches mid-way with a whole 503 Status, stores nothing, and exits 0', async () => {
    const service = await start();
    const body = bigImport(2000, 2000); // ~4.5 MB of YAML: seconds of parsing in the worker
    const upload = send(agent, service.url, 'POST', '/registry/v1/import', body, 'application/yaml');
    upload.rest();
    await new Promise((r) => setTimeout(r, 1000));
    const { code, ms } = await stopped(service);
    const answer = await upload.answer;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(JSON.parse(answer.body)).toMatchObject({
      kind: 'Status', reason: 'ServiceUnavailable', code: 503, details: { retryAfterSeconds: 5 },
      message: 'the server is shutting down: the import was stopped before anything was stored; send it again',
    });
    const again = await start();
    const listed = await send(agent, again.url, 'GET', paths.workloadEntries()).answer;
    expect(JSON.parse(listed.body).items).toEqual([]);
  });
});
