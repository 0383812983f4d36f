#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:leases`: heartbeats (lease renewals), the registry's hottest write path, against a bare
 * Nest 12 + Fastify route doing one plain `pg` UPDATE of one lease row per request, measured in the same
 * run and the same minute (service and bare server pinned to one CPU, wrk -t1 on the other; loopback only;
 * every run bounded), in interleaved rounds (bare, service, bare, service).
 *
 *   - BENCH_VMS (100000) registered WorkloadEntries with leases, heartbeated round-robin by wrk (Lua script
 *     bench/wrk/heartbeat.lua): renewals/s and latency at saturation, with BENCH_CONNECTIONS (64) clients;
 *   - then a fixed offered rate of BENCH_RATE (10000) heartbeats/s (the goal: 100,000 VMs every 10 s), for the
 *     latency at that rate: wrk with RATE_CONNECTIONS connections (1000), each pausing a random 0–2 × think
 *     (1000 × connections / rate − 5 ms: 95 ms; jittered so that the connections do not fire in lockstep)
 *     between its answer and its next request, for BENCH_RATE_SECONDS (60), counting the service's full
 *     garbage collections meanwhile; for this phase both servers may use both cores (BENCH_RATE_PINNED=1
 *     keeps them on CPU 0);
 *   - expiry precision: BENCH_EXPIRING (1000) other leases whose deadlines fall, spread over 10 s, during the
 *     load; how late (never early) each was marked LeaseExpired.
 * The entries, their leases and their Healthy=True status are loaded with SQL (as registrations leave them),
 * so a renewal is the steady-state one: no visible write. A report, not a test: exits 0 whatever the numbers.
 * Knobs: BENCH_VMS, BENCH_SECONDS (10), BENCH_ROUNDS (2), BENCH_CONNECTIONS, BENCH_RATE, RATE_CONNECTIONS (1000), BENCH_RATE_SECONDS (60), BENCH_RATE_PINNED,
 * BENCH_EXPIRING,
 * BENCH_DATABASE_URL, BENCH_QUICK=1.
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { cpus, loadavg } = require('node:os');
const { loadRegistry } = require('./lib/registry');
const { ROOT, TOKEN, admin, createDatabase, hasWrk, sleep, snapshotBuild, startBare, startPostgres, startService, tempDir, wrk } = require('./lib/processes');

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const CONFIG = {
  vms: Number(env.BENCH_VMS || (QUICK ? 10_000 : 100_000)),
  seconds: Number(env.BENCH_SECONDS || (QUICK ? 4 : 10)),
  rounds: Number(env.BENCH_ROUNDS || (QUICK ? 1 : 2)),
  connections: Number(env.BENCH_CONNECTIONS || 256),
  rate: Number(env.BENCH_RATE || 10_000),
  // Many connections, each mostly pausing: a stall of the service finds up to this many requests due, as an
  // open-loop load would (with few connections, the requests a stall delays would never have been sent).
  rateConnections: Number(env.RATE_CONNECTIONS || 1000),
  // Long enough to take in the steady state's full garbage collections (the report counts them).
  rateSeconds: Number(env.BENCH_RATE_SECONDS || (QUICK ? 5 : 60)),
  // BENCH_RATE_PINNED=1 keeps both servers on CPU 0 for the fixed-rate runs too.
  ratePinned: env.BENCH_RATE_PINNED === '1',
  expiring: Number(env.BENCH_EXPIRING || (QUICK ? 200 : 1000)),
};
const SERVER_CPU = 0;
const LOAD_CPU = 1;
const AUTH = { Authorization: `Bearer ${TOKEN}` };
/** Long enough that no heartbeated lease lapses during the run; the expiring set has its own 40 s. */
const LEASE_SECONDS = 600;
const log = (message) => process.stderr.write(`[bench:leases] ${message}\n`);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};

async function prepare(url, total) {
  await loadRegistry(url, total, []);
  const now = Date.now();
  await admin(url, `UPDATE resources SET
      annotations = '{"proxy.istio.io/health-checks-enabled":"true"}'::jsonb,
      status = '{"conditions":[{"type":"Healthy","status":"True","lastProbeTime":"2026-12-01T12:00:00Z","lastTransitionTime":"2026-12-01T12:00:00Z"}]}'::jsonb
    WHERE kind = 'WorkloadEntry'`);
  await admin(url, `INSERT INTO entry_leases (namespace, name, uid, holder, group_name, duration_ms, renew_ms, acquire_ms)
    SELECT namespace, name, uid, 'bench', NULL, ${LEASE_SECONDS * 1000}, ${now}, ${now} FROM resources WHERE kind = 'WorkloadEntry'`);
  // The registry has "been up": no outage grace at start (the service is told the gap is an hour).
  await admin(url, `UPDATE lease_liveness SET accepting_since_ms = 0, last_seen = now()`);
  await admin(url, 'ANALYZE');
}

