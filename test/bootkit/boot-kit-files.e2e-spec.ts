import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { have, SCRIPT } from './boot-kit';

const VM = join(__dirname, '../../deploy/vm');
const GENERATOR = join(VM, 'make-cloud-init.sh');
const UNIT = join(VM, 'mesh-registry-vm.service');
const PLACEHOLDER_TOKEN = 'REPLACE-WITH-A-REGISTRATION-TOKEN';

/** Runs a checker if it is installed; says so when it is not (the CI image may lack it). */
function check(tool: string, args: string[]): { ran: boolean; status: number | null; output: string } {
  if (!have(tool)) {
    console.warn(`${tool} is not installed: that check of the boot kit is skipped`);
    return { ran: false, status: 0, output: '' };
  }
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  return { ran: true, status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The boot kit's files as shipped: POSIX sh, a unit systemd accepts, a cloud-config cloud-init accepts. */
describe('boot kit files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-bootkit-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([['sh', ['-n']], ['dash', ['-n']], ['busybox', ['sh', '-n']], ['shellcheck', ['-s', 'sh']], ['shellcheck', ['-s', 'dash']]])('%s %s accepts both scripts', (tool, args) => {
    for (const file of [SCRIPT, GENERATOR]) {
      const result = check(tool, [...args, file]);
      expect(`${result.status} ${result.output}`).toBe('0 ');
    }
  });

  const awks = ['awk', 'mawk', 'gawk', 'busybox'].filter(have);
  (awks.length > 0 ? describe.each(awks) : describe.skip.each(['awk']))('its JSON reader under %s', (awk) => {
    const run = async (json: string) => {
      const program = (await readFile(SCRIPT, 'utf8')).match(/\nJSON_AWK='\n([^']*)\n'\n/)![1];
      return spawnSync(awk === 'busybox' ? 'busybox' : awk, [...(awk === 'busybox' ? ['awk'] : []), program], { input: json, encoding: 'utf8' });
    };
    /** What it should print: one `path<TAB>value` line a scalar, strings unescaped, control characters as spaces. */
    const flatten = (value: unknown, path = ''): string[] => {
      const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
      if (Array.isArray(value)) return value.flatMap((v, i) => flatten(v, at(i)));
      if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => flatten(v, at(k)));
      const text = typeof value === 'string' ? value.replace(/[\u0000-\u001f]/g, ' ') : String(value);
      return [`${path}\t${text}`];
    };

    it.each([
      ['a registration answer', { kind: 'Registration', workloadEntry: { metadata: { name: 'vms-10.0.0.5', annotations: { 'istio.io/autoRegistrationGroup': 'vms' } } }, lease: { renewIntervalSeconds: 10, heartbeatPath: '/apis/x/heartbeat' } }],
      ['escapes', { q: 'say "hi"', b: 'back\\slash', s: 'a/b', ctl: 'line\nnext\ttab\r', e: '', u: 'café ✓' }],
      ['nesting', { a: [[1, 2], [], {}, [{ b: [true, false, null] }]], c: { d: { e: -3 } } }],
      ['a probe', { spec: { probe: { httpGet: { port: 8080, httpHeaders: [{ name: 'X-A', value: 'b, c' }] }, exec: { command: ['sh', '-c', 'test -f "/a b"'] } } } }],
    ])('reads %s as JSON.parse does', async (_, doc) => {
      const result = await run(JSON.stringify(doc, null, 1));
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n').filter(Boolean)).toEqual(flatten(doc));
    });

    it('decodes \\u escapes of ASCII, and refuses what is not JSON', async () => {
      expect((await run('{"a":"\\u0041\\u007a\\u00e9"}')).stdout).toBe('a\tAz?\n');
      for (const bad of ['{"a":', '{"a" 1}', '[1,]x', '{"a":tru}', '"open']) expect((await run(bad)).status).not.toBe(0);
    });
  });

  it('the script reads only variables that vm.env.example and the README document', async () => {
    const script = await readFile(SCRIPT, 'utf8');
    const example = await readFile(join(VM, 'vm.env.example'), 'utf8');
    const readme = await readFile(join(__dirname, '../../README.md'), 'utf8');
    const read = [...new Set(script.match(/\bMESH_[A-Z_]+[A-Z]\b/g))].filter((name) => name !== 'MESH_ENV_FILE').sort();
    expect(read.length).toBeGreaterThan(25);
    expect(read.filter((name) => !example.includes(name))).toEqual([]);
    expect([...read, 'MESH_ENV_FILE'].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('the unit: simple, always restarted, SIGTERM with a stop timeout, after the network, hardened; systemd-analyze verify finds nothing', async () => {
    const unit = await readFile(UNIT, 'utf8');
    const keys = Object.fromEntries(unit.split('\n').filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(keys).toMatchObject({
      Type: 'simple', Restart: 'always', KillSignal: 'SIGTERM', TimeoutStopSec: '15', After: 'network-online.target', Wants: 'network-online.target',
      EnvironmentFile: '/etc/mesh-registry/vm.env', LoadCredential: 'token:/etc/mesh-registry/token', ExecStart: '/usr/local/bin/mesh-registry-vm',
      DynamicUser: 'yes', NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', WantedBy: 'multi-user.target',
    });
    // verify wants ExecStart to exist: the same unit, pointing at the script in the repo.
    const copy = join(dir, 'mesh-registry-vm.service');
    await writeFile(copy, unit.replace('ExecStart=/usr/local/bin/mesh-registry-vm', `ExecStart=${SCRIPT}`));
    const result = check('systemd-analyze', ['verify', copy]);
    expect(`${result.status} ${result.output}`).toBe('0 ');
  });

  it('cloud-init.yaml is what make-cloud-init.sh makes of vm.env.example: the script, the unit, the env file and the token, then enable --now', async () => {
    const token = join(dir, 'token');
    await writeFile(token, `${PLACEHOLDER_TOKEN}\n`);
    const generated = execFileSync('sh', [GENERATOR, join(VM, 'vm.env.example'), token], { encoding: 'utf8' });
    expect(generated).toBe(await readFile(join(VM, 'cloud-init.yaml'), 'utf8'));
    expect(generated.split('\n')[0]).toBe('#cloud-config');
    const config = parse(generated);
    const files = Object.fromEntries(config.write_files.map((f: any) => [f.path, f]));
    expect(Object.keys(files)).toEqual(['/usr/local/bin/mesh-registry-vm', '/etc/systemd/system/mesh-registry-vm.service', '/etc/mesh-registry/vm.env', '/etc/mesh-registry/token']);
    expect(files['/usr/local/bin/mesh-registry-vm']).toMatchObject({ permissions: '0755', owner: 'root:root', content: await readFile(SCRIPT, 'utf8') });
    expect(files['/etc/systemd/system/mesh-registry-vm.service']).toMatchObject({ permissions: '0644', content: await readFile(UNIT, 'utf8') });
    expect(files['/etc/mesh-registry/vm.env'].content).toBe(await readFile(join(VM, 'vm.env.example'), 'utf8'));
    expect(files['/etc/mesh-registry/token']).toMatchObject({ permissions: '0600', content: `${PLACEHOLDER_TOKEN}\n` });
    expect(config.runcmd).toEqual([['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', '--no-block', 'mesh-registry-vm.service']]);

    const withCa = join(dir, 'with-ca.yaml');
    await writeFile(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await writeFile(withCa, execFileSync('sh', [GENERATOR, join(VM, 'vm.env.example'), token, join(dir, 'ca.crt')], { encoding: 'utf8' }));
    expect(parse(await readFile(withCa, 'utf8')).write_files.at(-1)).toMatchObject({ path: '/etc/mesh-registry/ca.crt', permissions: '0644' });
    for (const file of [join(VM, 'cloud-init.yaml'), withCa]) {
      const result = check('cloud-init', ['schema', '-c', file]);
      if (result.ran) expect(result.output).toContain('Valid cloud-config');
      expect(result.status).toBe(0);
    }
  });
});
