import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { formatToken, newSecret, newTokenId } from '../../src/auth/token-format';
import { findFreePort } from '../../src/database/embedded-postgres';
import { ServiceProcess, spawnService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const SYNC = join(__dirname, '../../dist/sync.js');
export const TOKENS = '/apis/registry.mesh.io/v1alpha1/tokens';

type Obj = { metadata: { name: string; namespace: string; uid: string; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> };

/**
 * A registry as production runs it (HTTPS, tokens, its own database and data directory), that a test
 * can stop and start again on the same port, database and CA: the source, or a stand-in for a cluster.
 */
export class Registry {
  process!: ServiceProcess;
  readonly url: string;
  private ca = '';

  private constructor(
    readonly port: number,
    readonly database: TestDatabase,
    readonly dataDir: string,
    readonly adminToken: string,
    private readonly env: Record<string, string>,
  ) {
    this.url = `https://127.0.0.1:${port}`;
  }

  static async start(env: Record<string, string> = {}): Promise<Registry> {
    const registry = new Registry(await findFreePort(), await createTestDatabase(), await mkdtemp(join(tmpdir(), 'mesh-sync-')), formatToken(newTokenId(), newSecret()), env);
    await registry.restart();
    return registry;
  }

  get caFile(): string {
    return join(this.dataDir, 'ca.crt');
  }

  async restart(): Promise<void> {
    this.process = await spawnService({
      TLS: 'on', AUTH: 'on', LOG_LEVEL: 'warn', PORT: String(this.port), DATABASE_URL: this.database.url, DATA_DIR: this.dataDir,
      REGISTRY_ADMIN_TOKEN: this.adminToken, ...this.env,
    });
    await this.process.waitUntilReady();
    this.ca = await readFile(this.caFile, 'utf8');
  }

  async stop(): Promise<void> {
    if (this.process.child.exitCode !== null) return;
    this.process.child.kill('SIGTERM');
    await this.process.exited;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.database.drop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** supertest as `token` (the admin's by default), trusting the registry's CA. */
  async as(token = this.adminToken) {
    const agent = request(this.url);
    const wrap = (t: request.Test) => t.ca(this.ca).set('authorization', `Bearer ${token}`);
    return {
      get: (path: string) => wrap(agent.get(path)),
      post: (path: string) => wrap(agent.post(path)),
      put: (path: string) => wrap(agent.put(path)),
      patch: (path: string) => wrap(agent.patch(path).set('content-type', 'application/merge-patch+json')),
      delete: (path: string) => wrap(agent.delete(path)),
    };
  }

  async token(role: string): Promise<string> {
    const res = await (await this.as()).post(TOKENS).send({ subject: `sync-test-${role}`, role }).expect(201);
    return res.body.status.token as string;
  }

  /** A kubeconfig of this registry (server, CA file, token), as an operator writes one. */
  async kubeconfigFor(token: string, dir: string, name: string): Promise<string> {
    const path = join(dir, `${name}.kubeconfig`);
    await writeFile(path, [
      'apiVersion: v1', 'kind: Config',
      `clusters: [{ name: ${name}, cluster: { server: "${this.url}", certificate-authority: "${this.caFile}" } }]`,
      `users: [{ name: ${name}-user, user: { token: "${token}" } }]`,
      `contexts: [{ name: ${name}, context: { cluster: ${name}, user: ${name}-user } }]`,
      `current-context: ${name}`, '',
    ].join('\n'));
    return path;
  }

  async list(plural: string, namespace?: string): Promise<Obj[]> {
    const path = namespace ? `/apis/networking.istio.io/v1/namespaces/${namespace}/${plural}` : `/apis/networking.istio.io/v1/${plural}`;
    const res = await (await this.as()).get(path).expect(200);
    return res.body.items as Obj[];
  }
}

export interface SyncProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  get(path: string): Promise<{ status: number; text: string; body: any }>;
}

export async function startSync(configPath: string): Promise<SyncProcess> {
  if (!existsSync(SYNC)) throw new Error(`${SYNC} is missing: the test command builds it (npm test)`);
  const port = await findFreePort();
  const child = spawn(process.execPath, [SYNC], {
    env: { PATH: process.env.PATH, SYNC_CONFIG: configPath, SYNC_PORT: String(port), SYNC_HOST: '127.0.0.1', LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  return {
    child, url, output: () => output,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    get: async (path: string) => {
      const res = await request(url).get(path);
      return { status: res.status, text: res.text, body: res.body };
    },
  };
}

const running = new Set<ChildProcess>();

export async function killSyncs(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** Resolves once `check` holds (polling every 20 ms) with the milliseconds it took. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
