import { KubeConfig, ListWatch, makeInformer, CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Client } from 'pg';
import request from 'supertest';
import { kubectlFor, kubectlOnPath, Kubectl } from '../kubectl/kubectl';
import { aWorkloadEntry, paths } from '../support/factories';
import { findFreePort } from '../../src/database/embedded-postgres';
import { writeKubeconfig } from '../support/kubeconfig';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

type Obj = { metadata: { name: string; namespace: string; resourceVersion: string } };
const MERGE = 'application/merge-patch+json';
const PYTHON = '/usr/bin/python3';
const KUBECTL = kubectlOnPath();
const pythonMissing = spawnSync(PYTHON, ['-c', 'import kubernetes']).status !== 0;
if (!KUBECTL) console.warn('test/watch: the kubectl watch tests are skipped: kubectl is not on PATH (apt-get install kubectl)');
if (pythonMissing) console.warn(`test/watch: the Python watch test is skipped: ${PYTHON} -c 'import kubernetes' failed (apt-get install python3-kubernetes)`);

/** Resolves once `check` holds, polling every 20 ms. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A long-running client process whose output is read as it comes. */
function run(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe('watch with the real clients', () => {
  let db: TestDatabase;
  let port: number;
  let t: TestApp;
  let kc: KubeConfig;
  let home: Kubectl | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    port = await findFreePort();
    t = await startTestApp({ port }, db);
    home = KUBECTL ? await kubectlFor(KUBECTL, t.url) : undefined;
    kc = new KubeConfig();
    kc.loadFromFile(await writeKubeconfig(home?.dir ?? '/tmp', t.url));
  });
  afterAll(async () => {
    await t.close();
    await home?.close();
    await db.drop();
  });

  const create = (name: string, namespace: string, spec = {}) =>
    request(t.url).post(paths.workloadEntries(namespace)).send(aWorkloadEntry(name, spec)).expect(201);
  const patch = (name: string, namespace: string, body: unknown) =>
    request(t.url).patch(paths.workloadEntry(name, namespace)).set('content-type', MERGE).send(JSON.stringify(body)).expect(200);
  const kubectlEnv = () => ({ PATH: process.env.PATH ?? '', HOME: home!.dir, KUBECONFIG: `${home!.dir}/kubeconfig` });

  (KUBECTL ? describe : describe.skip)('kubectl', () => {
    it('get -w prints a row for a change made by another client within a second, and ends cleanly on Ctrl-C', async () => {
      await create('before', 'kw');
      const watching = run(KUBECTL!, ['get', 'workloadentries', '-n', 'kw', '-w'], kubectlEnv());
      await until(() => /before\s/.test(watching.output()), 10_000, 'the first rows');
      expect(watching.output()).toMatch(/^NAME\s+AGE\s+ADDRESS/m);
      const started = Date.now();
      await create('during', 'kw', { address: '10.9.9.9' });
      await until(() => /during\s+\S+\s+10\.9\.9\.9/.test(watching.output()), 5000, 'the new row');
      expect(Date.now() - started).toBeLessThan(1000);
      watching.child.kill('SIGINT');
      // kubectl exits 1 on an interrupt, as against a cluster; what matters is that it says nothing of an error.
      expect([0, 1]).toContain(await watching.exited);
      expect(watching.output()).not.toMatch(/error|Error|unable/);
    });

    it('get -w NAME prints the object, then its first update', async () => {
      await create('one', 'kw1');
      const watching = run(KUBECTL!, ['get', 'we', 'one', '-n', 'kw1', '-w'], kubectlEnv());
      await until(() => /one\s/.test(watching.output()), 10_000, 'the row');
      await patch('one', 'kw1', { spec: { address: '10.1.1.1' } });
      await until(() => /10\.1\.1\.1/.test(watching.output()), 5000, 'the updated row');
      expect(watching.output().trim().split('\n').filter((line) => line.startsWith('one'))).toHaveLength(2);
      watching.child.kill('SIGINT');
      await watching.exited;
    });

    it('wait --for=jsonpath ends as soon as the condition holds, without error lines', async () => {
      await create('waited', 'kw2');
      const waiting = run(KUBECTL!, ['wait', '--for=jsonpath={.spec.weight}=5', 'we/waited', '-n', 'kw2', '--timeout=20s'], kubectlEnv());
      await new Promise((r) => setTimeout(r, 500));
      await patch('waited', 'kw2', { spec: { weight: 5 } });
      expect(await waiting.exited).toBe(0);
      expect(waiting.output()).toContain('condition met');
      expect(waiting.output()).not.toMatch(/error|Error/);
    });
  });

  (pythonMissing ? it.skip : it)('the Python client streams the current objects, then a new one', async () => {
    await create('py-1', 'py');
    await create('py-2', 'py');
    const streaming = run(PYTHON, [`${__dirname}/../clients/python_watch.py`, `${home?.dir ?? '/tmp'}/kubeconfig`, 'py', '3'], { HOME: home?.dir ?? '/tmp', PATH: '/usr/bin:/bin' });
    await until(() => streaming.output().includes('py-2'), 15_000, 'the initial events');
    await create('py-3', 'py');
    expect(await streaming.exited).toBe(0);
    expect(streaming.output().trim().split('\n').map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['ADDED py-1', 'ADDED py-2', 'ADDED py-3']);
  });

  it('client-node Watch receives added, modified and deleted objects', async () => {
    await create('cn', 'cnw');
    const from = (await request(t.url).get(paths.workloadEntries('cnw'))).body.metadata.resourceVersion;
    const events: string[] = [];
    const controller = await new Watch(kc).watch(`${paths.workloadEntries('cnw')}`, { resourceVersion: from }, (type, object: Obj) => events.push(`${type} ${object.metadata.name}`), () => undefined);
    await patch('cn', 'cnw', { spec: { weight: 2 } });
    await request(t.url).delete(paths.workloadEntry('cn', 'cnw')).expect(200);
    await until(() => events.length === 2, 3000, 'the events');
    expect(events).toEqual(['MODIFIED cn', 'DELETED cn']);
    controller.abort();
  });

  it('client-node makeInformer: its cache equals the registry after a burst, and after a restart of the server with the history compacted, it relists', async () => {
    const path = paths.workloadEntries('inf');
    const api = kc.makeApiClient(CustomObjectsApi);
    const list = () => api.listNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1', namespace: 'inf', plural: 'workloadentries' }) as never;
    const informer: ListWatch<Obj> = makeInformer(kc, path, list) as ListWatch<Obj>;
    const deleted: string[] = [];
    informer.on('delete', (obj) => deleted.push(obj.metadata.name));
    // As client-node's docs advise: an informer stops on an error, so start it again (until the test is done).
    let restarting = true;
    informer.on('error', () => setTimeout(() => restarting && void informer.start().catch(() => undefined), 100));
    await informer.start();
    for (let i = 0; i < 20; i++) await create(`burst-${i}`, 'inf');
    await patch('burst-3', 'inf', { spec: { weight: 9 } });
    await request(t.url).delete(paths.workloadEntry('burst-7', 'inf')).expect(200);
    const registry = async () => (await request(t.url).get(path)).body.items.map((o: Obj) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
    const cached = () => informer.list('inf').map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
    const expected = await registry();
    await until(() => JSON.stringify(cached()) === JSON.stringify(expected), 5000, 'the informer catching up');
    expect(deleted).toEqual(['burst-7']);

    // The server goes away; meanwhile another replica deletes and creates, and the log is compacted.
    await t.close();
    const other = await startTestApp({}, db);
    await request(other.url).delete(paths.workloadEntry('burst-1', 'inf')).expect(200);
    await request(other.url).post(paths.workloadEntries('inf')).send(aWorkloadEntry('after-restart')).expect(201);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(`UPDATE change_log_horizon SET compacted_through = (SELECT max(resource_version) - 1 FROM resource_changes)`);
    await sql.query('DELETE FROM resource_changes WHERE resource_version <= (SELECT compacted_through FROM change_log_horizon)');
    await sql.end();
    await other.close();
    t = await startTestApp({ port }, db);

    const afterRestart = await registry();
    await until(() => JSON.stringify(cached()) === JSON.stringify(afterRestart), 15_000, 'the informer relisting');
    expect(deleted).toEqual(['burst-7', 'burst-1']);
    restarting = false;
    await informer.stop();
  });
});
