import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { stringify } from 'yaml';
import { aServiceEntry, aWorkloadEntry, aWorkloadGroup } from '../support/factories';
import { killServices, spawnService } from '../support/service-process';
import { killSyncs, Registry, startSync, SyncProcess, until } from './sync-harness';

const we = (namespace: string, name = '') => `/apis/networking.istio.io/v1/namespaces/${namespace}/workloadentries${name ? `/${name}` : ''}`;
const wg = (namespace: string, name = '') => `/apis/networking.istio.io/v1/namespaces/${namespace}/workloadgroups${name ? `/${name}` : ''}`;
const se = (namespace: string, name = '') => `/apis/networking.istio.io/v1/namespaces/${namespace}/serviceentries${name ? `/${name}` : ''}`;
const MANAGED = 'app.kubernetes.io/managed-by';
const ORIGIN = 'registry.mesh.io/sync-origin';

/**
 * The sync as it runs in production: `node dist/sync.js` against three registries, each a real process
 * with HTTPS and tokens. The source is read with a viewer token; cluster a is reached with a kubeconfig
 * holding an admin token, cluster b with an editor token (and a namespace mapping and a label
 * selector). The registry speaks the Kubernetes API, so it stands in for a cluster's API server.
 */
describe('sync: the registry mirrored into two clusters', () => {
  let dir: string;
  let source: Registry;
  let a: Registry;
  let b: Registry;
  let config: string;
  let sync: SyncProcess;
  const secrets: string[] = [];
  let earlierOutput = '';
  const latencies: Record<string, number[]> = { create: [], update: [], delete: [] };

  const at = async (registry: Registry, path: string) => {
    const res = await (await registry.as()).get(path);
    return res.status === 200 ? res.body : undefined;
  };
  const write = async (method: 'post' | 'patch' | 'delete', path: string, body?: unknown) => {
    const req = (await source.as())[method](path);
    const res = await (body === undefined ? req : req.send(typeof body === 'string' ? body : JSON.stringify(body)).set('content-type', method === 'patch' ? 'application/merge-patch+json' : 'application/json'));
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  /** Every object of a kind in a cluster, as name → spec, for those the sync made (or all). */
  const snapshot = async (registry: Registry, plural: string, namespace: string, managedOnly = true) =>
    Object.fromEntries((await registry.list(plural, namespace)).filter((o) => !managedOnly || o.metadata.labels?.[MANAGED]).map((o) => [o.metadata.name, o.spec]));
  const metric = async (name: string) => {
    const text = (await sync.get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-sync-e2e-'));
    // The test writes bursts through one token; the targets keep their default limits, which the sync stays under.
    [source, a, b] = await Promise.all([Registry.start({ RATE_LIMIT_WRITES_PER_SECOND: '0' }), Registry.start(), Registry.start()]);
    const viewer = await source.token('viewer');
    const editor = await b.token('editor');
    secrets.push(viewer, editor, source.adminToken, a.adminToken, b.adminToken);
    await writeFile(join(dir, 'viewer.token'), `${viewer}\n`, { mode: 0o600 });
    await write('post', we('bookinfo'), aWorkloadEntry('pre-1', {}, { labels: { app: 'details' } }));
    await write('post', we('payments'), aWorkloadEntry('pre-2'));
    await write('post', se('bookinfo'), aServiceEntry('details'));
    await write('post', wg('bookinfo'), aWorkloadGroup('details'));
    config = join(dir, 'sync.yaml');
    await writeFile(config, stringify({
      registry: { url: source.url, tokenFile: join(dir, 'viewer.token'), caFile: source.caFile, name: 'source-registry' },
      resyncSeconds: 5,
      clusters: [
        { name: 'a', kubeconfig: await a.kubeconfigFor(a.adminToken, dir, 'a'), writesPerSecond: 40 },
        {
          name: 'b', kubeconfig: await b.kubeconfigFor(editor, dir, 'b'), writesPerSecond: 40,
          namespaces: ['bookinfo', 'payments'], namespaceMapping: { bookinfo: 'bookinfo-vms' }, labelSelector: 'sync!=off',
        },
      ],
    }));
    sync = await startSync(config);
    await until(async () => (await sync.get('/readyz').catch(() => ({ status: 0 }))).status === 200, 30_000, 'the sync ready').catch((error) => {
      throw new Error(`${error.message}:\n${sync.output()}`);
    });
  }, 120_000);

  afterAll(async () => {
    console.log(`sync propagation latency (ms, source write → both clusters): ${JSON.stringify(latencies)}`);
    await killSyncs();
    await Promise.all([source, a, b].filter(Boolean).map((r) => r.close()));
    await killServices();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from the registry\'s current objects: both clusters hold them, marked as the sync\'s, before it is ready', async () => {
    const onA = await at(a, we('bookinfo', 'pre-1'));
    expect(onA.metadata.labels).toEqual({ app: 'details', [MANAGED]: 'mesh-registry-sync' });
    expect(onA.metadata.annotations).toEqual({ [ORIGIN]: 'source-registry' });
    expect(onA.spec).toEqual((await at(source, we('bookinfo', 'pre-1'))).spec);
    expect(await at(a, se('bookinfo', 'details'))).toBeDefined();
    expect(await at(a, we('payments', 'pre-2'))).toBeDefined();
    // b: bookinfo lands in bookinfo-vms.
    expect(await at(b, we('bookinfo-vms', 'pre-1'))).toBeDefined();
    expect(await at(b, we('bookinfo', 'pre-1'))).toBeUndefined();
    expect(await at(b, se('bookinfo-vms', 'details'))).toBeDefined();
    expect((await at(b, wg('bookinfo-vms', 'details'))).spec).toEqual((await at(source, wg('bookinfo', 'details'))).spec);
    const ready = await sync.get('/readyz');
    expect(ready.body).toEqual({ ready: true, source: true, clusters: [{ name: 'a', ready: true, reachable: true, initialSyncDone: true }, { name: 'b', ready: true, reachable: true, initialSyncDone: true }] });
    expect((await sync.get('/healthz')).status).toBe(200);
  });

  it('carries creates, updates and deletes to both clusters within 2 s', async () => {
    const both = (check: (x: any) => boolean, name: string) => async () => {
      const [onA, onB] = await Promise.all([at(a, we('bookinfo', name)), at(b, we('bookinfo-vms', name))]);
      return check(onA) && check(onB);
    };
    for (let i = 0; i < 5; i++) {
      const name = `live-${i}`;
      await write('post', we('bookinfo'), aWorkloadEntry(name, { address: `10.1.0.${i}` }, { labels: { app: 'details' } }));
      latencies.create.push(await until(both((x) => x?.spec.address === `10.1.0.${i}`, name), 2000, `${name} created on both`));
      await write('patch', we('bookinfo', name), { metadata: { labels: { version: 'v2' }, annotations: { owner: 'team-x' } }, spec: { address: `10.2.0.${i}`, weight: 3 } });
      latencies.update.push(await until(both((x) => x?.spec.address === `10.2.0.${i}` && x.metadata.labels.version === 'v2' && x.metadata.annotations.owner === 'team-x', name), 2000, `${name} updated on both`));
      await write('delete', we('bookinfo', name));
      latencies.delete.push(await until(both((x) => x === undefined, name), 2000, `${name} deleted on both`));
    }
    expect(Math.max(...Object.values(latencies).flat())).toBeLessThan(2000);
    // Each change is one log line naming the object, the cluster, the action and why.
    const line = sync.output().split('\n').find((l) => l.includes('"name":"live-0"') && l.includes('"action":"create"') && l.includes('"cluster":"b"'));
    expect(JSON.parse(line!)).toMatchObject({ kind: 'WorkloadEntry', namespace: 'bookinfo-vms', reason: 'missing from the cluster' });
    expect(sync.output()).toMatch(/replaced WorkloadEntry bookinfo\/live-0 in a: spec, labels, annotations differ from the registry/);
  });

  it('deletes an object from a cluster whose selector it leaves, and only there', async () => {
    await write('post', we('bookinfo'), aWorkloadEntry('leaves'));
    await until(async () => (await at(b, we('bookinfo-vms', 'leaves'))) !== undefined, 2000, 'leaves on b');
    await write('patch', we('bookinfo', 'leaves'), { metadata: { labels: { sync: 'off' } } });
    await until(async () => (await at(b, we('bookinfo-vms', 'leaves'))) === undefined, 2000, 'leaves gone from b');
    await until(async () => (await at(a, we('bookinfo', 'leaves')))?.metadata.labels.sync === 'off', 2000, 'leaves relabelled on a');
  });

  it('leaves an object made by hand alone, and reports the name clash in the log, /status and /metrics', async () => {
    await (await a.as()).post(we('bookinfo')).send(aWorkloadEntry('handmade', { address: '10.9.9.9' })).expect(201);
    await (await a.as()).post(we('bookinfo')).send(aWorkloadEntry('lonely', { address: '10.9.9.8' })).expect(201);
    const before = await at(a, we('bookinfo', 'handmade'));
    await write('post', we('bookinfo'), aWorkloadEntry('handmade', { address: '10.1.1.1' }));
    await until(async () => (await at(b, we('bookinfo-vms', 'handmade')))?.spec.address === '10.1.1.1', 2000, 'handmade on b');
    await until(async () => (await metric('sync_clashes{cluster="a"}')) === 1, 2000, 'the clash counted');
    expect(await at(a, we('bookinfo', 'handmade'))).toEqual(before);
    const status = (await sync.get('/status')).body;
    expect(status.clusters[0].clashes).toEqual([expect.objectContaining({ kind: 'WorkloadEntry', namespace: 'bookinfo', name: 'handmade', reason: 'the name is taken by an object made by someone else (no managed-by label)' })]);
    expect(sync.output()).toContain('left WorkloadEntry bookinfo/handmade in a alone');
    // Removing it from the registry removes nothing in a: the object was never the sync's.
    await write('delete', we('bookinfo', 'handmade'));
    await until(async () => (await at(b, we('bookinfo-vms', 'handmade'))) === undefined, 2000, 'handmade gone from b');
    await until(async () => (await metric('sync_clashes{cluster="a"}')) === 0, 2000, 'the clash over');
    expect(await at(a, we('bookinfo', 'handmade'))).toEqual(before);
  });

  it('reverts a hand edit of an object it manages, and makes one deleted by hand again, at the next full sync', async () => {
    const original = await at(a, we('bookinfo', 'pre-1'));
    await (await a.as()).patch(we('bookinfo', 'pre-1')).send(JSON.stringify({ spec: { address: '10.66.66.66' } })).expect(200);
    await (await b.as()).delete(we('bookinfo-vms', 'pre-1')).expect(200);
    await until(async () => (await at(a, we('bookinfo', 'pre-1')))?.spec.address === original.spec.address, 7000, 'the edit on a reverted');
    await until(async () => (await at(b, we('bookinfo-vms', 'pre-1'))) !== undefined, 7000, 'the object on b made again');
    expect(sync.output()).toMatch(/replaced WorkloadEntry bookinfo\/pre-1 in a: spec differs from the registry/);
  });

  it('keeps cluster a current while cluster b is down, and converges b once it is back', async () => {
    await b.stop();
    await write('post', we('bookinfo'), aWorkloadEntry('while-down', {}, { labels: { app: 'details' } }));
    await write('patch', we('bookinfo', 'pre-1'), { spec: { weight: 7 } });
    await write('delete', we('payments', 'pre-2'));
    await until(async () => (await at(a, we('bookinfo', 'while-down'))) !== undefined && (await at(a, we('bookinfo', 'pre-1'))).spec.weight === 7 && !(await at(a, we('payments', 'pre-2'))), 2000, 'a current, b down');
    await until(async () => (await sync.get('/status')).body.clusters[1].reachable === false, 5000, 'b seen down');
    // Ready stays: one cluster down must not take the sync out of service for the others.
    expect((await sync.get('/readyz')).status).toBe(200);
    expect(await metric('sync_cluster_reachable{cluster="b"}')).toBe(0);
    expect(await metric('sync_lag_seconds{cluster="b"}')).toBeGreaterThan(0);
    const restarted = Date.now();
    await b.restart();
    const converged = await until(async () =>
      (await at(b, we('bookinfo-vms', 'while-down'))) !== undefined && (await at(b, we('bookinfo-vms', 'pre-1')))?.spec.weight === 7 && !(await at(b, we('payments', 'pre-2'))),
    35_000, 'b converged');
    console.log(`cluster b converged ${Date.now() - restarted} ms after its restart began (${converged} ms after it was ready)`);
    await until(async () => (await metric('sync_lag_seconds{cluster="b"}')) === 0, 5000, 'b lag back to 0');
  }, 90_000);

  it('SIGKILLed in the middle of a burst and started again, it converges with nothing lost, duplicated or recreated', async () => {
    const uidsBefore = Object.fromEntries((await a.list('workloadentries', 'bookinfo')).map((o) => [o.metadata.name, o.metadata.uid]));
    const burst = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        await write('post', we('bookinfo'), aWorkloadEntry(`burst-${i}`, { address: `10.3.${Math.floor(i / 250)}.${i % 250}` }));
        if (i % 3 === 2) await write('delete', we('bookinfo', `burst-${i - 2}`));
        if (i % 5 === 4) await write('patch', we('bookinfo', `burst-${i - 1}`), { spec: { weight: i } });
      }
    };
    const first = burst(0, 60);
    await until(async () => (await a.list('workloadentries', 'bookinfo')).some((o) => o.metadata.name === 'burst-20'), 10_000, 'the burst under way on a');
    sync.child.kill('SIGKILL');
    await sync.exited;
    earlierOutput += sync.output();
    await first;
    await burst(60, 120);
    sync = await startSync(config);
    const wanted = await snapshot(source, 'workloadentries', 'bookinfo', false);
    // b's selector (sync!=off) leaves out what a gets regardless.
    const wantedOnB = sortKeys(await snapshot(source, 'workloadentries', 'bookinfo', false).then((all) => (delete all.leaves, all)));
    let last = '';
    const converged = await until(async () => {
      const [onA, onB] = await Promise.all([snapshot(a, 'workloadentries', 'bookinfo'), snapshot(b, 'workloadentries', 'bookinfo-vms')]);
      last = `a: ${Object.keys(onA).length} b: ${Object.keys(onB).length} wanted: ${Object.keys(wanted).length}`;
      return JSON.stringify(sortKeys(onA)) === JSON.stringify(sortKeys(wanted)) && JSON.stringify(sortKeys(onB)) === JSON.stringify(wantedOnB);
    }, 30_000, 'both clusters equal to the registry').catch((error) => {
      throw new Error(`${error.message} (${last})`);
    });
    console.log(`after SIGKILL mid-burst: both clusters equal to the registry (${Object.keys(wanted).length} WorkloadEntries in bookinfo) ${converged} ms after the restart`);
    // Ready once each cluster's first full diff is done, which may end just after the objects are equal.
    await until(async () => (await sync.get('/readyz')).status === 200, 10_000, 'the restarted sync ready');
    // No object was deleted and made again: those that survived the kill keep their uid.
    for (const o of await a.list('workloadentries', 'bookinfo')) if (uidsBefore[o.metadata.name]) expect(o.metadata.uid).toBe(uidsBefore[o.metadata.name]);
    // The restart's full diff touched nothing of anyone else's.
    expect((await at(a, we('bookinfo', 'handmade'))).spec.address).toBe('10.9.9.9');
    expect((await at(a, we('bookinfo', 'lonely'))).spec.address).toBe('10.9.9.8');
    expect(await metric('sync_objects_in_sync{cluster="a"}')).toBe(await metric('sync_objects_desired{cluster="a"}'));
  }, 90_000);

  /** The source goes away; another replica on its database takes `writes`; the source comes back on its port. */
  const outage = async (writes: (replica: string) => Promise<unknown>, compact: boolean) => {
    await source.stop();
    const replica = await spawnService({ DATABASE_URL: source.database.url, LOG_LEVEL: 'warn' });
    await replica.waitUntilReady();
    await writes(replica.url);
    if (compact) {
      // The change log compacted past the sync's revision, as CHANGE_LOG_RETENTION_SECONDS does to a sync away too long.
      const sql = new Client({ connectionString: source.database.url });
      await sql.connect();
      await sql.query('UPDATE change_log_horizon SET compacted_through = (SELECT max(resource_version) - 1 FROM resource_changes)');
      await sql.query('DELETE FROM resource_changes WHERE resource_version <= (SELECT compacted_through FROM change_log_horizon)');
      await sql.end();
    }
    replica.child.kill('SIGTERM');
    await replica.exited;
    await source.restart();
  };
  const lists = () => sync.output().split('\n').filter((line) => line.includes('"msg":"listed the registry"')).length;

  it('resumes its watch from the last resourceVersion when the registry comes back, replaying what changed meanwhile without a relist', async () => {
    const listsBefore = lists();
    await outage(async (replica) => {
      await request(replica).patch(we('bookinfo', 'pre-1')).set('content-type', 'application/merge-patch+json').send(JSON.stringify({ spec: { weight: 11 } })).expect(200);
      await request(replica).post(we('bookinfo')).send(aWorkloadEntry('during-restart')).expect(201);
      await request(replica).delete(we('bookinfo', 'burst-119')).expect(200);
    }, false);
    await until(async () =>
      (await at(a, we('bookinfo', 'pre-1')))?.spec.weight === 11 && (await at(b, we('bookinfo-vms', 'pre-1')))?.spec.weight === 11
      && (await at(a, we('bookinfo', 'during-restart'))) !== undefined && (await at(b, we('bookinfo-vms', 'during-restart'))) !== undefined
      && !(await at(a, we('bookinfo', 'burst-119'))) && !(await at(b, we('bookinfo-vms', 'burst-119'))),
    45_000, 'the changes made while the source was away');
    expect(lists()).toBe(listsBefore);
    expect(await metric('sync_source_relists_total')).toBeUndefined();
  }, 90_000);

  it('relists after 410 Expired (the registry restarted with its change log compacted) and applies the deletes it missed', async () => {
    await outage(async (replica) => {
      await request(replica).delete(we('bookinfo', 'pre-1')).expect(200);
      await request(replica).delete(se('bookinfo', 'details')).expect(200);
      await request(replica).post(we('bookinfo')).send(aWorkloadEntry('after-compaction')).expect(201);
    }, true);
    await until(async () =>
      !(await at(a, we('bookinfo', 'pre-1'))) && !(await at(b, we('bookinfo-vms', 'pre-1'))) && !(await at(a, se('bookinfo', 'details'))) && !(await at(b, se('bookinfo-vms', 'details')))
      && (await at(a, we('bookinfo', 'after-compaction'))) !== undefined && (await at(b, we('bookinfo-vms', 'after-compaction'))) !== undefined,
    45_000, 'the deletes and the create applied after the relist');
    expect(await metric('sync_source_relists_total{kind="WorkloadEntry",reason="expired"}')).toBeGreaterThanOrEqual(1);
    expect(sync.output()).toContain('(410 Expired): listing again');
    expect(await snapshot(a, 'workloadentries', 'bookinfo')).toEqual(await snapshot(source, 'workloadentries', 'bookinfo', false));
  }, 90_000);

  it('with a token limited to some namespaces, reads only those (one watch each) and mirrors them', async () => {
    const limited = (await (await source.as()).post('/apis/registry.mesh.io/v1alpha1/tokens').send({ subject: 'sync:payments', role: 'viewer', namespaces: ['payments'] }).expect(201)).body.status.token as string;
    secrets.push(limited);
    await writeFile(join(dir, 'limited.token'), limited);
    const scopedConfig = join(dir, 'scoped.yaml');
    await writeFile(scopedConfig, stringify({
      registry: { url: source.url, tokenFile: join(dir, 'limited.token'), caFile: source.caFile, name: 'payments-only', namespaces: ['payments'] },
      clusters: [{ name: 'a', kubeconfig: join(dir, 'a.kubeconfig'), namespaces: ['payments'], namespaceMapping: { payments: 'payments-copy' } }],
    }));
    const scoped = await startSync(scopedConfig);
    try {
      await until(async () => (await scoped.get('/readyz').catch(() => ({ status: 0 }))).status === 200, 20_000, 'the scoped sync ready').catch((error) => {
        throw new Error(`${error.message}:\n${scoped.output()}`);
      });
      await write('post', we('payments'), aWorkloadEntry('scoped-1'));
      await until(async () => (await at(a, we('payments-copy', 'scoped-1')))?.metadata.annotations[ORIGIN] === 'payments-only', 2000, 'scoped-1 in payments-copy');
      // The main sync mirrors payments too, into payments, under its own origin: neither touches the other's.
      await until(async () => (await at(a, we('payments', 'scoped-1')))?.metadata.annotations[ORIGIN] === 'source-registry', 2000, 'scoped-1 in payments');
      const status = (await scoped.get('/status')).body;
      expect(status.source.map((s: { kind: string }) => s.kind)).toEqual(['WorkloadEntry', 'ServiceEntry', 'WorkloadGroup']);
      expect(status.source.every((s: { synced: boolean }) => s.synced)).toBe(true);
      expect(scoped.output()).toContain('"namespace":"payments"');
      expect(scoped.output()).not.toMatch(/"code":403/);
    } finally {
      earlierOutput += scoped.output();
      scoped.child.kill('SIGTERM');
      await scoped.exited;
    }
  });

  it('with a token the registry refuses, is not ready, says why, and writes nothing anywhere', async () => {
    const wrong = `mr_zzzzzz.${'x'.repeat(43)}`;
    await writeFile(join(dir, 'wrong.token'), wrong);
    const wrongConfig = join(dir, 'wrong.yaml');
    await writeFile(wrongConfig, stringify({
      registry: { url: source.url, tokenFile: join(dir, 'wrong.token'), caFile: source.caFile, name: 'other-registry' },
      clusters: [{ name: 'a', kubeconfig: join(dir, 'a.kubeconfig') }],
    }));
    const refused = await startSync(wrongConfig);
    await until(() => /cannot read the registry/.test(refused.output()), 10_000, 'the refusal logged').catch((error) => {
      throw new Error(`${error.message}:\n${refused.output()}`);
    });
    const ready = await refused.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, source: false });
    expect(refused.output()).toMatch(/"code":401/);
    expect(refused.output()).not.toContain('x'.repeat(43));
    expect((await refused.get('/metrics')).text).not.toMatch(/^sync_writes_total\{/m);
    refused.child.kill('SIGTERM');
    expect(await refused.exited).toBe(0);
    expect((await a.list('workloadentries')).filter((o) => o.metadata.annotations?.[ORIGIN] === 'other-registry')).toEqual([]);
  });

  it('never writes a token into its log', () => {
    const everything = earlierOutput + sync.output();
    expect(everything).toContain('registry listed');
    for (const secret of secrets) expect(everything).not.toContain(secret.split('.')[1]);
  });
});

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([x], [y]) => x.localeCompare(y)));
}
