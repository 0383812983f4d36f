import { execFile } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Set by globalSetup when the embedded PostgreSQL cannot run here: the sentence that says why. */
export const EMBEDDED_UNAVAILABLE_ENV = 'MESH_REGISTRY_TEST_EMBEDDED_UNAVAILABLE';

/**
 * describe() for tests whose subject is the embedded PostgreSQL itself: where it cannot run (with
 * DATABASE_URL set, every other test still runs on that server), they are skipped with the reason.
 */
export function describeWithEmbedded(name: string, tests: () => void): void {
  const unavailable = process.env[EMBEDDED_UNAVAILABLE_ENV];
  if (!unavailable) return describe(name, tests);
  console.warn(`${name}: skipped: ${unavailable}`);
  describe.skip(name, tests);
}

/**
 * A fresh temporary directory that other users can enter (mkdtemp makes it 0700): as root the embedded
 * server runs as the `postgres` user, which must reach a data directory made inside it.
 */
export async function reachableTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** The PostgreSQL processes whose command line names this data directory (none, once it is stopped). */
export async function postgresServing(dataDir: string): Promise<string[]> {
  const found = await promisify(execFile)('pgrep', ['-f', `-D ${dataDir}`]).catch(() => ({ stdout: '' }));
  return found.stdout.split('\n').filter(Boolean);
}
