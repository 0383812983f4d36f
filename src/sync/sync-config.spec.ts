import { ConfigError } from '../config/app-config';
import { loadSyncConfig } from './sync-config';

const files: Record<string, string> = {};
const read = (path: string) => {
  if (!(path in files)) throw new Error(`ENOENT: ${path}`);
  return files[path];
};
const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadSyncConfig(env, read);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadSyncConfig', () => {
  it('reads a YAML file, with defaults for what it leaves out', () => {
    files['/etc/sync.yaml'] = [
      'registry: { url: "https://registry.example:3000", tokenFile: /run/token, caFile: /run/ca.crt }',
      'clusters:',
      '- name: east',
      '  kubeconfig: /etc/east.kubeconfig',
      '  context: admin@east',
      '  namespaces: [bookinfo, payments]',
      '  labelSelector: "mesh.io/sync=true"',
      '  namespaceMapping: { bookinfo: bookinfo-vms }',
      '- { name: west, kubeconfig: /etc/west.kubeconfig, namespaces: [payments], writesPerSecond: 5 }',
    ].join('\n');
    const sut = loadSyncConfig({ SYNC_CONFIG: '/etc/sync.yaml' }, read);
    expect(sut.registry).toEqual({ url: 'https://registry.example:3000', tokenFile: '/run/token', caFile: '/run/ca.crt', name: 'registry.example:3000', namespaces: undefined, kubeconfig: undefined, context: undefined, token: undefined });
    expect(sut.clusters[0]).toEqual({ name: 'east', kubeconfig: '/etc/east.kubeconfig', context: 'admin@east', inCluster: false, namespaces: ['bookinfo', 'payments'], labelSelector: 'mesh.io/sync=true', namespaceMapping: { bookinfo: 'bookinfo-vms' }, writesPerSecond: 20, concurrency: 4 });
    expect(sut.clusters[1].writesPerSecond).toBe(5);
    files['/etc/scoped.yaml'] = files['/etc/sync.yaml'].replace('caFile: /run/ca.crt }', 'caFile: /run/ca.crt, namespaces: [bookinfo] }');
    expect(loadSyncConfig({ SYNC_CONFIG: '/etc/scoped.yaml' }, read).registry.namespaces).toEqual(['bookinfo']);
    expect(sut).toMatchObject({ kinds: ['WorkloadEntry', 'ServiceEntry', 'WorkloadGroup'], port: 9464, host: '0.0.0.0', resyncSeconds: 300, logLevel: 'info' });
  });

  it('takes everything from the environment too, the environment winning over the file', () => {
    files['/etc/json.json'] = JSON.stringify({ registry: { url: 'https://a:1' }, clusters: [{ name: 'x', kubeconfig: '/k' }], port: 1 });
    const sut = loadSyncConfig({
      SYNC_CONFIG: '/etc/json.json', SYNC_REGISTRY_URL: 'https://b:2', SYNC_REGISTRY_TOKEN: 'mr_abc.secret', SYNC_REGISTRY_NAME: 'prod',
      SYNC_CLUSTERS: 'east=/etc/east#ctx,west=/etc/west', SYNC_PORT: '8080', SYNC_KINDS: 'WorkloadEntry',
    }, read);
    expect(sut.registry).toMatchObject({ url: 'https://b:2', token: 'mr_abc.secret', name: 'prod', namespaces: undefined });
    expect(sut.clusters.map((c) => [c.name, c.kubeconfig, c.context])).toEqual([['east', '/etc/east', 'ctx'], ['west', '/etc/west', undefined]]);
    expect(sut).toMatchObject({ port: 8080, kinds: ['WorkloadEntry'] });
    files['/etc/file-token.yaml'] = 'registry: { url: "https://a:1", tokenFile: /run/token }\nclusters: [{ name: x, kubeconfig: /k }]';
    expect(loadSyncConfig({ SYNC_CONFIG: '/etc/file-token.yaml', SYNC_REGISTRY_TOKEN: 't' }, read).registry).toMatchObject({ token: 't', tokenFile: undefined });
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['no registry', { SYNC_CLUSTERS: 'a=/k' }, /^registry: needs url/],
    ['a registry URL that is not one', { SYNC_REGISTRY_URL: 'registry:3000', SYNC_CLUSTERS: 'a=/k' }, /^registry.url: must be an http/],
    ['no cluster', { SYNC_REGISTRY_URL: 'https://r' }, /^clusters: at least one/],
    ['a cluster without kubeconfig', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'a=' }, /^clusters\[0\]: needs kubeconfig/],
    ['a cluster name that is no DNS label', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'East_1=/k' }, /^clusters\[0\].name: must be a DNS label/],
    ['two clusters of one name', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'a=/k,a=/j' }, /^clusters: the name a is used twice/],
    ['an unknown kind', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'a=/k', SYNC_KINDS: 'Gateway' }, /^kinds: Gateway is not a kind/],
    ['a bad port', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'a=/k', SYNC_PORT: '70000' }, /^port: must be an integer/],
    ['token and tokenFile', { SYNC_REGISTRY_URL: 'https://r', SYNC_CLUSTERS: 'a=/k', SYNC_REGISTRY_TOKEN: 't', SYNC_REGISTRY_TOKEN_FILE: '/t' }, /exclusive/],
  ])('%s is refused, naming the field', (_what, env, message) => {
    expect(problems(env)).toEqual([expect.stringMatching(message)]);
  });

  it.each<[string, string, RegExp]>([
    ['a bad label selector', 'labelSelector: "app in ("', /^clusters\[0\].labelSelector: /],
    ['two namespaces mapped onto one', 'namespaces: [a, b]\n  namespaceMapping: { a: c, b: c }', /a and b both land in c/],
    ['a mapped namespace onto a mirrored one', 'namespaces: [a, b]\n  namespaceMapping: { a: b }', /land in b/],
    ['a mapping without a namespace list', 'namespaceMapping: { a: b }', /needs a namespaces list/],
  ])('%s in a cluster is refused', (_what, yaml, message) => {
    files['/c.yaml'] = `registry: { url: "https://r" }\nclusters:\n- name: x\n  kubeconfig: /k\n  ${yaml}\n`;
    expect(problems({ SYNC_CONFIG: '/c.yaml' })).toEqual([expect.stringMatching(message)]);
  });

  it('says which file could not be read', () => {
    expect(problems({ SYNC_CONFIG: '/missing.yaml' })).toEqual(['SYNC_CONFIG /missing.yaml: ENOENT: /missing.yaml']);
  });
});