/** The expiring set: leases of entries vm-<vms>… that nobody renews, deadlines spread over 10 s from `startMs`. */
async function armExpiring(url, startMs) {
  const spread = 10_000 / CONFIG.expiring;
  await admin(url, `UPDATE entry_leases l SET duration_ms = 40000, expired_ms = NULL,
      renew_ms = ${startMs} - 40000 + ((substring(l.name from 4)::int - ${CONFIG.vms}) * ${spread})::bigint
    WHERE l.name >= 'vm-${String(CONFIG.vms).padStart(7, '0')}'`);
}

async function expiryReport(url) {
  const { rows } = await admin(url, `SELECT (expired_ms - deadline_ms)::float8 AS late FROM entry_leases
    WHERE name >= 'vm-${String(CONFIG.vms).padStart(7, '0')}'`).then((r) => ({ rows: r.rows }));
  const marked = rows.filter((r) => r.late !== null).map((r) => r.late);
  return { armed: rows.length, marked: marked.length, early: marked.filter((l) => l < 0).length, p50: percentile(marked, 50), p99: percentile(marked, 99), max: Math.max(...marked) };
}

/**
 * Latency at a fixed offered rate. Each of C connections sends a heartbeat, waits for the answer, then pauses
 * a random 0–2 × think ms: C / (think + latency) heartbeats a second, spread out. The pause is set so that a
 * 5 ms answer gives the rate asked; a slower side is offered less, and the table shows what each achieved.
 * Not a true open loop (wrk2 is not packaged here): a connection waiting for an answer sends nothing more,
 * so a stall longer than the pause is under-counted; with 1,000 connections that is a stall over ~100 ms.
 * (autocannon's overallRate, used before, adds its own event loop's delays: against /healthz at 10,000/s it
 * reported p99 700 ms with 1,000 connections and 37 ms with 256, where wrk saw 28 and 6 ms.)
 */
function fixedRate(base, shape, headers) {
  const think = Math.max(1, (CONFIG.rateConnections / CONFIG.rate) * 1000 - 5);
  return wrk(`${base}/`, { seconds: CONFIG.rateSeconds, connections: CONFIG.rateConnections, cpu: LOAD_CPU, script: 'heartbeat.lua', headers,
    scriptEnv: { BENCH_SHAPE: shape, BENCH_VMS: String(CONFIG.vms), BENCH_START: '74000', BENCH_THINK_MS: think.toFixed(1) } });
}

