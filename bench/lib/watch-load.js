'use strict';
/** Watch load: many open watches on the service, read line by line as client-node reads them. */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const NS = 'fan';
const path = (name = '') => `/apis/networking.istio.io/v1/namespaces/${NS}/workloadentries${name ? `/${name}` : ''}`;
const body = (weight) => JSON.stringify({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'target' },
  spec: { address: '10.250.0.1', serviceAccount: 'vm-workload', weight },
});
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens one watch; `onEvent(resourceVersion, at)` for each event. */
function openWatch(base, headers, query, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path()}?watch=true&${query}`, { headers, agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch answered ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffered += chunk;
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          onEvent(event.object.metadata.resourceVersion, performance.now());
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

async function put(base, headers, weight) {
  const res = await fetch(`${base}${path('target')}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: body(weight) });
  if (!res.ok) throw new Error(`PUT answered ${res.status}`);
  return (await res.json()).metadata.resourceVersion;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** One change at a time, each to every watcher: milliseconds from the write's answer to each event's arrival. */
async function watchFanOut(base, headers, { watchers, writes }) {
  const start = await put(base, headers, 1);
  const arrivals = new Map();
  const closers = [];
  for (let i = 0; i < watchers; i++) {
    closers.push(await openWatch(base, headers, `resourceVersion=${start}`, (rv, at) => {
      const list = arrivals.get(rv) ?? [];
      list.push(at);
      arrivals.set(rv, list);
    }));
  }
  const latencies = [];
  try {
    for (let k = 0; k < writes; k++) {
      const rv = await put(base, headers, k + 2);
      const answeredAt = performance.now();
      const deadline = answeredAt + 10_000;
      while ((arrivals.get(rv)?.length ?? 0) < watchers && performance.now() < deadline) await sleep(1);
      const seen = arrivals.get(rv) ?? [];
      if (seen.length < watchers) throw new Error(`change ${rv} reached ${seen.length} of ${watchers} watchers in 10 s`);
      for (const at of seen) latencies.push(Math.max(0, at - answeredAt));
      await sleep(20);
    }
  } finally {
    closers.forEach((close) => close());
  }
  latencies.sort((a, b) => a - b);
  return { watchers, writes, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] };
}

/** The service's RSS growth for `count` open (quiet) watches. */
async function watchMemory(service, headers, count) {
  const head = await put(service.base, headers, 1);
  await sleep(1000);
  const before = service.rss();
  const closers = [];
  for (let i = 0; i < count; i += 200) {
    closers.push(...(await Promise.all(Array.from({ length: Math.min(200, count - i) }, () => openWatch(service.base, headers, `resourceVersion=${head}`, () => undefined)))));
  }
  await sleep(2000);
  const after = service.rss();
  closers.forEach((close) => close());
  return { watches: count, deltaMb: after - before, perWatchKb: ((after - before) * 1024) / count };
}

module.exports = { watchFanOut, watchMemory };
