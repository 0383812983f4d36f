import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareEmbeddedPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { EMBEDDED_UNAVAILABLE_ENV, reachableTempDir } from './embedded';
import { TEST_ADMIN_URL_ENV, TEST_DATABASE_UNAVAILABLE_ENV } from './test-database';

/**
 * One PostgreSQL server for the whole run: the one DATABASE_URL names, or a throwaway embedded one in a
 * temporary directory. Every test file then creates (and drops) its own database on it. Where the
 * embedded one cannot start, the reason is recorded instead: the unit tests still run, every e2e test
 * fails with that one sentence, and the tests of the embedded server itself are skipped.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env[TEST_ADMIN_URL_ENV] = process.env.DATABASE_URL;
    await prepareEmbeddedPostgres().catch((error: Error) => (process.env[EMBEDDED_UNAVAILABLE_ENV] = error.message));
    return;
  }
  const root = await reachableTempDir('mesh-registry-test-');
  try {
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: 0 });
    process.env[TEST_ADMIN_URL_ENV] = server.adminUrl;
    (globalThis as Record<string, unknown>).__embeddedPostgres = { server, root };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    const reason = (error as Error).message;
    process.env[TEST_DATABASE_UNAVAILABLE_ENV] = reason;
    process.env[EMBEDDED_UNAVAILABLE_ENV] = reason;
    console.error(`\n${reason}\n`);
  }
}
