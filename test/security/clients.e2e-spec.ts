import { ApiException, AuthorizationV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml } from '../../src/auth/kubeconfig';
import { kubectlOnPath } from '../kubectl/kubectl';
import { killServices, ServiceProcess, spawnService } from '../support/service-process';

/**
 * The built service as `npm start` runs it (HTTPS from a generated CA, authentication on, the first
 * admin token and a kubeconfig generated into DATA_DIR), driven by kubectl, client-node and the Python
 * client with tokens of three roles.
 */
const KUBECTL = kubectlOnPath();
if (!KUBECTL) console.warn('test/security: kubectl is not on PATH, so its security checks are skipped');
const PYTHON = '/usr/bin/python3';
const pythonProbe = spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' });
const pythonMissing = pythonProbe.error || pythonProbe.status !== 0;
if (pythonMissing) console.warn(`test/security: the Python client checks are skipped: ${PYTHON} -c 'import kubernetes' failed; apt-get install python3-kubernetes`);
const itWithKubectl = KUBECTL ? it : it.skip;
const itWithPython = pythonMissing ? it.skip : it;

const WE = '/apis/networking.istio.io/v1/namespaces/a/workloadentries';

describe('kubectl, client-node and the Python client over HTTPS with tokens', () => {
  let service: ServiceProcess;
  let dir: string;
  let dataDir: string;
  let admin: string;
  let ca: string;
  const secrets: string[] = [];
  const kubeconfigs: Record<string, string> = {};

  /** A JSON request to the service, trusting its CA. */
  const call = (method: string, path: string, token: string, body?: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpsRequest(`${service.url}${path}`, { method, agent: new Agent({ ca }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const kubectl = (kubeconfig: string, ...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(KUBECTL!, args, { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig }, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
  const token = async (name: string, body: Record<string, unknown>) => {
    const created = await call('POST', '/apis/registry.mesh.io/v1alpha1/tokens', admin, body);
    expect(created.status).toBe(201);
    const wire = created.body.status.token as string;
    secrets.push(wire.slice(10));
    kubeconfigs[name] = join(dir, `${name}.kubeconfig`);
    await writeFile(kubeconfigs[name], kubeconfigYaml({ server: service.url, token: wire, caPem: ca, namespace: 'a' }));
    return wire;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-security-clients-'));
    dataDir = join(dir, 'data');
    service = await spawnService({ TLS: 'on', AUTH: 'on', DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    await service.waitUntilReady();
    for (let waited = 0; !service.output().includes('kubeconfig for kubectl') && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    admin = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    secrets.push(admin.slice(10));
    ca = await readFile(join(dataDir, 'ca.crt'), 'utf8');
    kubeconfigs.admin = join(dataDir, 'kubeconfig');
    await token('viewer', { subject: 'dashboard', role: 'viewer' });
    await token('editor', { subject: 'ci:a', role: 'editor', namespaces: ['a'] });
  });
  afterAll(async () => {
    await killServices();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the first admin token and a kubeconfig, private, and says where without the secret', async () => {
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    for (const file of ['admin.token', 'kubeconfig', 'ca.key', 'server.key', 'ca.crt', 'server.crt']) expect([file, (await stat(join(dataDir, file))).mode & 0o777]).toEqual([file, 0o600]);
    expect(admin).toMatch(/^mr_[a-z0-9]{6}\./);
    expect(service.output()).toContain(`first start: generated admin token ${admin.slice(3, 9)}; its secret is in ${join(dataDir, 'admin.token')}`);
    expect(service.output()).toContain(`kubeconfig for kubectl (admin token ${admin.slice(3, 9)}, ${service.url}): ${join(dataDir, 'kubeconfig')}`);
    expect(await readFile(kubeconfigs.admin, 'utf8')).toContain('certificate-authority-data:');
  });

  itWithKubectl('works with the generated kubeconfig, and refuses a viewer’s write with the Forbidden message', async () => {
    expect(await kubectl(kubeconfigs.admin, 'get', 'we', '-A')).toMatchObject({ code: 0, stderr: 'No resources found\n' });
    const manifest = join(dir, 'vm.yaml');
    await writeFile(manifest, 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm-1, namespace: a}\nspec: {address: 10.0.0.1}\n');
    const refused = await kubectl(kubeconfigs.viewer, 'create', '-f', manifest);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('Error from server (Forbidden): error when creating "' + manifest + '": workloadentries.networking.istio.io is forbidden: User "dashboard" cannot create resource "workloadentries" in API group "networking.istio.io" in the namespace "a"');
    expect(await kubectl(kubeconfigs.editor, 'create', '-f', manifest)).toMatchObject({ code: 0, stdout: 'workloadentry.networking.istio.io/vm-1 created\n' });
    expect(await kubectl(kubeconfigs.viewer, 'get', 'we', 'vm-1', '-o', 'name')).toMatchObject({ code: 0, stdout: 'workloadentry.networking.istio.io/vm-1\n' });
  });

  itWithKubectl('answers kubectl auth can-i with the exit code the server then confirms, can-i --list and whoami', async () => {
    const cases: [string, string, string, number][] = [['admin', 'create', 'b', 0], ['viewer', 'create', 'a', 1], ['viewer', 'list', 'a', 0], ['editor', 'create', 'a', 0], ['editor', 'create', 'b', 1], ['editor', 'delete', 'a', 0]];
    for (const [who, verb, namespace, code] of cases) {
      const answer = await kubectl(kubeconfigs[who], 'auth', 'can-i', verb, 'workloadentries', '-n', namespace);
      expect([who, verb, namespace, answer.code, answer.stdout.trim()]).toEqual([who, verb, namespace, code, code === 0 ? 'yes' : 'no']);
    }
    const tokenOf = async (who: string) => (await readFile(kubeconfigs[who], 'utf8')).match(/token: (\S+)/)![1];
    // What can-i said is what the server does.
    expect((await call('POST', '/apis/networking.istio.io/v1/namespaces/b/workloadentries', await tokenOf('editor'), { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'x' }, spec: { address: '1.1.1.1' } })).status).toBe(403);
    expect((await call('POST', '/apis/networking.istio.io/v1/namespaces/b/workloadentries', await tokenOf('admin'), { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'x' }, spec: { address: '1.1.1.1' } })).status).toBe(201);
    const list = await kubectl(kubeconfigs.viewer, 'auth', 'can-i', '--list', '-n', 'a');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\*\.networking\.istio\.io\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list.stdout).toMatch(/^\s+\[\/metrics\]\s+\[\]\s+\[get\]$/m);
    const whoami = await kubectl(kubeconfigs.editor, 'auth', 'whoami');
    expect(whoami.stdout).toMatch(/^Username\s+ci:a$/m);
    expect(whoami.stdout).toMatch(/^Groups\s+\[system:authenticated registry\.mesh\.io:editor\]$/m);
  });

  itWithKubectl('sends no token to an http:// server, so a plain listener with authentication answers 401 (why TLS is the default)', async () => {
    const plain = await spawnService({ TLS: 'off', AUTH: 'on', DATABASE_URL: service.databaseUrl!, DATA_DIR: join(dir, 'plain') });
    await plain.waitUntilReady();
    const kubeconfig = join(dir, 'plain.kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml({ server: plain.url, token: admin }));
    const refused = await kubectl(kubeconfig, 'get', 'we', '-A');
    expect(refused.code).toBe(1);
    // kubectl's words for a 401: the token never went out.
    expect(refused.stderr).toContain('the server has asked for the client to provide credentials');
    // The same token, sent (as curl would), is let in: kubectl left it out.
    expect((await fetch(`${plain.url}${WE}`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    plain.child.kill('SIGTERM');
    await plain.exited;
  });

  itWithKubectl('holds a registration token to its own entries, and refuses a revoked token with 401', async () => {
    const created = await call('POST', '/apis/registry.mesh.io/v1alpha1/namespaces/a/registrationtokens', admin, { group: 'wg1' });
    const registrar = created.body.status.token as string;
    secrets.push(registrar.slice(10));
    const kubeconfig = join(dir, 'registrar.kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml({ server: service.url, token: registrar, caPem: ca, namespace: 'a' }));
    const entry = (name: string, by: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, annotations: { 'registry.mesh.io/registered-by': by } }, spec: { address: '10.0.0.8' } });
    expect((await call('POST', WE, admin, entry('reg-mine', registrar.slice(3, 9)))).status).toBe(201);
    expect((await call('POST', WE, admin, entry('reg-theirs', 'zzzzzz'))).status).toBe(201);
    const se = await kubectl(kubeconfig, 'get', 'se');
    expect(se.stderr.trim()).toBe('Error from server (Forbidden): serviceentries.networking.istio.io is forbidden: User "registrar:a/wg1" cannot list resource "serviceentries" in API group "networking.istio.io" in the namespace "a"');
    expect((await kubectl(kubeconfig, 'delete', 'we', 'reg-theirs')).stderr).toMatch(/^Error from server \(Forbidden\): workloadentries\.networking\.istio\.io "reg-theirs" is forbidden: .*: a registration token may only act on the entries it registered/);
    expect(await kubectl(kubeconfig, 'delete', 'we', 'reg-mine')).toMatchObject({ code: 0, stdout: 'workloadentry.networking.istio.io "reg-mine" deleted\n' });
    // Until WorkloadGroups are in discovery kubectl cannot map the type to its group, so ask as client-node would.
    const mayRegister = async (group: string) => (await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', registrar, {
      spec: { resourceAttributes: { namespace: 'a', verb: 'create', group: 'networking.istio.io', resource: 'workloadgroups', subresource: 'register', name: group } },
    })).body.status.allowed;
    expect([await mayRegister('wg1'), await mayRegister('wg2')]).toEqual([true, false]);
    expect((await call('DELETE', `/apis/registry.mesh.io/v1alpha1/namespaces/a/registrationtokens/${registrar.slice(3, 9)}`, admin)).status).toBe(200);
    const revoked = await kubectl(kubeconfig, 'get', 'we', 'reg-theirs');
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('works with client-node from a kubeconfig with the CA: lists, is refused as a viewer, and its access review agrees', async () => {
    const clientFor = (who: string) => {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigs[who]);
      return { objects: kc.makeApiClient(CustomObjectsApi), authz: kc.makeApiClient(AuthorizationV1Api) };
    };
    const at = { group: 'networking.istio.io', version: 'v1', namespace: 'a', plural: 'workloadentries' };
    const viewer = clientFor('viewer');
    expect(((await viewer.objects.listNamespacedCustomObject(at)) as { kind: string }).kind).toBe('WorkloadEntryList');
    const error = await viewer.objects.createNamespacedCustomObject({ ...at, body: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'js' }, spec: { address: '10.0.0.2' } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<string>).code).toBe(403);
    for (const [who, allowed] of [['viewer', false], ['editor', true]] as const) {
      const review = await clientFor(who).authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: 'a', verb: 'create', group: 'networking.istio.io', resource: 'workloadentries' } } } });
      expect([who, review.status?.allowed]).toEqual([who, allowed]);
    }
  });

  itWithPython('works with the Python client from a kubeconfig with the CA', async () => {
    const run = (who: string) => new Promise<Record<string, any>>((resolve, reject) => {
      execFile(PYTHON, [join(__dirname, 'python_auth.py'), kubeconfigs[who], 'a'], { env: { HOME: dir, PATH: '/usr/bin:/bin' }, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(String(stdout))));
    });
    const viewer = await run('viewer');
    expect(viewer.list.returned.kind).toBe('WorkloadEntryList');
    expect(viewer['can-i create'].returned.status.allowed).toBe(false);
    expect(viewer.create.raised).toMatchObject({ status: 403, reason: 'Forbidden', message: expect.stringMatching(/^workloadentries\.networking\.istio\.io is forbidden: User "dashboard" cannot create/) });
    const editor = await run('editor');
    expect(editor['can-i create'].returned.status.allowed).toBe(true);
    expect(editor.create.returned).toMatchObject({ kind: 'WorkloadEntry', metadata: { name: 'py-vm' } });
  });

  it('never shows a secret: not in the log, the metrics, an error or a list', async () => {
    const metrics = await call('GET', '/metrics', admin);
    const failures = await Promise.all([
      call('GET', WE, `${admin.slice(0, 10)}${'x'.repeat(43)}`), call('GET', `${WE}/nope`, admin), call('POST', WE, admin, { bad: true }),
      call('GET', '/apis/registry.mesh.io/v1alpha1/tokens', admin),
    ]);
    await new Promise((r) => setTimeout(r, 700));
    const seen = [service.output(), JSON.stringify(metrics.body ?? ''), JSON.stringify(failures)].join('\n');
    expect(service.output()).toContain(`"tokenId":"${admin.slice(3, 9)}"`);
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });
});
