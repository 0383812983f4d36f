import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ServerUser } from './postgres-runtime';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface ClusterOptions {
  binaries: PostgresBinaries;
  dataDir: string;
  /** Set when we are root: the server runs as this user instead. */
  user?: ServerUser;
  onLog: (message: string) => void;
}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** English messages, whatever the locale: readiness is read from the server's log. */
function spawnOptions(user: ServerUser | undefined): SpawnOptions {
  return { ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] };
}

/**
 * Creates the cluster (initdb) with a superuser password. initdb reads the password from a file: it is
 * made mode 0600 in a fresh directory of mode 0700 next to the data directory (where the server user can
 * reach it), owned by the user initdb runs as (the only one who needs it), and removed when initdb is
 * done, whether it succeeded or not.
 */
export async function initialiseCluster(options: ClusterOptions & { superuser: string; password: string }): Promise<void> {
  const { binaries, dataDir, user } = options;
  // Someone else's files: leave them (and their owner) alone.
  if ((await readdir(dataDir).catch(() => [])).length > 0) {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster; empty it, or set EMBEDDED_PG_DATA_DIR to another directory`);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secretDir = await mkdtemp(join(dirname(dataDir), 'initdb-'));
  try {
    const passwordFile = join(secretDir, 'password');
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (user) for (const path of [dataDir, secretDir, passwordFile]) await chown(path, user.uid, user.gid);
    const args = [
      `--pgdata=${dataDir}`, `--username=${options.superuser}`, `--pwfile=${passwordFile}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--locale=C', '--lc-messages=C',
    ];
    await runToCompletion(binaries.initdb, args, options);
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

function runToCompletion(command: string, args: string[], options: ClusterOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, spawnOptions(options.user));
    let output = '';
    const collect = (chunk: Buffer) => ((output += chunk), options.onLog(String(chunk)));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => reject(spawnFailure(command, error, options.user)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      reject(new Error(`${command} failed (${code ?? signal}): ${lastLines(output)}`));
    });
  });
}

export interface RunningPostgres {
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1:port only (no Unix socket) and resolves once it accepts connections. */
export function startServer(options: ClusterOptions & { port: number }): Promise<RunningPostgres> {
  const args = ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(options.binaries.postgres, args, spawnOptions(options.user));
  // If this process exits without stopping the server (process.exit on a shutdown timeout), stop it anyway.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const running: RunningPostgres = {
    stop: () => {
      process.removeListener('exit', stopOnExit);
      return stopProcess(child);
    },
  };
  return new Promise((resolve, reject) => {
    let log = '';
    const fail = (error: Error) => (clearTimeout(timer), process.removeListener('exit', stopOnExit), reject(error));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${lastLines(log)}`));
    }, START_TIMEOUT_MS);
    // Read the log for as long as the server runs: a full pipe would block it.
    child.stdout?.on('data', (chunk) => options.onLog(String(chunk)));
    child.stderr?.on('data', (chunk) => {
      options.onLog(String(chunk));
      log = (log + chunk).slice(-4000);
      if (log.includes(READY)) (clearTimeout(timer), resolve(running));
    });
    child.once('error', (error) => fail(spawnFailure(options.binaries.postgres, error, options.user)));
    child.once('exit', (code, signal) => fail(new Error(`the server exited (${code ?? signal}) before accepting connections: ${lastLines(log)}`)));
  });
}

/** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); SIGKILL if it hangs. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => (clearTimeout(force), resolve()));
    child.kill('SIGINT');
  });
}

export function spawnFailure(command: string, error: NodeJS.ErrnoException, user: ServerUser | undefined): Error {
  const who = user ? `the postgres user (uid ${user.uid})` : 'this user';
  if (error.code === 'EACCES') return new Error(`${who} may not run ${command} (permission denied on the file or a directory above it)`);
  if (error.code === 'ENOENT') return new Error(`${command} is missing (reinstall with npm install)`);
  return new Error(`${command} could not be run: ${error.message}`);
}

const LOG_PREFIX = /^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /;
const ROUTINE = /^LOG: {2}(starting PostgreSQL|database system is shut down|listening on)/;

/** The last telling lines of a log, without timestamps, on one line: enough to name the cause. */
export function lastLines(text: string, count = 4): string {
  const lines = text.split('\n').map((line) => line.replace(LOG_PREFIX, '').trim());
  return lines.filter((line) => line && !ROUTINE.test(line)).slice(-count).join(' / ') || 'no output';
}
