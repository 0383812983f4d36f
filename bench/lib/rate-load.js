'use strict';
/**
 * A fixed request rate (autocannon's overallRate) of heartbeats for bench/lease-bench.js: wrk measures
 * throughput at saturation, this the latency at the goal's rate. Prints one JSON line {rps, p50, p99, non2xx}.
 * Environment: RATE_URL, RATE_SHAPE (service|bare), RATE_RPS, RATE_SECONDS, RATE_VMS, RATE_HEADERS (JSON).
 */
const autocannon = require('autocannon');

const vms = Number(process.env.RATE_VMS);
const bare = process.env.RATE_SHAPE === 'bare';
let counter = 0;
const namespace = (i) => (i < 1000 ? 'bench' : `team-${Math.floor(i / 10) % 10}`);
const nextPath = () => {
  const i = counter++ % vms;
  const name = `vm-${String(i).padStart(7, '0')}`;
  return bare ? `/bare/renew/${namespace(i)}/${name}` : `/apis/networking.istio.io/v1/namespaces/${namespace(i)}/workloadentries/${name}/heartbeat`;
};

const instance = autocannon({
  url: process.env.RATE_URL,
  connections: Number(process.env.RATE_CONNECTIONS || 1000),
  overallRate: Number(process.env.RATE_RPS),
  duration: Number(process.env.RATE_SECONDS),
  headers: { ...JSON.parse(process.env.RATE_HEADERS || '{}'), 'content-type': 'application/json' },
  requests: [{ method: 'POST', body: '{}', setupRequest: (request) => ({ ...request, path: nextPath() }) }],
}, (error, result) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx })}\n`);
});
instance.on('error', (error) => console.error(error));
