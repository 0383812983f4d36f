#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the request paths of the service against a bare Nest 12 + Fastify route, measured in the
 * same run and the same minute (bench/bare-server.js, started by this script on the same CPU as the service;
 * wrk -t1 -c32 on the other CPU; loopback only; every run bounded). For each registry size:
 *
 *   GET /healthz                     vs the bare GET /bare (and the bare route sending the same response headers)
 *   resolve of a 10-endpoint host    vs the bare GET /bare (and the service's own /healthz)
 *   GET one WorkloadEntry            vs the bare GET /bare (and the service's own /healthz)
 *   create WorkloadEntries (distinct names, 32 clients) vs a raw `pg` INSERT … ON CONFLICT behind the bare route
 *
 * in interleaved rounds (bare, then the service at every size, all running at once), so that other load on the
 * machine falls on all of them.
 * Then the service's RSS at each memory size, and watch fan-out: one change to many watchers, and memory per watch.
 * A report, not a test: it exits 0 whatever the numbers, non-zero only if it could not run.
 * Knobs (environment): BENCH_SIZES (1000,100000), BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_MEMORY_SIZES
 * (1000,100000,1000000), BENCH_WATCHERS (1000; 0 skips the watch phase), BENCH_WATCHES_MEMORY (5000), BENCH_SETTLE_MS (2000), BENCH_DATABASE_URL,
 * BENCH_ROWS (healthz,resolve,get,create: the rows to run),
 * BENCH_QUICK=1; a list set to `none` skips its phase.
 */
const { cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { loadRegistry, epHost } = require('./lib/registry');
const { TOKEN, createDatabase, hasWrk, sleep, snapshotBuild, startBare, startPostgres, startService, tempDir, wrk } = require('./lib/processes');
const { watchFanOut, watchMemory } = require('./lib/watch-load');

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const list = (name, fallback) => (env[name] === 'none' ? [] : env[name] ? env[name].split(',').map(Number) : fallback);
const CONFIG = {
  sizes: list('BENCH_SIZES', QUICK ? [1000] : [1000, 100_000]),
  rounds: Number(env.BENCH_ROUNDS || (QUICK ? 1 : 5)),
  seconds: Number(env.BENCH_SECONDS || (QUICK ? 3 : 5)),
  memorySizes: list('BENCH_MEMORY_SIZES', QUICK ? [1000] : [1000, 100_000, 1_000_000]),
  watchers: Number(env.BENCH_WATCHERS || 1000),
  watchesForMemory: Number(env.BENCH_WATCHES_MEMORY || (QUICK ? 1000 : 5000)),
  settleMs: Number(env.BENCH_SETTLE_MS ?? 2000),
  rows: env.BENCH_ROWS ? env.BENCH_ROWS.split(',') : undefined,
};
/**
 * A pause after each run: the servers share CPU 0, and what one leaves behind (V8 finishing a collection on
 * its helper threads, PostgreSQL's autovacuum after the creates) would otherwise fall on the next run.
 */
const settle = () => sleep(CONFIG.settleMs);
const SERVER_CPU = 0;
const LOAD_CPU = 1;
const GOALS = { healthz: 0.85, resolve: 0.6, get: 0.4, create: 0.5 };
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const WE_BODY = JSON.stringify({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'NAME', labels: { app: 'bench-created' } },
  spec: { address: 'ADDRESS', ports: { http: 8080 }, serviceAccount: 'vm-workload' },
});

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ratio = (a, b) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '-');

/** Each row: how to run the service's side and the bare side. */
function rows(service, bare) {
  const run = (base, path, extra = {}) => () => wrk(`${base}${path}`, { seconds: CONFIG.seconds, cpu: LOAD_CPU, ...extra });
  let batch = 0;
  const creates = (base, path, body, headers) => () => {
    batch++;
    return wrk(`${base}${path}`, { seconds: CONFIG.seconds, cpu: LOAD_CPU, script: 'create.lua', headers,
      scriptEnv: { BENCH_PATH: path, BENCH_BODY: body, BENCH_PREFIX: `r${batch}-${Date.now().toString(36)}`, BENCH_ADDRESS_BLOCK: String(batch) } });
  };
  const all = [
    { key: 'healthz', title: 'GET /healthz', service: run(service.base, '/healthz'), bare: run(bare.base, '/bare'), sameHeaders: run(bare.base, '/bare/headers') },
    { key: 'resolve', title: 'resolve, 10 endpoints', service: run(service.base, `/registry/v1/resolve?host=${epHost(10)}`, { headers: AUTH }), bare: run(bare.base, '/bare'), own: true },
    { key: 'get', title: 'GET one WorkloadEntry', service: run(service.base, '/apis/networking.istio.io/v1/namespaces/bench/workloadentries/vm-0000005', { headers: AUTH }), bare: run(bare.base, '/bare'), own: true },
    {
      key: 'create', title: 'create WorkloadEntries (32 clients)',
      service: creates(service.base, '/apis/networking.istio.io/v1/namespaces/created/workloadentries', WE_BODY, AUTH),
      bare: creates(bare.base, '/bare/insert', WE_BODY, {}),
      against: 'raw pg INSERT … ON CONFLICT',
    },
  ];
  return CONFIG.rows ? all.filter((row) => CONFIG.rows.includes(row.key)) : all;
}

/**
 * Every size's service runs at once, and each round measures the bare route and then every size back to
 * back: a ratio compares runs seconds apart, and so does the flatness from the smallest size to the
 * largest (measured a size after the other, minutes apart, it said more about the machine than the service).
 */
async function measureSizes(app, tmp, pg, bare) {
  const sides = [];
  try {
    for (const size of CONFIG.sizes) {
      const db = await createDatabase(app, pg.adminUrl, `bench_${size}`);
      const side = { size, db, results: {}, ownHealthz: [] };
      sides.push(side);
      const loadStarted = Date.now();
      await loadRegistry(db.url, size);
      log(`${size} WorkloadEntries loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
      side.service = await startService(app, { databaseUrl: db.url, dataDir: join(tmp, `data-${size}`), logFile: join(tmp, `service-${size}.log`), cpu: SERVER_CPU });
      await check(side.service);
      side.rows = rows(side.service, bare);
    }
    for (const [index, { key, title }] of sides[0].rows.entries()) {
      log(`measuring ${title}`);
      for (const side of sides) {
        side.rows[index].service(); // warm-up (JIT), discarded
        await settle();
      }
      const measured = sides.map(() => ({ service: [], bare: [], p99: [], sameHeaders: [] }));
      for (let round = 0; round < CONFIG.rounds; round++) {
        const b = sides[0].rows[index].bare();
        await settle();
        // The sizes take turns at running right after the bare route.
        const order = round % 2 ? [...sides.keys()].reverse() : [...sides.keys()];
        for (const i of order) {
          const { service, rows: sideRows, ownHealthz } = sides[i];
          const row = sideRows[index];
          const s = row.service();
          await settle();
          if (s.non2xx > 0 || b.non2xx > 0) log(`warning: ${row.title}: ${s.non2xx} non-2xx from the service, ${b.non2xx} from the bare route`);
          Object.entries({ bare: b.rps, service: s.rps, p99: s.p99 }).forEach(([name, value]) => measured[i][name].push(value));
          if (row.own && ownHealthz.length < CONFIG.rounds) {
            ownHealthz.push(wrk(`${service.base}/healthz`, { seconds: CONFIG.seconds, cpu: LOAD_CPU }).rps);
            await settle();
          }
        }
        if (sides[0].rows[index].sameHeaders) {
          const withHeaders = sides[0].rows[index].sameHeaders().rps;
          await settle();
          for (const m of measured) m.sameHeaders.push(withHeaders);
        }
      }
      sides.forEach((side, i) => (side.results[key] = summarise(side.rows[index], measured[i])));
    }
    return sides.map(({ size, results, ownHealthz, service }) => ({ size, results, ownHealthz: median(ownHealthz), rss: service.rss(), readyMs: service.readyMs }));
  } finally {
    for (const { service, db } of sides) {
      await service?.stop();
      await db.drop();
    }
  }
}

function summarise(row, measured) {
  const versus = (other) => (other.length ? median(measured.service.map((v, i) => v / other[i])) : undefined);
  return {
    ...row, service: median(measured.service), bare: median(measured.bare), ratio: median(roundRatios(measured)), p99: median(measured.p99), spread: spread(measured),
    perRound: measured.service, vsSameHeaders: versus(measured.sameHeaders),
    bareWithHeaders: measured.sameHeaders.length ? median(measured.sameHeaders.map((v, i) => v / measured.bare[i])) : undefined,
  };
}

/** Each round's service/bare ratio: the two sides of a round ran in the same minute, so machine noise cancels. */
const roundRatios = ({ service, bare }) => service.map((s, i) => s / bare[i]);

/** The largest round-to-round difference of the service/bare ratio, as a fraction of its median. */
function spread(measured) {
  const ratios = roundRatios(measured);
  const mid = median(ratios);
  return Math.max(...ratios.map((r) => Math.abs(r - mid))) / mid;
}

async function check(service) {
  const answer = await fetch(`${service.base}/registry/v1/resolve?host=${epHost(10)}`, { headers: AUTH }).then((r) => r.json());
  const endpoints = answer.services?.[0]?.endpoints?.length;
  if (endpoints !== 10) throw new Error(`resolve of ${epHost(10)} answered ${endpoints} endpoints, not 10: ${JSON.stringify(answer).slice(0, 300)}`);
  const object = await fetch(`${service.base}/apis/networking.istio.io/v1/namespaces/bench/workloadentries/vm-0000005`, { headers: AUTH });
  if (!object.ok) throw new Error(`GET of a loaded WorkloadEntry answered ${object.status}`);
}

async function measureMemory(app, tmp, pg, size) {
  const db = await createDatabase(app, pg.adminUrl, `bench_mem_${size}`);
  await loadRegistry(db.url, size);
  const service = await startService(app, { databaseUrl: db.url, dataDir: join(tmp, `mem-${size}`), logFile: join(tmp, `memory-${size}.log`), cpu: SERVER_CPU, logLevel: 'warn' });
  try {
    await sleep(3000);
    return { size, rss: service.rss(), readyMs: service.readyMs };
  } finally {
    await service.stop();
    await db.drop();
  }
}

async function measureWatch(app, tmp, pg) {
  const db = await createDatabase(app, pg.adminUrl, 'bench_watch');
  await loadRegistry(db.url, 1000);
  const service = await startService(app, { databaseUrl: db.url, dataDir: join(tmp, 'watch'), logFile: join(tmp, 'watch.log'), cpu: SERVER_CPU, logLevel: 'warn' });
  try {
    const fanOut = await watchFanOut(service.base, AUTH, { watchers: CONFIG.watchers, writes: 50 });
    const memory = await watchMemory(service, AUTH, CONFIG.watchesForMemory);
    return { fanOut, memory };
  } finally {
    await service.stop();
    await db.drop();
  }
}

function report(perSize, memory, watch) {
  const out = [];
  out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  out.push(`method: wrk -t1 -c32, ${CONFIG.seconds} s a run, ${CONFIG.rounds} interleaved rounds (median), service and bare route on CPU ${SERVER_CPU}, wrk on CPU ${LOAD_CPU}`);
  out.push('');
  out.push('| path | size | service req/s | bare req/s | ratio | goal | p99 ms | vs own /healthz | spread |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { size, results, ownHealthz } of perSize) {
    for (const r of Object.values(results)) {
      const verdict = r.ratio >= GOALS[r.key] ? 'PASS' : 'FAIL';
      out.push(`| ${r.title}${r.against ? ` (bare: ${r.against})` : ''} | ${fmt(size)} | ${fmt(r.service)} | ${fmt(r.bare)} | ${r.ratio.toFixed(2)} | ≥ ${GOALS[r.key]} ${verdict} | ${r.p99.toFixed(1)} | ${r.own ? ratio(r.service, ownHealthz) : ''} | ±${Math.round(r.spread * 100)}% |`);
    }
  }
  out.push('');
  // What the response headers every answer carries cost by themselves: the bare route sending the same ones.
  for (const { size, results } of perSize) {
    const h = results.healthz;
    if (h?.vsSameHeaders !== undefined) out.push(`${fmt(size)}: the bare route with the service's response headers runs at ${h.bareWithHeaders.toFixed(2)}× the bare route; GET /healthz at ${h.vsSameHeaders.toFixed(2)}× that`);
  }
  if (perSize.length > 1) {
    const [first, last] = [perSize[0], perSize[perSize.length - 1]];
    out.push('');
    // Judged on the two sizes' req/s in the same rounds (each round runs every size within seconds); the
    // ratio to the bare route at each size is shown beside it.
    out.push(`flatness ${fmt(first.size)} → ${fmt(last.size)}, the median of each round's req/s at ${fmt(last.size)} over ${fmt(first.size)} (goal within 10 %):`);
    const signed = (change) => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
    for (const key of Object.keys(first.results)) {
      const change = median(last.results[key].perRound.map((v, i) => v / first.results[key].perRound[i])) - 1;
      out.push(`  ${first.results[key].title}: ${signed(change)} ${Math.abs(change) <= 0.1 ? 'PASS' : 'FAIL'} (ratio to the bare route ${first.results[key].ratio.toFixed(2)} → ${last.results[key].ratio.toFixed(2)})`);
    }
  }
  out.push('');
  out.push('| WorkloadEntries | RSS after start | ready after |');
  out.push('| --- | --- | --- |');
  for (const m of memory) out.push(`| ${fmt(m.size)} | ${fmt(m.rss)} MiB | ${(m.readyMs / 1000).toFixed(1)} s |`);
  if (watch) {
    out.push('');
    out.push(`watch fan-out: one change to ${fmt(watch.fanOut.watchers)} watchers, ${watch.fanOut.writes} changes: ` +
      `p50 ${watch.fanOut.p50.toFixed(1)} ms, p99 ${watch.fanOut.p99.toFixed(1)} ms, max ${watch.fanOut.max.toFixed(1)} ms (from the write's answer to each event's arrival; goal p99 < 100 ms)`);
    out.push(`watch memory: ${fmt(watch.memory.watches)} open watches cost ${fmt(watch.memory.deltaMb)} MiB of RSS, ${watch.memory.perWatchKb.toFixed(1)} KiB a watch`);
  }
  return out.join('\n');
}

async function main() {
  if (!hasWrk()) throw new Error('wrk is not installed (apt-get install wrk)');
  if (cpus().length < 2) throw new Error('the benchmark needs 2 CPUs: the service on one, wrk on the other');
  const tmp = tempDir('mesh-bench-');
  const app = snapshotBuild(tmp.dir);
  const pg = await startPostgres(app, tmp.dir);
  const bareDb = await createDatabase(app, pg.adminUrl, 'bench_bare');
  const bare = await startBare({ databaseUrl: bareDb.url, logFile: join(tmp.dir, 'bare.log'), cpu: SERVER_CPU });
  try {
    const perSize = CONFIG.sizes.length ? await measureSizes(app, tmp.dir, pg, bare) : [];
    await bare.stop();
    const memory = [];
    for (const size of CONFIG.memorySizes) {
      log(`memory at ${size} WorkloadEntries`);
      memory.push(await measureMemory(app, tmp.dir, pg, size));
    }
    const watch = CONFIG.watchers > 0 ? (log('watch fan-out and memory'), await measureWatch(app, tmp.dir, pg)) : undefined;
    process.stdout.write(`${report(perSize, memory, watch)}\n`);
  } finally {
    await bare.stop();
    await bareDb.drop().catch(() => undefined);
    await pg.stop();
    tmp.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
