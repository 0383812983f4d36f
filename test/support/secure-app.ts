import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app.setup';
import { formatToken, newSecret, newTokenId } from '../../src/auth/token-format';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { SecurityConfig } from '../../src/config/security-config';
import { TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface SecureTestApp extends TestApp {
  /** The admin token it was started with (REGISTRY_ADMIN_TOKEN). */
  adminToken: string;
  /** The generated CA, to trust the server's certificate. */
  caPem: string;
  dataDir: string;
  /** supertest against it, trusting its CA, as `token` (or anonymously). */
  as(token?: string): { get(path: string): request.Test; post(path: string): request.Test; put(path: string): request.Test; patch(path: string): request.Test; delete(path: string): request.Test };
}

/**
 * The application as `npm start` runs it: HTTPS from a CA generated into a data directory of its own,
 * authentication on, seeded with a known admin token. `security` overrides parts of that.
 */
export async function startSecureTestApp(security: Partial<SecurityConfig> = {}, database?: TestDatabase, overrides: Partial<AppConfig> = {}): Promise<SecureTestApp> {
  const db = database ?? (await createTestDatabase());
  const dataDir = security.dataDir ?? (await mkdtemp(join(tmpdir(), 'mesh-secure-')));
  const adminToken = security.adminToken ?? formatToken(newTokenId(), newSecret());
  const base = loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', REGISTRY_ADMIN_TOKEN: adminToken, DATA_DIR: dataDir });
  const config: AppConfig = { ...base, databaseUrl: db.url, ...overrides, security: { ...base.security, ...security, dataDir, adminToken } };
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `https://127.0.0.1:${port}`;
  const caPem = await readFile(join(dataDir, 'ca.crt'), 'utf8');
  const as = (token?: string) => {
    const agent = request(url);
    const wrap = (test: request.Test) => (token ? test.ca(caPem).set('authorization', `Bearer ${token}`) : test.ca(caPem));
    return {
      get: (path: string) => wrap(agent.get(path)),
      post: (path: string) => wrap(agent.post(path)),
      put: (path: string) => wrap(agent.put(path)),
      patch: (path: string) => wrap(agent.patch(path)),
      delete: (path: string) => wrap(agent.delete(path)),
    };
  };
  return {
    app, url, database: db, adminToken, caPem, dataDir, as,
    close: async () => {
      await app.close();
      if (!database) await db.drop();
      if (!security.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
