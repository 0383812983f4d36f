'use strict';
/**
 * Benchmark registries: objects as the API stores them (src/store/resource-row.ts, mr_write), bulk-loaded
 * with SQL into `resources` and `resource_changes`, so a registry of a million objects loads in a minute.
 *
 * WorkloadEntry i is a VM with address 10.x.y.z, port http: 8080, a locality, a service account and a spec
 * label; its metadata labels are `app` (one app per 10 entries), `version`, and `pool-K: member` for every
 * measured endpoint count K > i. Entries 0..999 are in namespace `bench`, the rest spread over team-0..9.
 * ServiceEntry ep-K (host epK.bench.example.com, STATIC) selects pool K; every app has a ServiceEntry too.
 */
const { randomUUID } = require('node:crypto');
const { Client } = require('pg');

const BENCH_NS = 'bench';
const POOL_SPAN = 1_000;
const FILLER_GROUP = 10;
const FILLER_NAMESPACES = 10;
const BATCH = 5_000;
const CREATED = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000).toISOString();

const epHost = (k) => `ep${k}.${BENCH_NS}.example.com`;
const pad = (i) => String(i).padStart(7, '0');
const namespaceOf = (i) => (i < POOL_SPAN ? BENCH_NS : `team-${Math.floor(i / FILLER_GROUP) % FILLER_NAMESPACES}`);
const appOf = (i) => `app-${pad(Math.floor(i / FILLER_GROUP))}`;
const ipOf = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function workloadEntry(i, pools) {
  const labels = { app: appOf(i), version: i % 2 ? 'v2' : 'v1' };
  for (const k of pools) if (i < k) labels[`pool-${k}`] = 'member';
  return {
    kind: 'WorkloadEntry', namespace: namespaceOf(i), name: `vm-${pad(i)}`, labels,
    spec: { address: ipOf(i), labels: { 'instance-id': `i-${(0x10000000 + i).toString(16)}` }, locality: `region-${i % 3}/zone-${i % 2}`, ports: { http: 8080 }, serviceAccount: 'vm-workload' },
  };
}

function serviceEntry(namespace, name, host, selector) {
  return {
    kind: 'ServiceEntry', namespace, name, labels: {},
    spec: { hosts: [host], location: 'MESH_INTERNAL', ports: [{ name: 'http', number: 80, protocol: 'HTTP', targetPort: 8080 }], resolution: 'STATIC', workloadSelector: { labels: selector } },
  };
}

function* registryObjects(size, pools) {
  for (let i = 0; i < size; i++) yield workloadEntry(i, pools);
  for (const k of pools) yield serviceEntry(BENCH_NS, `ep-${k}`, epHost(k), { [`pool-${k}`]: 'member' });
  for (let g = 0; g * FILLER_GROUP < size; g++) {
    const ns = namespaceOf(g * FILLER_GROUP);
    yield serviceEntry(ns, `svc-${pad(g)}`, `${appOf(g * FILLER_GROUP)}.${ns}.example.com`, { app: appOf(g * FILLER_GROUP) });
  }
}

/** Loads a registry of `size` WorkloadEntries (and its ServiceEntries) into an empty, migrated database. */
async function loadRegistry(url, size, pools = [1, 10, 100, 1000]) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    let rv = 0;
    let rows = [];
    const flush = async () => {
      if (rows.length === 0) return;
      const json = JSON.stringify(rows);
      await client.query(`INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation, creation_timestamp, labels, annotations, spec)
        SELECT resource_version, 'ADDED', uid, kind, namespace, name, 1, creation_timestamp, labels, '{}'::jsonb, spec
        FROM json_populate_recordset(NULL::resource_changes, $1::json)`, [json]);
      await client.query(`INSERT INTO resources (uid, kind, namespace, name, resource_version, generation, creation_timestamp, labels, annotations, spec)
        SELECT uid, kind, namespace, name, resource_version, 1, creation_timestamp, labels, '{}'::jsonb, spec
        FROM json_populate_recordset(NULL::resources, $1::json)`, [json]);
      rows = [];
    };
    for (const object of registryObjects(size, pools)) {
      rows.push({ ...object, uid: randomUUID(), resource_version: ++rv, creation_timestamp: CREATED });
      if (rows.length >= BATCH) await flush();
    }
    await flush();
    await client.query(`SELECT setval('resource_changes_resource_version_seq', $1)`, [rv]);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { objects: rv };
  } finally {
    await client.end();
  }
}

module.exports = { loadRegistry, epHost, BENCH_NS, workloadEntry };
