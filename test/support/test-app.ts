import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, for supertest and fetch. */
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application on a real PostgreSQL database of its own, listening on a loopback port: plain
 * HTTP with authentication off (every answer then says so in a Warning), as most tests need. The
 * security tests start the default, HTTPS with authentication, with startSecureTestApp.
 */
export async function startTestApp(overrides: Partial<AppConfig> = {}, database?: TestDatabase): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', TLS: 'off', AUTH: 'off' }), databaseUrl: db.url, ...overrides };
  const app = await createApp(config);
  // `port` set: listen there (a test that restarts a server on the address its clients know).
  await app.listen({ port: overrides.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    database: db,
    close: async () => {
      await app.close();
      if (!database) await db.drop();
    },
  };
}
