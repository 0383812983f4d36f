import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeObject } from '../../src/common/kube-object';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { Kubectl, kubectlFor, kubectlOnPath, tableLines } from './kubectl';

/**
 * The kubectl walkthrough of the issue, with the real kubectl against the real service: the Istio docs'
 * examples (test/fixtures/istio-docs, copied from shared/anchors/istio-workloadentry-docs.txt) applied,
 * listed, read, selected, dry-run created, rejected and deleted, with kubectl's own output checked. Over
 * HTTPS with the admin token and the generated CA in the kubeconfig, as users run it.
 */
const KUBECTL = kubectlOnPath();
if (!KUBECTL) console.warn('test/kubectl: kubectl is not on PATH, so the kubectl walkthrough is skipped');
const describeWithKubectl = KUBECTL ? describe : describe.skip;

const FIXTURES = join(__dirname, '../fixtures/istio-docs');
const fixture = (name: string) => join(FIXTURES, name);
const WE_STATIC = fixture('workloadentry-details-svc.yaml');
const SE_STATIC = fixture('serviceentry-details-svc.yaml');
const WE_DNS = fixture('workloadentry-details-svc-dns.yaml');
const SE_DNS = fixture('serviceentry-details-svc-dns.yaml');
const WE_REMOTE = fixture('workloadentry-foo-workloads-cluster-2.yaml');
const WG_REVIEWS = fixture('workloadgroup-reviews.yaml');

