import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { TEST_ADMIN_URL_ENV } from './test-database';

/**
 * One PostgreSQL server for the whole run: the one DATABASE_URL names, or a throwaway embedded one in a
 * temporary directory. Every test file then creates (and drops) its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env[TEST_ADMIN_URL_ENV] = process.env.DATABASE_URL;
    return;
  }
  const dataDir = join(await mkdtemp(join(tmpdir(), 'mesh-registry-test-')), 'pg');
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  process.env[TEST_ADMIN_URL_ENV] = server.adminUrl;
  (globalThis as Record<string, unknown>).__embeddedPostgres = { server, dataDir };
}
