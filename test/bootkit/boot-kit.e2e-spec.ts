import { chmod, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aWorkloadGroup, paths } from '../support/factories';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { idOf, registrationTokenFor, tokenFor } from '../security/tokens';
import { leaseRows } from '../leases/lease-app';
import { startTcpProxy } from '../support/tcp-proxy';
import { have, Kit, killKits, ProbeTarget, runKit, SCRIPT, SteppingClock, waitUntil } from './boot-kit';

const NS = 'a';
const GROUP = 'vms';
const missing = ['sh', 'curl'].filter((command) => !have(command));
const describeKit = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) console.warn(`boot kit e2e skipped: ${missing.join(' and ')} not installed (the kit is a POSIX sh + curl script)`);

const healthy = (entry: any) => entry?.status?.conditions?.find((c: any) => c.type === 'Healthy');

/**
 * The boot kit (deploy/vm/mesh-registry-vm.sh), run for real against the real server over HTTPS with a
 * registration token: it registers, stays alive with its health, re-registers when its entry goes,
 * deregisters on SIGTERM, and expires when killed outright. Leases of 3 s renewed every 1 s (the
 * group's annotations: two late heartbeats of slack on a busy machine); expiry after a SIGKILL is driven by jumping the server's clock.
 */
describeKit('boot kit: the real script against the real registry', () => {
  const clock = new SteppingClock();
  const probe = new ProbeTarget();
  let t: SecureTestApp;
  let dir: string;
  let token: string;
  let tokenFile: string;
  let caFile: string;
  const outputs: string[] = [];
  const secrets: string[] = [];

  const entry = async (name: string) => {
    const response = await t.as(t.adminToken).get(paths.workloadEntry(name, NS));
    return response.status === 200 ? response.body : undefined;
  };
  const kitEnv = (extra: Record<string, string> = {}) => ({
    MESH_ENV_FILE: '',
    MESH_REGISTRY_URL: t.url,
    MESH_NAMESPACE: NS,
    MESH_GROUP: GROUP,
    MESH_TOKEN_FILE: tokenFile,
    MESH_CA_FILE: caFile,
    MESH_PROBE_HTTP_PORT: String(probe.port),
    MESH_PROBE_HTTP_PATH: '/healthz',
    MESH_PROBE_PERIOD_SECONDS: '1',
    MESH_LOG_LEVEL: 'debug',
    MESH_REQUEST_TIMEOUT_SECONDS: '5',
    TMPDIR: dir,
    ...extra,
  });
  const start = (extra: Record<string, string> = {}, shell?: string[]) => {
    const kit = runKit(kitEnv(extra), shell);
    void kit.exited.then(() => outputs.push(kit.output()));
    return kit;
  };
  const untilEntry = (name: string, check: (e: any) => boolean, kit?: Kit, timeoutMs = 10_000) =>
    waitUntil(async () => check(await entry(name)), timeoutMs, () => `${name} never got there:\n${kit?.output() ?? ''}`);

  beforeAll(async () => {
    await probe.start();
    t = await startSecureTestApp({ clock }, undefined, {
      leases: { ...(await import('../../src/config/app-config')).loadConfig({}).leases, flushDelayMs: 0, outageGapSeconds: 3600 },
    });
    dir = await mkdtemp(join(tmpdir(), 'mesh-bootkit-'));
    const group = aWorkloadGroup(GROUP, { probe: { periodSeconds: 1, httpGet: { path: '/healthz', port: probe.port } } }, {
      annotations: { 'registry.mesh.io/lease-duration-seconds': '3', 'registry.mesh.io/renew-interval-seconds': '1', 'registry.mesh.io/deregister-after-seconds': '1' },
    });
    await t.as(t.adminToken).post(paths.workloadGroups(NS)).send(group).expect(201);
    token = await registrationTokenFor(t, NS, { group: GROUP });
    secrets.push(token);
    tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    caFile = join(dir, 'ca.crt');
    await writeFile(caFile, t.caPem);
  });
  afterEach(() => killKits());
  afterAll(async () => {
    await t?.close();
    await probe.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers on boot: the entry has the address the registry saw, istiod\'s name and annotations, and the probe\'s health', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    const registered = await entry('vms-127.0.0.1');
    expect(registered.spec).toMatchObject({ address: '127.0.0.1', serviceAccount: 'details-legacy', ports: { http: 8080 } });
    expect(registered.metadata.annotations).toMatchObject({
      'istio.io/autoRegistrationGroup': GROUP,
      'registry.mesh.io/registered-by': idOf(token),
      'proxy.istio.io/health-checks-enabled': 'true',
    });
    expect(registered.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'WorkloadGroup', name: GROUP, controller: true })]);
    // A registration token reads its own group: the probe is the group's, whatever the local config says.
    expect(kit.output()).toContain(`probe (workloadgroup a/vms): HTTP GET http://localhost:${probe.port}/healthz every 1s`);
    await kit.waitForOutput(/registered a\/vms-127\.0\.0\.1 \(created, address 127\.0\.0\.1\): lease 3s, heartbeat every 1s/);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('stays alive: renews every interval without writing anything visible, and reports the probe\'s health level by level', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    const before = await entry('vms-127.0.0.1');
    const renewals = new Set<string>();
    await waitUntil(async () => {
      const row = (await leaseRows(t.database)).find((r) => r.name === 'vms-127.0.0.1');
      if (row) renewals.add(row.renew_ms);
      return renewals.size >= 4;
    }, 8000, () => `the lease was renewed ${renewals.size} times:\n${kit.output()}`);
    // Three more renewals, several lease durations... and the entry itself untouched (no new resourceVersion).
    expect((await entry('vms-127.0.0.1')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    await probe.stop();
    try {
      // The probe that overlaps the stop may fail otherwise (curl: send failed, empty reply); the next ones are refused.
      await untilEntry('vms-127.0.0.1', (e) => /connection refused$/.test(healthy(e)?.message ?? ''), kit);
      expect(healthy(await entry('vms-127.0.0.1'))).toMatchObject({ status: 'False', reason: 'Reported', message: expect.stringMatching(/^HTTP GET http:\/\/localhost:\d+\/healthz: connection refused$/) });
    } finally {
      await probe.start();
    }
    probe.status = 503;
    await untilEntry('vms-127.0.0.1', (e) => /status 503$/.test(healthy(e)?.message ?? ''), kit);
    probe.status = 200;
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(healthy(await entry('vms-127.0.0.1')).message).toBeUndefined();
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM deregisters at once (entry and lease gone) and exits 0', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => e !== undefined, kit);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
    expect((await leaseRows(t.database)).find((r) => r.name === 'vms-127.0.0.1')).toBeUndefined();
    expect(kit.output()).toContain('deregistered a/vms-127.0.0.1');
  });

  it('SIGINT does the same', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => e !== undefined, kit);
    expect(await kit.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
  });

  it('a 404 on a heartbeat (the entry was deleted) makes it register again: a new entry, same name', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => e !== undefined, kit);
    const first = await entry('vms-127.0.0.1');
    await t.as(t.adminToken).delete(paths.workloadEntry('vms-127.0.0.1', NS)).expect(200);
    await untilEntry('vms-127.0.0.1', (e) => e !== undefined && e.metadata.uid !== first.metadata.uid, kit);
    expect(kit.output()).toContain('a/vms-127.0.0.1 is gone (404: deleted, or expired and removed): registering again');
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('SIGKILL leaves the entry to its lease: Healthy=False LeaseExpired just after the duration, deleted after the grace', async () => {
    const kit = start();
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(await kit.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // The last renewal, as the registry recorded it; from here the test holds the clock.
    const renewMs = Number((await leaseRows(t.database)).find((r) => r.name === 'vms-127.0.0.1')!.renew_ms);
    const reaperPass = () => new Promise((resolve) => setTimeout(resolve, 1500)); // it looks at least every second
    try {
      clock.set(renewMs + 3000); // now == renewTime + duration: not lapsed (now > deadline is)
      await reaperPass();
      expect(healthy(await entry('vms-127.0.0.1')).status).toBe('True');
      clock.set(renewMs + 3001);
      await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.reason === 'LeaseExpired', kit, 5000);
      expect(healthy(await entry('vms-127.0.0.1'))).toMatchObject({ status: 'False', message: expect.stringContaining(new Date(renewMs + 3000).toISOString()) });
      clock.set(renewMs + 4000); // within the deregister-after grace of 1 s: marked, not deleted
      await reaperPass();
      expect(await entry('vms-127.0.0.1')).toBeDefined();
      clock.set(renewMs + 4002);
      await untilEntry('vms-127.0.0.1', (e) => e === undefined, kit, 5000);
    } finally {
      clock.resume();
    }
  });

  it('restarted after a crash (systemd\'s Restart=always), it registers the same entry again: same uid, fresh lease', async () => {
    const first = start();
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', first);
    const before = await entry('vms-127.0.0.1');
    await first.stop('SIGKILL');
    const renewedBefore = Number((await leaseRows(t.database)).find((r) => r.name === 'vms-127.0.0.1')!.renew_ms);
    const second = start();
    await second.waitForOutput(/registered a\/vms-127\.0\.0\.1 \((unchanged|updated),/);
    expect((await entry('vms-127.0.0.1')).metadata.uid).toBe(before.metadata.uid);
    expect(Number((await leaseRows(t.database)).find((r) => r.name === 'vms-127.0.0.1')!.renew_ms)).toBeGreaterThan(renewedBefore);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
  });

  it('reads the group\'s probe when its token may (an editor\'s), and reports by it', async () => {
    const editor = await tokenFor(t, { subject: 'provisioner', role: 'editor', namespaces: [NS] });
    const editorFile = join(dir, 'editor.token');
    await writeFile(editorFile, editor, { mode: 0o600 });
    const kit = start({ MESH_TOKEN_FILE: editorFile, MESH_ADDRESS: '127.0.0.2', MESH_PROBE_HTTP_PORT: '1', MESH_PROBE_HTTP_PATH: '/nowhere' });
    await untilEntry('vms-127.0.0.2', (e) => healthy(e)?.status === 'True', kit);
    expect(kit.output()).toContain(`probe (workloadgroup a/vms): HTTP GET http://localhost:${probe.port}/healthz every 1s, timeout 1s, success/failure thresholds 1/1`);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.2')).toBeUndefined();
    secrets.push(editor);
  });

  it('a TCP probe (MESH_PROBE as JSON): a connection is healthy, a refused one is not', async () => {
    // MESH_PROBE_FROM_GROUP=false: the local probe settings, not the group's HTTP probe.
    const kit = start({ MESH_PROBE_FROM_GROUP: 'false', MESH_PROBE_HTTP_PORT: '', MESH_PROBE: JSON.stringify({ tcpSocket: { port: probe.port, host: '127.0.0.1' }, periodSeconds: 1, timeoutSeconds: 1 }) });
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(kit.output()).toContain(`probe (config): TCP connect 127.0.0.1:${probe.port} every 1s, timeout 1s`);
    await probe.stop();
    try {
      await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'False', kit);
      expect(healthy(await entry('vms-127.0.0.1')).message).toBe(`TCP connect 127.0.0.1:${probe.port}: connection refused`);
    } finally {
      await probe.start();
    }
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('an exec probe with thresholds of 2: one failure changes nothing, two make it unhealthy, two successes healthy again; a hung command times out', async () => {
    const flag = join(dir, 'ok');
    await writeFile(flag, '');
    const kit = start({
      MESH_PROBE_FROM_GROUP: 'false',
      MESH_PROBE_HTTP_PORT: '',
      MESH_PROBE_EXEC: `test -f ${flag} || { echo "no $(basename ${flag})"; exit 3; }; test ! -f ${flag}.hang || sleep 5`,
      MESH_PROBE_SUCCESS_THRESHOLD: '2', MESH_PROBE_FAILURE_THRESHOLD: '2', MESH_PROBE_TIMEOUT_SECONDS: '1',
    });
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    // Until two successes it is not healthy yet, and says so (istio-agent sends no healthy event before).
    expect(kit.output().indexOf('"message":"waiting for the first successful probe"')).toBeGreaterThan(-1);
    const failedAt = kit.output().length;
    await rm(flag);
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'False', kit);
    const failing = kit.output().slice(failedAt);
    expect(failing).toMatch(/probe failed \(1\/2\)[^]*"healthy":true[^]*probe failed \(2\/2\)[^]*probe: unhealthy/);
    expect(healthy(await entry('vms-127.0.0.1')).message).toBe('exec sh: exit 3: no ok');
    await writeFile(flag, '');
    await writeFile(`${flag}.hang`, '');
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.message === 'exec sh: timed out after 1s', kit);
    await rm(`${flag}.hang`);
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('as the unit runs it: settings from systemd, the token and CA as credentials, its work directory under RUNTIME_DIRECTORY', async () => {
    const unit = await readFile(join(__dirname, '../../deploy/vm/mesh-registry-vm.service'), 'utf8');
    // What systemd gives the process: Environment= lines, the EnvironmentFile=, $CREDENTIALS_DIRECTORY, $RUNTIME_DIRECTORY.
    const environment = Object.fromEntries(unit.split('\n').filter((l) => l.startsWith('Environment=')).map((l) => l.slice('Environment='.length).split('=')));
    expect(environment).toEqual({ MESH_ENV_FILE: '' });
    const credentials = await mkdtemp(join(dir, 'credentials-'));
    await writeFile(join(credentials, 'token'), token, { mode: 0o400 });
    await writeFile(join(credentials, 'ca.crt'), t.caPem, { mode: 0o400 });
    const runtime = await mkdtemp(join(dir, 'runtime-'));
    const kit = runKit({
      ...environment, MESH_REGISTRY_URL: t.url, MESH_NAMESPACE: NS, MESH_GROUP: GROUP, MESH_PROBE_HTTP_PORT: String(probe.port), MESH_PROBE_HTTP_PATH: '/healthz',
      CREDENTIALS_DIRECTORY: credentials, RUNTIME_DIRECTORY: runtime, MESH_LOG_LEVEL: 'debug',
    });
    void kit.exited.then(() => outputs.push(kit.output()));
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(await readdir(runtime)).toEqual([expect.stringMatching(/^mesh-registry-vm\./)]);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
    expect(await readdir(runtime)).toEqual([]);
  });

  it('refuses a token file others may read, and registers nothing', async () => {
    const loose = join(dir, 'loose.token');
    await writeFile(loose, token);
    await chmod(loose, 0o644);
    const kit = start({ MESH_TOKEN_FILE: loose });
    await kit.waitForOutput(/cannot register: token file .*loose\.token has mode -rw-r--r--: it must not be readable by others/);
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(kit.output()).toContain('stopping: not registered, nothing to deregister');
  });

  it('as a user that may not read the token file (the unit\'s DynamicUser without its credential): says so, sends nothing', async () => {
    if (process.getuid?.() !== 0 || !have('setpriv')) return console.warn('not root, or no setpriv: the unreadable-token run is skipped');
    const shared = await mkdtemp(join(tmpdir(), 'mesh-bootkit-nobody-'));
    try {
      await chmod(shared, 0o1777);
      await writeFile(join(shared, 'ca.crt'), t.caPem, { mode: 0o644 });
      await writeFile(join(shared, 'token'), token, { mode: 0o600 });
      // The script as installed (/usr/local/bin): readable by nobody even when the checkout is under a 0700 directory.
      const script = join(shared, 'mesh-registry-vm.sh');
      await copyFile(SCRIPT, script);
      await chmod(script, 0o755);
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'sh'];
      const kit = runKit(kitEnv({ TMPDIR: shared, MESH_CA_FILE: join(shared, 'ca.crt'), MESH_TOKEN_FILE: join(shared, 'token') }), asNobody, script);
      await kit.waitForOutput(/cannot register: token file .*token is not readable by (nobody|65534)/);
      expect(kit.output()).not.toContain('debug: POST');
      expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      // Where it cannot even look (a directory of mode 0700), it says that instead.
      const closed = runKit(kitEnv({ TMPDIR: shared, MESH_CA_FILE: join(shared, 'ca.crt') }), asNobody, script);
      await closed.waitForOutput(/cannot register: token file .*token is in a directory (nobody|65534) may not enter/);
      expect(await closed.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('backs off with jitter while the registry is unreachable, and still stops at once on SIGTERM', async () => {
    const kit = start({ MESH_REGISTRY_URL: 'https://127.0.0.1:1', MESH_BACKOFF_MAX_SECONDS: '4' });
    await kit.waitForOutput(/registering again in [12]s[\s\S]*registering again in [1-2]s[\s\S]*registering again in [2-4]s/, 15_000);
    expect(kit.output()).toContain('cannot reach the registry to register');
    const stopped = Date.now();
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopped).toBeLessThan(1500);
  });

  it('rides out the registry going away: registers with the health of the moment once it is back, and heartbeats on the same entry after another outage', async () => {
    const proxy = await startTcpProxy(t.url);
    try {
      await proxy.cut();
      await probe.stop();
      const kit = start({ MESH_REGISTRY_URL: proxy.url, MESH_BACKOFF_MAX_SECONDS: '2' });
      await kit.waitForOutput(/cannot reach the registry to register[^]*cannot reach the registry to register/);
      expect(kit.output()).toContain('"healthy":false,"message":"not yet healthy: HTTP GET');
      await probe.start(); // the VM's application comes up while the registry is still away
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await proxy.restore();
      await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
      // The entry exists before the answer reaches the script: wait for the script to have it.
      await kit.waitForOutput(/registered a\/vms-127\.0\.0\.1/);
      const registrations = kit.output().match(/debug: POST \S+\/register .*/g)!;
      expect(registrations.at(-1)).toMatch(/\{"healthy":true\}$/);
      const before = await entry('vms-127.0.0.1');

      await proxy.cut();
      await kit.waitForOutput(/heartbeat failed: cannot reach the registry/);
      const cutAt = kit.output().length;
      await proxy.restore();
      await waitUntil(() => /debug: -> 200/.test(kit.output().slice(cutAt)), 5000, () => `no renewal after the outage:\n${kit.output()}`);
      expect((await entry('vms-127.0.0.1')).metadata.uid).toBe(before.metadata.uid);
      expect(kit.output().match(/registered a\/vms-127\.0\.0\.1/g)).toHaveLength(1);
      expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await entry('vms-127.0.0.1')).toBeUndefined();
    } finally {
      await proxy.close();
      if (!probe.port) await probe.start();
    }
  });

  it('runs under busybox sh too', async () => {
    if (!have('busybox')) return console.warn('busybox not installed: the busybox sh run is skipped');
    const kit = start({}, ['busybox', 'sh']);
    await untilEntry('vms-127.0.0.1', (e) => healthy(e)?.status === 'True', kit);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await entry('vms-127.0.0.1')).toBeUndefined();
  });

  it('never prints the token, not even traced with sh -x', async () => {
    const kit = start({}, ['sh', '-x']);
    await untilEntry('vms-127.0.0.1', (e) => e !== undefined, kit);
    await kit.waitForOutput(/\+ .*curl/);
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await new Promise((resolve) => setImmediate(resolve));
    const everything = outputs.join('\n');
    expect(everything).toContain('registered a/vms-127.0.0.1');
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(everything).not.toContain(secret.split('.')[1]);
    // What the trace shows where the token is used: sed reading the file, not its content.
    expect(kit.output()).toMatch(/\+ sed -n .*Authorization: Bearer .* \S*token/);
  });
});

/** A heartbeat over the token's budget gets 429 with Retry-After: the kit waits that long, not its interval. */
describeKit('boot kit: 429 and Retry-After', () => {
  let t: SecureTestApp;
  let dir: string;
  afterEach(() => killKits());
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('waits as long as Retry-After says, then renews again; the entry lives on', async () => {
    const base = (await import('../../src/config/app-config')).loadConfig({});
    // 0.25 heartbeats/s, bursts of 1: after one heartbeat the next waits ceil(0.75 / 0.25) = 3 s.
    t = await startSecureTestApp({ rateLimits: { ...base.security.rateLimits, heartbeatsPerSecond: 0.25 } });
    dir = await mkdtemp(join(tmpdir(), 'mesh-bootkit-'));
    const group = aWorkloadGroup(GROUP, {}, { annotations: { 'registry.mesh.io/lease-duration-seconds': '20', 'registry.mesh.io/renew-interval-seconds': '1' } });
    delete (group.spec as Record<string, unknown>).probe;
    await t.as(t.adminToken).post(paths.workloadGroups(NS)).send(group).expect(201);
    const token = await registrationTokenFor(t, NS, { group: GROUP });
    await writeFile(join(dir, 'token'), token, { mode: 0o600 });
    await writeFile(join(dir, 'ca.crt'), t.caPem);
    // The env file, as a VM has it; the environment still wins over it (MESH_LOG_LEVEL).
    await writeFile(join(dir, 'vm.env'), [
      '# written by the test', `MESH_REGISTRY_URL=${t.url}`, `MESH_NAMESPACE="${NS}"`, `MESH_GROUP='${GROUP}'`,
      `MESH_TOKEN_FILE=${join(dir, 'token')}`, `MESH_CA_FILE=${join(dir, 'ca.crt')}`, 'MESH_LOG_LEVEL=info', 'NOT_MINE=ignored', '',
    ].join('\n'), { mode: 0o644 });
    const kit = runKit({ MESH_ENV_FILE: join(dir, 'vm.env'), MESH_LOG_LEVEL: 'debug', TMPDIR: dir });
    await kit.waitForOutput(/heartbeat not accepted \(429\): Too many requests[^\n]*\n[^\n]*heartbeat again in 3s\n/, 10_000);
    expect(kit.output()).toContain('no probe configured: this VM reports itself healthy while it runs');
    const after429 = kit.output().length;
    await waitUntil(() => /-> 200/.test(kit.output().slice(after429)), 6000, () => `no renewal after the 429:\n${kit.output()}`);
    const entry = await t.as(t.adminToken).get(paths.workloadEntry('vms-127.0.0.1', NS)).expect(200);
    expect(healthy(entry.body)).toMatchObject({ status: 'True' });
    expect(await kit.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(kit.output()).not.toContain(token.split('.')[1]);
  });
});