/** Lets every thread of a process run on every CPU again. */
function unpin(pid) {
  const run = spawnSync('taskset', ['-a', '-p', '-c', cpus().map((_, i) => i).join(','), String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`taskset could not unpin ${pid}: ${run.stderr}`);
}

/** /metrics, once more if the server closed the idle kept-alive connection just as fetch reused it. */
async function metricsText(base) {
  const read = () => fetch(`${base}/metrics`, { headers: AUTH }).then((r) => r.text());
  return read().catch(() => read());
}

/** A summary or histogram's `_sum` and `_count` on the service's /metrics (0 while it has no such series). */
async function metric(base, name, labels = '') {
  const text = await metricsText(base);
  const series = (suffix) => new RegExp(`^${name}${suffix}${labels.replace(/[{}]/g, '\\$&')} ([\\d.e+-]+)$`, 'm');
  const value = (suffix) => Number((series(suffix).exec(text) ?? [])[1] ?? 0);
  return { sum: value('_sum'), count: value('_count') };
}

/** The service's full (major) garbage collections so far, from prom-client's default metrics. */
const majorCollections = (base) => metric(base, 'nodejs_gc_duration_seconds', '{kind="major"}');

async function main() {
  if (!hasWrk()) throw new Error('wrk is not installed (apt-get install wrk)');
  const tmp = tempDir('mesh-bench-leases-');
  const app = snapshotBuild(tmp.dir);
  const pg = await startPostgres(app, tmp.dir);
  const stops = [];
  try {
    const db = await createDatabase(app, pg.adminUrl, 'bench_leases');
    const started = Date.now();
    await prepare(db.url, CONFIG.vms + CONFIG.expiring);
    log(`${CONFIG.vms + CONFIG.expiring} WorkloadEntries with leases loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    Object.assign(process.env, { LEASE_DURATION_SECONDS: String(LEASE_SECONDS), LEASE_RENEW_INTERVAL_SECONDS: '10', LEASE_OUTAGE_GAP_SECONDS: '3600' });
    const service = await startService(app, { databaseUrl: db.url, dataDir: join(tmp.dir, 'data'), logFile: join(tmp.dir, 'service.log'), cpu: SERVER_CPU, logLevel: 'warn' });
    stops.push(service);
    const bare = await startBare({ databaseUrl: db.url, logFile: join(tmp.dir, 'bare.log'), cpu: SERVER_CPU });
    stops.push(bare);
    log(`service ready in ${(service.readyMs / 1000).toFixed(1)} s`);
    await armExpiring(db.url, Date.now() + 3000);

    const results = { service: [], bare: [] };
    for (let round = 0; round < CONFIG.rounds; round++) {
      const scriptEnv = (shape) => ({ BENCH_SHAPE: shape, BENCH_VMS: String(CONFIG.vms), BENCH_START: String(round * 37_000) });
      results.bare.push(wrk(`${bare.base}/`, { seconds: CONFIG.seconds, connections: CONFIG.connections, cpu: LOAD_CPU, script: 'heartbeat.lua', scriptEnv: scriptEnv('bare') }));
      results.service.push(wrk(`${service.base}/`, { seconds: CONFIG.seconds, connections: CONFIG.connections, cpu: LOAD_CPU, script: 'heartbeat.lua', scriptEnv: scriptEnv('service'), headers: AUTH }));
      log(`round ${round + 1}: bare ${fmt(results.bare[round].rps)}/s p99 ${fmt(results.bare[round].p99, 1)} ms; service ${fmt(results.service[round].rps)}/s p99 ${fmt(results.service[round].p99, 1)} ms (non-2xx ${results.service[round].non2xx})`);
    }
    // The goal is the machine's: at a fixed rate both servers may use both cores (as a deployment does, where
    // V8's concurrent marking runs beside the request thread), sharing them with wrk and PostgreSQL.
    if (CONFIG.ratePinned === false) for (const server of [bare, service]) unpin(server.pid);
    const rateBare = fixedRate(bare.base, 'bare', {});
    const gcBefore = await majorCollections(service.base);
    const rateService = fixedRate(service.base, 'service', AUTH);
    const gcAfter = await majorCollections(service.base);
    const collections = { count: gcAfter.count - gcBefore.count, ms: (gcAfter.sum - gcBefore.sum) * 1000 };
    log(`fixed ${CONFIG.rate}/s: bare ${fmt(rateBare.rps)}/s p99 ${rateBare.p99} ms; service ${fmt(rateService.rps)}/s p99 ${rateService.p99} ms`);
    await sleep(2000);
    const expiry = await expiryReport(db.url);
    const batch = await metric(service.base, 'lease_flush_batch_size');
    const flush = await metric(service.base, 'lease_flush_duration_seconds');
    const summarize = (runs) => ({ rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), non2xx: runs.reduce((a, r) => a + r.non2xx, 0) });
    const s = summarize(results.service);
    const b = summarize(results.bare);
    const lines = [
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0].model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${fmt(CONFIG.vms)} leased entries (+${fmt(CONFIG.expiring)} expiring), ${CONFIG.rounds} × ${CONFIG.seconds} s per side, wrk -t1 -c${CONFIG.connections}.`,
      '',
      '| heartbeat path | renewals/s | p50 ms | p99 ms | non-2xx |',
      '| --- | --: | --: | --: | --: |',
      `| bare Nest route, one plain \`pg\` UPDATE of one row per request | ${fmt(b.rps)} | ${fmt(b.p50, 2)} | ${fmt(b.p99, 2)} | ${b.non2xx} |`,
      `| registry heartbeat (auth, gate, cache, batched renew) | ${fmt(s.rps)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${s.non2xx} |`,
      `| bare, offered ${fmt(CONFIG.rate)}/s (wrk, ${CONFIG.rateConnections} paced connections, ${CONFIG.ratePinned ? 'pinned' : 'both cores'}) | ${fmt(rateBare.rps)} | ${fmt(rateBare.p50, 2)} | ${fmt(rateBare.p99, 2)} | ${rateBare.non2xx} |`,
      `| registry, offered ${fmt(CONFIG.rate)}/s (wrk, ${CONFIG.rateConnections} paced connections, ${CONFIG.ratePinned ? 'pinned' : 'both cores'}) | ${fmt(rateService.rps)} | ${fmt(rateService.p50, 2)} | ${fmt(rateService.p99, 2)} | ${rateService.non2xx} |`,
      '',
      `During the service's fixed-rate run: ${collections.count} full garbage collections, ${fmt(collections.ms, 1)} ms of pauses in all (nodejs_gc_duration_seconds{kind="major"}).`,
      `Renewals per database round trip (group commit): ${fmt(batch.sum / batch.count, 1)} on average over ${fmt(batch.count)} flushes of ${fmt((flush.sum / flush.count) * 1000, 2)} ms.`,
      `Expiry: ${expiry.marked} of ${expiry.armed} lapsed leases marked, ${expiry.early} early; lateness after the deadline p50 ${fmt(expiry.p50)} ms, p99 ${fmt(expiry.p99)} ms, max ${fmt(expiry.max)} ms.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await db.drop().catch(() => undefined);
  } finally {
    for (const stop of stops.reverse()) await stop.stop().catch(() => undefined);
    await pg.stop();
    tmp.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
