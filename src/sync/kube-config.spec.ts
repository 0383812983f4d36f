import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config';
import { clusterKubeConfig, registryKubeConfig } from './kube-config';
import { ClusterTarget, RegistrySource } from './sync-config';

const dir = mkdtempSync(join(tmpdir(), 'sync-kc-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, [
  'apiVersion: v1', 'kind: Config',
  'clusters: [{ name: east, cluster: { server: "https://east:6443", certificate-authority: /etc/east-ca.crt } }, { name: west, cluster: { server: "https://west:6443" } }]',
  'users: [{ name: admin, user: { token: kube-token } }, { name: sync, user: { client-certificate: /c.crt, client-key: /c.key } }]',
  'contexts: [{ name: admin@east, context: { cluster: east, user: admin } }, { name: sync@west, context: { cluster: west, user: sync } }]',
  'current-context: admin@east', '',
].join('\n'));
writeFileSync(join(dir, 'token'), 'mr_abc123.secret\n');
const source = (over: Partial<RegistrySource>): RegistrySource => ({ name: 'r', ...over });
const read = (path: string) => readFileSync(path, 'utf8');

describe('registryKubeConfig', () => {
  it('from a URL, a CA and a token file (trimmed)', () => {
    const sut = registryKubeConfig(source({ url: 'https://registry:3000', caFile: '/ca.crt', tokenFile: join(dir, 'token') }), read);
    expect(sut.getCurrentCluster()).toMatchObject({ server: 'https://registry:3000', caFile: '/ca.crt', skipTLSVerify: false });
    expect(sut.getCurrentUser()).toMatchObject({ token: 'mr_abc123.secret' });
  });

  it('a plain-HTTP registry is not verified (there is nothing to verify), which client-node needs to talk to it', () => {
    expect(registryKubeConfig(source({ url: 'http://127.0.0.1:3000', token: 't' }), read).getCurrentCluster()).toMatchObject({ skipTLSVerify: true });
  });

  it('from a kubeconfig context, its token replaced by the one given apart and its server by the URL', () => {
    const sut = registryKubeConfig(source({ kubeconfig, context: 'admin@east', token: 'mr_abc123.other', url: 'https://registry.internal:3000' }), read);
    expect(sut.getCurrentCluster()).toMatchObject({ server: 'https://registry.internal:3000', caFile: '/etc/east-ca.crt' });
    expect(sut.getCurrentUser()).toMatchObject({ token: 'mr_abc123.other' });
  });

  it('names a token file it cannot read', () => {
    expect(() => registryKubeConfig(source({ url: 'https://r', tokenFile: '/nope' }), read)).toThrow(ConfigError);
  });
});

describe('clusterKubeConfig', () => {
  const target = (over: Partial<ClusterTarget>): ClusterTarget => ({ name: 'x', inCluster: false, labelSelector: '', namespaceMapping: {}, writesPerSecond: 1, concurrency: 1, ...over });

  it('uses the context named, with whatever credentials it holds', () => {
    const sut = clusterKubeConfig(target({ kubeconfig, context: 'sync@west' }));
    expect(sut.getCurrentCluster()?.server).toBe('https://west:6443');
    expect(sut.getCurrentUser()).toMatchObject({ certFile: '/c.crt', keyFile: '/c.key' });
  });

  it.each([
    [{ kubeconfig, context: 'nobody' }, /clusters x: kubeconfig .* has no context nobody/],
    [{ kubeconfig: join(dir, 'missing') }, /clusters x: kubeconfig .*missing: ENOENT/],
  ])('refuses %j, naming the cluster', (over, message) => {
    expect(() => clusterKubeConfig(target(over))).toThrow(message);
  });
});
