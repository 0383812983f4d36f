import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aWorkloadEntry, paths } from '../support/factories';
import { killServices, spawnService } from '../support/service-process';

const migrationCount = () => readdir(join(__dirname, '../../prisma/migrations'), { withFileTypes: true }).then((entries) => entries.filter((e) => e.isDirectory()).length);

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
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-service-'));
  });
  afterAll(async () => {
    await killServices();
    await rm(root, { recursive: true, force: true });
  });

  it('starts on the embedded database without DATABASE_URL, keeps data across restarts, and drains in-flight requests on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const service = await spawnService({ EMBEDDED_PG_DATA_DIR: dataDir });
    await service.waitUntilReady();
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    const MIGRATION_COUNT = await migrationCount();
    expect(service.output()).toContain(`migrations: ${MIGRATION_COUNT} applied`);
    const created = await fetch(`${service.url}${paths.workloadEntries()}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'boot-42' }, body: JSON.stringify(aWorkloadEntry('survivor')),
    });
    expect(created.status).toBe(201);
    // One JSON log line per request, carrying the request id.
    await new Promise((r) => setTimeout(r, 100));
    const logLine = service.output().split('\n').find((line) => line.includes('"reqId":"boot-42"'));
    expect(JSON.parse(logLine ?? '{}')).toMatchObject({
      msg: 'request completed', req: { method: 'POST' }, res: { statusCode: 201 }, level: 30,
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

    // A second start finds the same cluster, its migrated schema and the data.
    const again = await spawnService({ EMBEDDED_PG_DATA_DIR: dataDir });
    await again.waitUntilReady();
    expect(again.output()).toContain(`migrations: 0 applied, ${MIGRATION_COUNT} already applied`);
    for (const name of ['survivor', 'in-flight']) {
      expect((await fetch(`${again.url}${paths.workloadEntry(name)}`)).status).toBe(200);
    }
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('documents every route in /docs-json, with the Istio schemas, examples, Status errors and YAML', async () => {
    const service = await spawnService({ EMBEDDED_PG_DATA_DIR: join(root, 'docs') });
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
