import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { killServices, ServiceProcess, spawnService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The goal of issue 10: while any single hostile request is being handled, `/healthz` and resolve keep
 * answering within 100 ms. The built service runs as its own process (so the probes measure its event
 * loop, not this test's), and two probes ask every 10 ms for as long as the heavy request lasts.
 */
const BOUND_MS = 100;
// A latency test on a shared 2-core machine: a regression (the alias bomb held the loop for 20 s) fails
// both tries, another process's burst on the CPU rarely twice in a row.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
/**
 * When the machine itself is slow (other test files, other work on both cores), the same probes with no
 * heavy request are slow too: the bound is then twice the slowest of those, measured just before. A
 * stall (seconds) still fails; the machine's own hiccups do not.
 */
const BASELINE_MS = 1000;
const LOADED_MACHINE_FACTOR = 2;
const WE = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\n';

interface Heavy {
  method: string;
  path: string;
  type: string;
  body: string;
  /** The answer the heavy request must get. */
  status: number;
}

const yamlObject = (name: string, rest: string): Heavy => ({
  method: 'POST', path: paths.workloadEntries(), type: 'application/yaml', body: `${WE}metadata: {name: ${name}}\nspec: {address: 1.1.1.1}\n${rest}`, status: 0,
});

const HEAVY: [string, () => Heavy][] = [
  ['an alias bomb: 10,000 anchors and 10,000 aliases (20 s of CPU before)', () => ({
    ...yamlObject('bomb', `status:\n  labels:\n${Array.from({ length: 10_000 }, (_, i) => `    a${i}: &a${i} v\n`).join('')}  copies:\n${Array.from({ length: 10_000 }, (_, i) => `  - *a${i}\n`).join('')}`),
    status: 400,
  })],
  // Sent to the other kind's route, so that the answer (400) comes right after the parse: what this
  // measures is the YAML parse; validating and storing a maximal object is a cost of its own (README).
  ['a 1 MB YAML body of 40,000 keys (30 s of duplicate-key checks before)', () => ({
    ...yamlObject('big-yaml', `status:\n  labels:\n${Array.from({ length: 40_000 }, (_, i) => `    key${i}: value${i}`).join('\n').slice(0, 1_000_000)}\n`),
    path: paths.serviceEntries(),
    status: 400,
  })],
  ['JSON nested 400,000 levels', () => ({
    method: 'POST', path: paths.workloadEntries(), type: 'application/json', status: 400,
    body: JSON.stringify(aWorkloadEntry('deep-json')).replace('"spec":{', `"status":{"a":${'['.repeat(400_000)}${']'.repeat(400_000)}},"spec":{`),
  })],
  ['YAML nested 400,000 levels', () => ({ ...yamlObject('deep-yaml', `status: {a: ${'['.repeat(400_000)}${']'.repeat(400_000)}}\n`), status: 400 })],
  ['a 4.5 MB import of 2,000 objects', () => ({
    method: 'POST', path: '/registry/v1/import?namespace=big', type: 'application/yaml', status: 200,
    body: Array.from({ length: 2000 }, (_, i) =>
      `${WE}metadata:\n  name: big-${i}\n  annotations:\n    note: "${'n'.repeat(2200)}"\nspec:\n  address: 10.2.${(i >> 8) & 255}.${i & 255}\n`).join('---\n'),
  })],
  ['an import of 10,000 small documents (dry run)', () => ({
    method: 'POST', path: '/registry/v1/import?namespace=many&dryRun=All', type: 'application/yaml', status: 200,
    body: Array.from({ length: 10_000 }, (_, i) => `${WE}metadata: {name: many-${i}}\nspec: {address: 10.3.${(i >> 8) & 255}.${i & 255}}\n`).join('---\n'),
  })],
];

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

describe('no single hostile request stalls the process', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    service = await spawnService({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    await service.waitUntilReady();
    const post = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post(paths.workloadEntries(), aWorkloadEntry('details-vm', { address: '2.2.2.2' }));
    await post(paths.serviceEntries(), aServiceEntry('details'));
  });
  afterAll(async () => {
    await killServices();
    await db.drop();
  });

  const PROBED = ['/healthz', '/registry/v1/resolve?host=details.bookinfo.com'];

  /** Both probes, every 10 ms, until `done()`. */
  async function probeUntil(done: () => boolean): Promise<{ path: string; ms: number; status: number }[]> {
    const probes: { path: string; ms: number; status: number }[] = [];
    const probe = async (path: string) => {
      while (!done()) {
        probes.push({ path, ...(await timed(`${service.url}${path}`)) });
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await Promise.all(PROBED.map(probe));
    return probes;
  }

  it.each(HEAVY)(`/healthz and resolve answer within ${BOUND_MS} ms during %s`, async (_title, make) => {
    const heavy = make();
    const baselineEnds = performance.now() + BASELINE_MS;
    const baseline = await probeUntil(() => performance.now() > baselineEnds);
    const machineSlowest = Math.max(...baseline.map((p) => p.ms));
    const bound = Math.max(BOUND_MS, LOADED_MACHINE_FACTOR * machineSlowest);
    let done = false;
    const request = timed(`${service.url}${heavy.path}`, { method: heavy.method, headers: { 'content-type': heavy.type }, body: heavy.body })
      .finally(() => (done = true));
    const [probes] = await Promise.all([probeUntil(() => done), request]);
    expect((await request).status).toBe(heavy.status);
    expect(probes.length).toBeGreaterThan(1);
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
    const slowest = probes.reduce((a, b) => (b.ms > a.ms ? b : a));
    if (slowest.ms >= bound) {
      throw new Error(`${slowest.path} took ${slowest.ms.toFixed(0)} ms (of ${probes.length} probes; bound ${bound.toFixed(0)} ms, the machine's own slowest ${machineSlowest.toFixed(0)} ms)`);
    }
  });
});
