import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../support/kubeconfig';
import { killServices, ServiceProcess, spawnService } from '../support/service-process';

/**
 * The official Python client (Debian's python3-kubernetes, for /usr/bin/python3) through its full CRUD,
 * against the built service as users run it: python_crud.py makes the calls and reports what each
 * returned or raised; the expectations are here.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'python_crud.py');
const probe = spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' });
const unavailable = probe.error ? probe.error.message : probe.status !== 0 ? probe.stderr.trim().split('\n').pop() : undefined;
if (unavailable) {
  console.warn(`test/clients: the Python client tests are skipped: ${PYTHON} -c 'import kubernetes' failed (${unavailable}); apt-get install python3-kubernetes`);
}
const describeWithPython = unavailable ? describe.skip : describe;

type Step = { returned?: Record<string, any>; raised?: { status: number; reason: string; message: string; fields: string[] } };

function runScript(kubeconfig: string, home: string, namespace: string): Promise<Record<string, Step>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, kubeconfig, namespace], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${SCRIPT} failed: ${error.message}\n${stderr}`)) : resolve(JSON.parse(String(stdout))),
    );
  });
}

describeWithPython('the Python client (kubernetes, CustomObjectsApi)', () => {
  let service: ServiceProcess;
  let home: string;
  let report: Record<string, Step>;
  const names = (step: Step) => (step.returned?.items ?? []).map((item: { metadata: { name: string } }) => item.metadata.name);

  beforeAll(async () => {
    service = await spawnService({ LOG_LEVEL: 'warn' });
    await service.waitUntilReady();
    home = await mkdtemp(join(tmpdir(), 'mesh-python-'));
    report = await runScript(await writeKubeconfig(home, service.url), home, 'bookinfo');
  });
  afterAll(async () => {
    await killServices();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates, gets and lists by label selector', () => {
    expect(report['create vm-1'].returned).toMatchObject({
      kind: 'WorkloadEntry', metadata: { name: 'vm-1', namespace: 'bookinfo', generation: 1, labels: { app: 'x' } }, spec: { address: '10.0.0.1' },
    });
    expect(report.get.returned?.metadata.uid).toBe(report['create vm-1'].returned?.metadata.uid);
    expect(report['list app=x'].returned?.kind).toBe('WorkloadEntryList');
    expect(names(report['list app=x'])).toEqual(['vm-1', 'vm-2']);
  });

  it('replaces with a resourceVersion, merge-patches metadata and patches status', () => {
    expect(report.replace.returned).toMatchObject({ metadata: { generation: 2 }, spec: { address: '10.0.0.2' } });
    expect(report['merge patch'].returned).toMatchObject({ metadata: { generation: 2, labels: { app: 'x', tier: 'db' } }, spec: { address: '10.0.0.2' } });
    expect(report['status patch'].returned).toMatchObject({ metadata: { generation: 2 }, status: { conditions: [{ type: 'Healthy', status: 'True' }] } });
  });

  it('raises ApiException with the Status of a 404, a 409 and a 422', () => {
    expect(report['get missing'].raised).toEqual({ status: 404, reason: 'NotFound', message: 'workloadentries.networking.istio.io "nope" not found', fields: [] });
    expect(report['create existing'].raised).toMatchObject({ status: 409, reason: 'AlreadyExists' });
    expect(report['create invalid'].raised).toMatchObject({ status: 422, reason: 'Invalid', fields: ['spec.address'] });
  });

  it('deletes one object, with and without DeleteOptions, and a namespace’s collection', () => {
    expect(report.delete.returned).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'vm-1' } });
    expect(report['delete with DeleteOptions'].returned).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'vm-2' } });
    expect(names(report['delete collection'])).toEqual(['vm-3']);
    expect(names(report['list after'])).toEqual([]);
    expect(names(report['list elsewhere after'])).toEqual(['vm-4']);
  });
});
