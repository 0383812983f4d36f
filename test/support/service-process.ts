import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres';
import { createTestDatabase, TestDatabase } from './test-database';

const MAIN = join(__dirname, '../../dist/main.js');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** The DATABASE_URL it was given ('' or undefined: it started its embedded PostgreSQL). */
  databaseUrl?: string;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  waitUntilReady(timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const databases = new Set<TestDatabase>();

/**
 * Stops every service a test started and did not stop, so a failed or timed-out test leaves no process
 * behind: SIGTERM first (the service then stops its embedded PostgreSQL too), SIGKILL after 10 s. Then
 * drops the databases spawnService made for them.
 */
export async function killServices(): Promise<void> {
  await Promise.all(
    [...running].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => (clearTimeout(force), resolve()));
      child.kill('SIGTERM');
    })),
  );
  running.clear();
  await Promise.all([...databases].map((database) => database.drop()));
  databases.clear();
}

export interface SpawnOptions {
  /** The service's entry point (a copy of dist/main.js elsewhere); dist/main.js by default. */
  main?: string;
  nodeArgs?: string[];
}

/**
 * Runs the built service (`node dist/main.js`) as production does, with the given environment: on a
 * database of its own on the test server, unless `env` has a DATABASE_URL (an empty one makes it
 * start its embedded PostgreSQL, as without DATABASE_URL).
 */
export async function spawnService(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServiceProcess> {
  const main = options.main ?? MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: the test command builds it (npm test)`);
  const port = env.PORT ?? String(await findFreePort());
  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined) {
    const database = await createTestDatabase();
    databases.add(database);
    databaseUrl = database.url;
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    // Plain HTTP without authentication unless a test asks for the default (TLS=on AUTH=on).
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', TLS: 'off', AUTH: 'off', ...env, DATABASE_URL: databaseUrl, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `${env.TLS === 'on' ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    child,
    url,
    databaseUrl,
    output: () => output,
    exited,
    async waitUntilReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
        const ready = await isReady(`${url}/readyz`);
        if (ready) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`service not ready after ${timeoutMs} ms:\n${output}`);
    },
  };
}

/** GET /readyz answers 200; over HTTPS without checking the certificate (only readiness is asked). */
function isReady(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}