describeWithKubectl('kubectl against the registry', () => {
  let t: SecureTestApp;
  let k: Kubectl;
  /** Writes a manifest into the scratch directory and returns its path. */
  const manifest = async (name: string, text: string) => {
    const path = join(k.dir, name);
    await writeFile(path, text);
    return path;
  };
  const stored = (plural: string, name: string) => t.as(t.adminToken).get(`/apis/networking.istio.io/v1/namespaces/default/${plural}/${name}`);
  const storedObject = async (plural: string, name: string) => (await stored(plural, name)).body as KubeObject;

  beforeAll(async () => {
    t = await startSecureTestApp();
    k = await kubectlFor(KUBECTL!, t.url, { token: t.adminToken, caPem: t.caPem });
  });
  afterAll(async () => {
    await k?.close();
    await t?.close();
  });

  it('sees the server version and the three resources with their short names', async () => {
    expect((await k.run('version')).stdout).toContain('Server Version: v1.32.0-mesh-registry');
    const resources = await k.run('api-resources', '--api-group=networking.istio.io');
    expect(resources.code).toBe(0);
    expect(tableLines(resources.stdout)).toEqual([
      ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'],
      ['serviceentries', 'se', 'networking.istio.io/v1', 'true', 'ServiceEntry'],
      ['workloadentries', 'we', 'networking.istio.io/v1', 'true', 'WorkloadEntry'],
      ['workloadgroups', 'wg', 'networking.istio.io/v1', 'true', 'WorkloadGroup'],
    ]);
  });

  it('applies the docs examples: created, then unchanged', async () => {
    const first = await k.run('apply', '-f', SE_STATIC, '-f', WE_STATIC, '-f', WE_REMOTE);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout.trim().split('\n')).toEqual([
      'serviceentry.networking.istio.io/details-svc created',
      'workloadentry.networking.istio.io/details-svc created',
      'workloadentry.networking.istio.io/foo-workloads-cluster-2 created',
    ]);
    const again = await k.run('apply', '-f', SE_STATIC, '-f', WE_STATIC, '-f', WE_REMOTE);
    expect(again.stdout.trim().split('\n')).toEqual([
      'serviceentry.networking.istio.io/details-svc unchanged',
      'workloadentry.networking.istio.io/details-svc unchanged',
      'workloadentry.networking.istio.io/foo-workloads-cluster-2 unchanged',
    ]);
  });

  it('applies the DNS variant of the same names: configured', async () => {
    const result = await k.run('apply', '-f', SE_DNS, '-f', WE_DNS);
    expect(result.stdout.trim().split('\n')).toEqual([
      'serviceentry.networking.istio.io/details-svc configured',
      'workloadentry.networking.istio.io/details-svc configured',
    ]);
    expect((await storedObject('workloadentries', 'details-svc')).spec.address).toBe('vm1.vpc01.corp.net');
    expect((await storedObject('serviceentries', 'details-svc')).spec.resolution).toBe('DNS');
  });

  it('applies a modified manifest (a label and a weight): configured, merged into the stored object', async () => {
    const modified = (await readFile(WE_DNS, 'utf8'))
      .replace('  name: details-svc\n', '  name: details-svc\n  labels:\n    app: details-legacy\n')
      .replace('spec:\n', 'spec:\n  weight: 3\n');
    const result = await k.run('apply', '-f', await manifest('details-svc-labelled.yaml', modified));
    expect(result.stdout.trim()).toBe('workloadentry.networking.istio.io/details-svc configured');
    const object = await storedObject('workloadentries', 'details-svc');
    expect(object.metadata.labels).toEqual({ app: 'details-legacy' });
    expect(object.spec).toMatchObject({ weight: 3, address: 'vm1.vpc01.corp.net' });
    expect(object.metadata.generation).toBe(3);
  });

  it('gets tables with the CRD printer columns, as from a cluster', async () => {
    const we = tableLines((await k.run('get', 'we')).stdout);
    expect(we[0]).toEqual(['NAME', 'AGE', 'ADDRESS', 'HEALTHY', 'REASON', 'GROUP']);
    expect(we.slice(1)).toEqual([
      ['details-svc', expect.stringMatching(/^\d+s$/), 'vm1.vpc01.corp.net'],
      ['foo-workloads-cluster-2', expect.stringMatching(/^\d+s$/)],
    ]);
    const se = tableLines((await k.run('get', 'serviceentries')).stdout);
    expect(se).toEqual([
      ['NAME', 'HOSTS', 'LOCATION', 'RESOLUTION', 'AGE'],
      ['details-svc', '["details.bookinfo.com"]', 'MESH_INTERNAL', 'DNS', expect.stringMatching(/^\d+s$/)],
    ]);
    const one = tableLines((await k.run('get', 'workloadentry', 'details-svc')).stdout);
    expect(one).toEqual([['NAME', 'AGE', 'ADDRESS', 'HEALTHY', 'REASON', 'GROUP'], ['details-svc', expect.stringMatching(/^\d+s$/), 'vm1.vpc01.corp.net']]);
  });

  it('gets one object as YAML', async () => {
    const result = await k.run('get', 'we', 'details-svc', '-o', 'yaml');
    expect(result.code).toBe(0);
    const object = parse(result.stdout);
    expect(object).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: { name: 'details-svc', namespace: 'default', labels: { app: 'details-legacy' } },
      spec: { address: 'vm1.vpc01.corp.net', serviceAccount: 'details-legacy', weight: 3 },
    });
    expect(object.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"weight":3');
  });

  it('selects by label across all namespaces', async () => {
    const result = await k.run('get', 'we', '-l', 'app=details-legacy', '-A');
    expect(tableLines(result.stdout)).toEqual([
      ['NAMESPACE', 'NAME', 'AGE', 'ADDRESS', 'HEALTHY', 'REASON', 'GROUP'],
      ['default', 'details-svc', expect.stringMatching(/^\d+s$/), 'vm1.vpc01.corp.net'],
    ]);
  });

  it('creates with --dry-run=server: validated, reported, not stored', async () => {
    const text = (await readFile(WE_STATIC, 'utf8')).replace('name: details-svc', 'name: dry-run-vm');
    const result = await k.run('create', '--dry-run=server', '-f', await manifest('dry-run-vm.yaml', text));
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('workloadentry.networking.istio.io/dry-run-vm created (server dry run)');
    expect((await stored('workloadentries', 'dry-run-vm')).status).toBe(404);
  });

  it('prints an invalid object as kubectl prints a cluster’s 422', async () => {
    const text = (await readFile(WE_STATIC, 'utf8')).replace('name: details-svc', 'name: bad-vm').replace('spec:\n', 'spec:\n  weight: -1\n');
    const result = await k.run('apply', '-f', await manifest('bad-vm.yaml', text));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^The WorkloadEntry "bad-vm" is invalid: spec\.weight: Invalid value: -1: /m);
    expect((await stored('workloadentries', 'bad-vm')).status).toBe(404);
  });

  it('rejects unknown fields, as kubectl asks the server to validate strictly', async () => {
    const text = (await readFile(WE_STATIC, 'utf8')).replace('name: details-svc', 'name: typo-vm').replace('spec:\n', 'spec:\n  adress: 2.2.2.3\n');
    const result = await k.run('create', '-f', await manifest('typo-vm.yaml', text));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error from server \(BadRequest\): .*unknown field "spec\.adress"/m);
  });

  it('prints a missing object as NotFound', async () => {
    const result = await k.run('get', 'we', 'missing');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): workloadentries.networking.istio.io "missing" not found');
  });

  it('prints a missing object in a namespace as NotFound, not as a missing namespace', async () => {
    const expected = 'Error from server (NotFound): workloadentries.networking.istio.io "nope" not found';
    for (const verb of [['get'], ['describe'], ['patch', '--type=merge', '-p', '{"spec":{"weight":1}}'], ['edit']]) {
      const result = await k.run(verb[0], 'we', 'nope', '-n', 'bookinfo', ...verb.slice(1));
      expect([verb[0], result.code, result.stderr.trim()]).toEqual([verb[0], 1, expected]);
    }
  });

  it('gets namespaces: those holding objects, each Active; writes to them are refused', async () => {
    expect((await k.run('apply', '-n', 'bookinfo', '-f', WE_REMOTE)).code).toBe(0);
    expect(tableLines((await k.run('get', 'ns')).stdout)).toEqual([
      ['NAME', 'STATUS', 'AGE'],
      ['bookinfo', 'Active', expect.stringMatching(/^\d+s$/)],
      ['default', 'Active', expect.stringMatching(/^\d+s$/)],
    ]);
    expect(parse((await k.run('get', 'namespace', 'bookinfo', '-o', 'yaml')).stdout)).toMatchObject({ kind: 'Namespace', status: { phase: 'Active' } });
    const created = await k.run('create', 'namespace', 'new-team');
    expect(created.stderr.trim()).toBe('Error from server (MethodNotAllowed): create is not supported on resources of kind "namespaces"');
    expect((await k.run('delete', 'we', 'foo-workloads-cluster-2', '-n', 'bookinfo')).code).toBe(0);
    expect(tableLines((await k.run('get', 'ns')).stdout).map((row) => row[0])).toEqual(['NAME', 'default']);
  });

  it('deletes by name and by file', async () => {
    const byName = await k.run('delete', 'we', 'foo-workloads-cluster-2');
    expect(byName).toMatchObject({ code: 0, stdout: 'workloadentry.networking.istio.io "foo-workloads-cluster-2" deleted\n' });
    const byFile = await k.run('delete', '-f', SE_DNS, '-f', WE_DNS);
    expect(byFile.stdout.trim().split('\n')).toEqual([
      'serviceentry.networking.istio.io "details-svc" deleted',
      'workloadentry.networking.istio.io "details-svc" deleted',
    ]);
    expect((await k.run('get', 'we,se')).stderr.trim()).toBe('No resources found in default namespace.');
    const again = await k.run('delete', 'we', 'details-svc');
    expect(again.stderr.trim()).toBe('Error from server (NotFound): workloadentries.networking.istio.io "details-svc" not found');
  });

  it('deletes by label selector', async () => {
    const doc = (name: string, app: string, address: string) => [
      'apiVersion: networking.istio.io/v1', 'kind: WorkloadEntry', `metadata: { name: ${name}, labels: { app: ${app} } }`,
      `spec: { address: ${address}, serviceAccount: sa }`,
    ].join('\n');
    const path = await manifest('labelled.yaml', [doc('vm-a', 'batch', '10.1.0.1'), doc('vm-b', 'batch', '10.1.0.2'), doc('vm-c', 'kept', '10.1.0.3')].join('\n---\n'));
    expect((await k.run('apply', '-f', path)).code).toBe(0);
    const deleted = await k.run('delete', 'we', '-l', 'app=batch');
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    expect(deleted.stdout.trim().split('\n')).toEqual([
      'workloadentry.networking.istio.io "vm-a" deleted',
      'workloadentry.networking.istio.io "vm-b" deleted',
    ]);
    expect(tableLines((await k.run('get', 'we', '--no-headers')).stdout).map(([name]) => name)).toEqual(['vm-c']);
    const none = await k.run('delete', 'we', '-l', 'app=batch');
    expect({ code: none.code, said: `${none.stdout}${none.stderr}`.trim() }).toEqual({ code: 0, said: 'No resources found' });
  });
  describe('WorkloadGroup', () => {
    const owned = (name: string, group: string, uid: string) => [
      'apiVersion: networking.istio.io/v1', 'kind: WorkloadEntry',
      `metadata: { name: ${name}, namespace: vms, ownerReferences: [{ apiVersion: networking.istio.io/v1, kind: WorkloadGroup, name: ${group}, uid: ${uid}, controller: true }] }`,
      'spec: { address: 10.2.0.1, serviceAccount: default }',
    ].join('\n');
    const uidOf = async (name: string) => (await k.run('get', 'wg', name, '-n', 'vms', '-o', 'jsonpath={.metadata.uid}')).stdout;
    const entries = async () => tableLines((await k.run('get', 'we', '-n', 'vms', '--no-headers')).stdout).map(([name]) => name);

    it('applies the docs example (created, then unchanged) and gets it by its short name, with the CRD columns', async () => {
      expect(await k.run('apply', '-n', 'vms', '-f', WG_REVIEWS)).toMatchObject({ code: 0, stdout: 'workloadgroup.networking.istio.io/reviews created\n' });
      expect(await k.run('apply', '-n', 'vms', '-f', WG_REVIEWS)).toMatchObject({ code: 0, stdout: 'workloadgroup.networking.istio.io/reviews unchanged\n' });
      expect(tableLines((await k.run('get', 'wg', '-n', 'vms')).stdout)).toEqual([['NAME', 'AGE'], ['reviews', expect.stringMatching(/^\d+s$/)]]);
      const object = parse((await k.run('get', 'workloadgroup', 'reviews', '-n', 'vms', '-o', 'yaml')).stdout);
      expect(object).toMatchObject({ kind: 'WorkloadGroup', spec: { template: { serviceAccount: 'default', ports: { grpc: 3550, http: 8080 } }, probe: { httpGet: { port: 3100, scheme: 'HTTPS' } } } });
    });

    it('prints an invalid group as kubectl prints a cluster’s 422, every cause', async () => {
      const text = (await readFile(WG_REVIEWS, 'utf8')).replace('name: reviews', 'name: bad-group').replace('  template:\n', '  template:\n    address: 10.0.0.9\n').replace('port: 3100', 'port: 0');
      const result = await k.run('apply', '-n', 'vms', '-f', await manifest('bad-group.yaml', text));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^The WorkloadGroup "bad-group" is invalid: /m);
      expect(result.stderr).toContain('spec.template.address: Forbidden: must be empty in a WorkloadGroup template');
      expect(result.stderr).toContain('spec.probe.httpGet.port: Invalid value: 0: port number 0 must be in the range 1..65535');
    });

    it('kubectl delete removes the entries the group owns; --cascade=orphan keeps them', async () => {
      const uid = await uidOf('reviews');
      expect(uid).toMatch(/^[0-9a-f-]{36}$/);
      const path = await manifest('owned.yaml', [owned('reviews-10.2.0.1', 'reviews', uid), 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: { name: by-hand, namespace: vms }\nspec: { address: 10.2.0.2 }'].join('\n---\n'));
      expect((await k.run('apply', '-f', path)).code).toBe(0);
      expect(await entries()).toEqual(['by-hand', 'reviews-10.2.0.1']);
      expect(await k.run('delete', 'wg', 'reviews', '-n', 'vms')).toMatchObject({ code: 0, stdout: 'workloadgroup.networking.istio.io "reviews" deleted\n' });
      expect(await entries()).toEqual(['by-hand']);

      expect((await k.run('apply', '-n', 'vms', '-f', WG_REVIEWS)).code).toBe(0);
      expect((await k.run('apply', '-f', await manifest('owned-again.yaml', owned('reviews-10.2.0.1', 'reviews', await uidOf('reviews'))))).code).toBe(0);
      expect((await k.run('delete', 'wg', 'reviews', '-n', 'vms', '--cascade=orphan')).code).toBe(0);
      expect(await entries()).toEqual(['by-hand', 'reviews-10.2.0.1']);
      expect((await k.run('get', 'we', 'reviews-10.2.0.1', '-n', 'vms', '-o', 'jsonpath={.metadata.ownerReferences}')).stdout).toBe('');
    });
  });
});
