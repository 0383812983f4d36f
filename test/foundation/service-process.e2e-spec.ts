import { cp, lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeWithEmbedded, postgresServing } from '../support/embedded';
import { aWorkloadEntry, paths } from '../support/factories';
import { killServices, spawnService } from '../support/service-process';

const PROJECT = resolve(__dirname, '../..');
const migrationCount = () => readdir(join(PROJECT, 'prisma/migrations'), { withFileTypes: true }).then((entries) => entries.filter((e) => e.isDirectory()).length);
const createWorkload = (url: string, name: string, requestId = name) =>
  fetch(`${url}${paths.workloadEntries()}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(aWorkloadEntry(name)),
  });

/** Starts a POST whose body is sent in two halves; resolves the response once the second half is sent. */
function slowUpload(url: string, path: string, body: string) {
  const { hostname, port } = new URL(url);
  let sendRest!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    sendRest = () => req.end(body.slice(half));
  });
  return { response, sendRest: () => sendRest() };
}

describe('the service as a process (node dist/main.js)', () => {
  afterAll(() => killServices());

  it('logs one JSON line per request, drains in-flight requests on SIGTERM, and a restart finds the data', async () => {
    const service = await spawnService({});
    await service.waitUntilReady();
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    const MIGRATION_COUNT = await migrationCount();
    expect(service.output()).toContain(`migrations: ${MIGRATION_COUNT} applied`);
    expect((await createWorkload(service.url, 'survivor', 'boot-42')).status).toBe(201);
    // One JSON log line per request, carrying the request id; the log is buffered for up to half a second.
    const logLineOf = () => service.output().split('\n').find((line) => line.includes('"reqId":"boot-42"'));
    for (let waited = 0; !logLineOf() && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const logLine = logLineOf();
    expect(JSON.parse(logLine ?? '{}')).toMatchObject({
      msg: 'request completed', req: { method: 'POST' }, res: { statusCode: 201 }, level: 30,
    });
    // Nest's own lines are JSON lines of the same logger.
    expect(JSON.parse(service.output().split('\n').find((line) => line.includes('migrations: ')) ?? '{}')).toMatchObject({
      level: 30, context: 'Database', msg: `migrations: ${MIGRATION_COUNT} applied, 0 already applied`,
    });

    // A request still uploading its body when SIGTERM arrives is finished, not cut off.
    const upload = slowUpload(service.url, paths.workloadEntries(), JSON.stringify(aWorkloadEntry('in-flight')));
    await new Promise((r) => setTimeout(r, 200));
    const stoppedAt = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    upload.sendRest();
    expect((await upload.response).status).toBe(201);
    expect(await service.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(service.output()).toContain('SIGTERM: draining in-flight requests');

    const again = await spawnService({ DATABASE_URL: service.databaseUrl! });
    await again.waitUntilReady();
    expect(again.output()).toContain(`migrations: 0 applied, ${MIGRATION_COUNT} already applied`);
    for (const name of ['survivor', 'in-flight']) {
      expect((await fetch(`${again.url}${paths.workloadEntry(name)}`)).status).toBe(200);
    }
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('documents every route in /docs-json, with the Istio schemas, examples, Status errors and YAML', async () => {
    const service = await spawnService({});
    await service.waitUntilReady();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as any;
    const we = '/apis/networking.istio.io/v1/namespaces/{namespace}/workloadentries';
    const se = '/apis/networking.istio.io/v1/namespaces/{namespace}/serviceentries';
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      we, `${we}/{name}`, `${we}/{name}/status`, '/apis/networking.istio.io/v1/workloadentries',
      se, `${se}/{name}`, `${se}/{name}/status`, '/apis/networking.istio.io/v1/serviceentries',
      '/registry/v1/resolve', '/registry/v1/analyze', '/registry/v1/export', '/registry/v1/import',
      '/registry/v1/namespaces/{namespace}/workloadentries/{name}/manifest', '/healthz', '/readyz', '/metrics',
    ]));
    expect(Object.keys(doc.paths[`${we}/{name}`])).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
    const create = doc.paths[we].post;
    expect(create.requestBody.content['application/yaml']).toBeDefined();
    expect(create.requestBody.content['application/json'].examples['details-svc'].value.spec.address).toBe('2.2.2.2');
    expect(create.responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/Status');
    const spec = doc.components.schemas.ServiceEntry.properties.spec;
    expect(spec.properties.hosts.description).toBe('The hosts associated with the ServiceEntry.');
    expect(spec.properties.resolution.enum).toEqual(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']);
    // DTOs documented by the swagger CLI plugin from their JSDoc (only present in the built service).
    const resolveParams = doc.paths['/registry/v1/resolve'].get.parameters.map((p: { name: string }) => p.name);
    expect(resolveParams).toEqual(expect.arrayContaining(['host', 'port', 'namespace', 'locality', 'network', 'includeUnhealthy', 'explain']));
    expect(doc.components.schemas.ResolvedEndpointDto.properties.priority.description).toMatch(/same region/);
    const namespaceParam = doc.paths['/registry/v1/resolve'].get.parameters.find((p: { name: string }) => p.name === 'namespace');
    expect(namespaceParam).toMatchObject({ required: false, schema: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('refuses to start on bad configuration, naming every bad variable', async () => {
    const service = await spawnService({ PORT: '3000', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: 'lots' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/mesh-registry cannot start: Invalid configuration: .*LOG_LEVEL.*BODY_LIMIT_BYTES/);
  });
});

/**
 * A copy of the built service under a directory only root can enter, as a clone in /root is: dist and
 * the migrations copied, node_modules linked in, and Node told to keep the linked paths (so every
 * module, the PostgreSQL binaries included, is found under the closed directory as in a real clone).
 */
async function cloneUnderClosedDirectory(): Promise<{ closed: string; main: string; defaultDataDir: string }> {
  const closed = await mkdtemp(join(tmpdir(), 'mesh-closed-'));
  const clone = join(closed, 'mesh-registry');
  await mkdir(join(clone, 'prisma'), { recursive: true });
  await cp(join(PROJECT, 'dist'), join(clone, 'dist'), { recursive: true });
  await cp(join(PROJECT, 'prisma/migrations'), join(clone, 'prisma/migrations'), { recursive: true });
  await symlink(join(PROJECT, 'node_modules'), join(clone, 'node_modules'));
  return { closed, main: join(clone, 'dist/main.js'), defaultDataDir: join(clone, '.data/postgres') };
}

const NODE_KEEPS_LINKED_PATHS = ['--preserve-symlinks', '--preserve-symlinks-main'];

describeWithEmbedded('the service on its embedded PostgreSQL (no DATABASE_URL)', () => {
  let closed: string | undefined;
  let relocated: string | undefined;
  afterAll(async () => {
    await killServices();
    if (closed) await rm(closed, { recursive: true, force: true });
    if (relocated) await rm(relocated, { recursive: true, force: true });
  });

  it('starts from a clone under a directory of mode 0700, keeps its data for the next start, and stops PostgreSQL on SIGTERM', async () => {
    const clone = await cloneUnderClosedDirectory();
    closed = clone.closed;
    const start = () => spawnService({ DATABASE_URL: '' }, { main: clone.main, nodeArgs: NODE_KEEPS_LINKED_PATHS });
    const service = await start();
    await service.waitUntilReady();
    expect(service.output()).toMatch(/embedded PostgreSQL on 127\.0\.0\.1:\d+, data in /);
    expect((await createWorkload(service.url, 'first-run')).status).toBe(201);
    // As root the data lives where the postgres user can reach it, and the default path links there.
    if (process.getuid?.() === 0) {
      expect((await lstat(clone.defaultDataDir)).isSymbolicLink()).toBe(true);
      relocated = await readlink(clone.defaultDataDir);
      expect(relocated).toMatch(/^\/var\/lib\/mesh-registry\/data\/[0-9a-f]{16}$/);
      expect(service.output()).toContain(`data in ${relocated} (linked from ${clone.defaultDataDir})`);
    }
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(await postgresServing(relocated ?? clone.defaultDataDir)).toEqual([]);

    const again = await start();
    await again.waitUntilReady();
    expect(again.output()).toContain(`migrations: 0 applied, ${await migrationCount()} already applied`);
    expect((await fetch(`${again.url}${paths.workloadEntry('first-run')}`)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(await postgresServing(relocated ?? clone.defaultDataDir)).toEqual([]);
  });
});
