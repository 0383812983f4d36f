import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { EmbeddedPostgresError, ensureDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { describeWithEmbedded, postgresServing, reachableTempDir } from '../support/embedded';

const run = promisify(execFile);

/** The uid the server (and initdb) run as: the `postgres` user as root, ourselves otherwise. */
async function serverUid(): Promise<number> {
  if (process.getuid?.() !== 0) return process.getuid?.() ?? -1;
  return Number((await run('id', ['-u', 'postgres'])).stdout.trim());
}

interface SecretSighting {
  dirMode: number;
  fileMode: number;
  fileUid: number;
}

/**
 * Watches `parent` while `work` runs for initdb's password file, and reports every way it was seen:
 * made by root (private to root), then handed to the server's user for initdb.
 */
async function watchForPasswordFile<T>(parent: string, work: Promise<T>): Promise<{ result: T; seen: SecretSighting[] }> {
  let done = false;
  const seen: SecretSighting[] = [];
  const settled = work.finally(() => (done = true));
  while (!done) {
    for (const name of (await readdir(parent)).filter((entry) => entry.startsWith('initdb-'))) {
      const [dir, file] = await Promise.all([stat(join(parent, name)), stat(join(parent, name, 'password'))]).catch(() => []);
      if (dir && file) seen.push({ dirMode: dir.mode & 0o777, fileMode: file.mode & 0o777, fileUid: file.uid });
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { result: await settled, seen };
}

describeWithEmbedded('embedded PostgreSQL', () => {
  let root: string;
  beforeAll(async () => {
    root = await reachableTempDir('mesh-embedded-');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps its data across a stop and a second start on the same directory', async () => {
    const dataDir = join(root, 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    const url = await ensureDatabase(first.adminUrl, 'persisted');
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE marker (value text)');
    await client.query('INSERT INTO marker VALUES ($1)', ['still here']);
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const again = new Client({ connectionString: await ensureDatabase(second.adminUrl, 'persisted') });
      await again.connect();
      const { rows } = await again.query('SELECT value FROM marker');
      await again.end();
      expect(rows).toEqual([{ value: 'still here' }]);
    } finally {
      await second.stop();
    }
  });

  it("hands initdb the password in a file only the server's user can read, and removes it once initdb is done", async () => {
    const parent = join(root, 'secret');
    await mkdir(parent, { mode: 0o755 });
    const { result: server, seen } = await watchForPasswordFile(parent, startEmbeddedPostgres({ dataDir: join(parent, 'pg'), port: 0 }));
    await server.stop();
    const uid = await serverUid();
    expect(seen.map((sighting) => sighting.fileUid)).toContain(uid);
    expect(new Set(seen.map(({ dirMode, fileMode }) => `${dirMode.toString(8)} ${fileMode.toString(8)}`))).toEqual(new Set(['700 600']));
    expect([...new Set(seen.map((sighting) => sighting.fileUid))].filter((owner) => owner !== uid && owner !== 0)).toEqual([]);
    expect(await readdir(parent)).toEqual(['pg']);
  });

  describe('a start that fails', () => {
    let holder: Server;
    let takenPort: number;
    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      takenPort = (holder.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it('says why and what to do instead, and leaves no data directory, password file or server behind', async () => {
      const parent = join(root, 'port-taken');
      await mkdir(parent, { mode: 0o755 });
      const dataDir = join(parent, 'pg');
      const failure = await startEmbeddedPostgres({ dataDir, port: takenPort }).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      expect((failure as Error).message).toMatch(
        /^the embedded PostgreSQL cannot start: the server exited .*could not bind IPv4 address "127\.0\.0\.1": Address already in use.*; set DATABASE_URL=postgresql:\/\/\S+ to use a PostgreSQL server instead$/,
      );
      expect((failure as Error).message).not.toContain('\n');
      expect(await readdir(parent)).toEqual([]);
      expect(await postgresServing(dataDir)).toEqual([]);
    });

    it('leaves a data directory it did not create as it found it', async () => {
      const dataDir = join(root, 'not-a-cluster');
      await mkdir(dataDir, { mode: 0o755 });
      await writeFile(join(dataDir, 'notes.txt'), 'mine');
      const before = await stat(dataDir);
      const failure = await startEmbeddedPostgres({ dataDir, port: 0 }).catch((error: Error) => error);
      expect((failure as Error).message).toMatch(/^the embedded PostgreSQL cannot start: \S+not-a-cluster is not empty and holds no PostgreSQL cluster; empty it, or set EMBEDDED_PG_DATA_DIR/);
      expect(await readdir(dataDir)).toEqual(['notes.txt']);
      const after = await stat(dataDir);
      expect([after.uid, after.mode]).toEqual([before.uid, before.mode]);
      expect((await readdir(root)).filter((name) => name.startsWith('initdb-'))).toEqual([]);
    });
  });
});
