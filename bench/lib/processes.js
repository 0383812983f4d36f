'use strict';
/**
 * What a benchmark starts and measures: PostgreSQL (embedded, or BENCH_DATABASE_URL's server), the built
 * service and the bare Nest+Fastify yardstick (both on the server CPU), and wrk on the other CPU.
 */
const { spawn, spawnSync } = require('node:child_process');
const { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The token the service is started with (REGISTRY_ADMIN_TOKEN), sent as every request's bearer token. */
const TOKEN = 'mr_bench1.benchmarkbenchmarkbenchmarkbenchmark42';

/** A copy of dist/ (and the migrations), so a `nest build` elsewhere cannot pull the code away mid-run. */
function snapshotBuild(tmp) {
  const app = join(tmp, 'app');
  cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'prisma', 'migrations'), join(app, 'prisma', 'migrations'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
  return app;
}

async function startPostgres(app, tmp) {
  if (process.env.BENCH_DATABASE_URL) return { adminUrl: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  const { startEmbeddedPostgres } = require(join(app, 'dist', 'database', 'embedded-postgres.js'));
  return startEmbeddedPostgres({ dataDir: join(tmp, 'pg'), port: 0 });
}

async function admin(adminUrl, sql) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database; drop() removes it. */
async function createDatabase(app, adminUrl, name) {
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { runMigrations } = require(join(app, 'dist', 'database', 'migration-runner.js'));
  await runMigrations(url.toString(), join(app, 'prisma', 'migrations'));
  return { url: url.toString(), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function freePort() {
  const { createServer } = require('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, in MiB. */
function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Starts a node program pinned to `cpu`, and waits until `ready(base)` holds. */
async function startNode({ script, env, cpu, logFile, ready, args = [] }) {
  const port = await freePort();
  const out = createWriteStream(logFile, { flags: 'a' });
  await new Promise((resolve) => out.once('open', resolve));
  const command = ['taskset', '-c', String(cpu), process.execPath, ...args, script];
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const key of Object.keys(childEnv)) if (key.startsWith('BENCH_')) delete childEnv[key];
  const child = spawn(command[0], command.slice(1), { env: childEnv, stdio: ['ignore', out, out] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${script} exited before it was ready; see ${logFile}`);
    if (await ready(base).catch(() => false)) break;
    if (Date.now() - started > 600_000) throw new Error(`${script} was not ready within 10 minutes; see ${logFile}`);
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    readyMs: Date.now() - started,
    rss: () => rssMb(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      out.end();
    },
  };
}

/** The service as production runs it, but plain HTTP on loopback, rate limits off, and a known admin token. */
function startService(app, { databaseUrl, dataDir, logFile, cpu, logLevel = 'info' }) {
  return startNode({
    script: join(app, 'dist', 'main.js'), cpu, logFile,
    env: {
      DATABASE_URL: databaseUrl, LOG_LEVEL: logLevel, TLS: 'off', AUTH: 'on', DATA_DIR: dataDir, REGISTRY_ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_READS_PER_SECOND: '0', RATE_LIMIT_WRITES_PER_SECOND: '0', RATE_LIMIT_HEARTBEATS_PER_SECOND: '0', WATCHES_PER_TOKEN: '100000',
    },
    ready: (base) => fetch(`${base}/readyz`).then((r) => r.ok),
  });
}

function startBare({ databaseUrl, logFile, cpu }) {
  return startNode({
    script: join(ROOT, 'bench', 'bare-server.js'), cpu, logFile, env: { DATABASE_URL: databaseUrl },
    ready: (base) => fetch(`${base}/bare`).then((r) => r.ok),
  });
}

/**
 * One wrk run on the load CPU: `{ rps, p50, p99 }` (latencies in ms), `non2xx` answers counted.
 * `script` and `scriptEnv` drive a Lua request generator (bench/wrk/*.lua).
 */
function wrk(url, { seconds, connections = 32, cpu, script, scriptEnv = {}, headers = {} }) {
  const args = ['-c', String(cpu), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (script) args.push('-s', join(ROOT, 'bench', 'wrk', script));
  args.push(url);
  const run = spawnSync('taskset', args, { encoding: 'utf8', env: { ...process.env, ...scriptEnv }, timeout: (seconds + 30) * 1000 });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.stdout}`);
  const number = (re) => Number((re.exec(run.stdout) ?? [])[1]);
  const latency = (label) => {
    const match = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(run.stdout);
    if (!match) return NaN;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: latency('50'),
    p99: latency('99'),
    non2xx: number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
  };
}

function hasWrk() {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { ROOT, TOKEN, admin, createDatabase, hasWrk, rssMb, sleep, snapshotBuild, startBare, startPostgres, startService, tempDir, wrk };
