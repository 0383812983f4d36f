import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killServices, spawnService } from '../support/service-process';

describe('the service as a process (node dist/main.js)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-service-'));
  });
  afterAll(async () => {
    await killServices();
    await rm(root, { recursive: true, force: true });
  });

  it('starts on the embedded database without DATABASE_URL, serves /readyz and Swagger UI, and stops on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const service = await spawnService({ EMBEDDED_PG_DATA_DIR: dataDir });
    await service.waitUntilReady();
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    expect(service.output()).toContain('migrations: 1 applied');

    const stoppedAt = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);

    // A second start finds the same cluster and its migrated schema.
    const again = await spawnService({ EMBEDDED_PG_DATA_DIR: dataDir });
    await again.waitUntilReady();
    expect(again.output()).toContain('migrations: 0 applied, 1 already applied');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('refuses to start on bad configuration, naming every bad variable', async () => {
    const service = await spawnService({ PORT: '3000', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: 'lots' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/mesh-registry cannot start: Invalid configuration: .*LOG_LEVEL.*BODY_LIMIT_BYTES/);
  });
});
