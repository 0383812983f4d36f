import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../config/app-config';
import { ClusterTarget, RegistrySource } from './sync-config';

/**
 * The registry as client-node sees a cluster: from a kubeconfig (and its context), or from a URL, a
 * CA and a token. A token given apart (SYNC_REGISTRY_TOKEN, tokenFile) replaces the context user's.
 */
export function registryKubeConfig(source: RegistrySource, readFile: (path: string) => string): KubeConfig {
  const token = source.token ?? (source.tokenFile ? readSecret(source.tokenFile, 'registry.tokenFile', readFile) : undefined);
  const kc = new KubeConfig();
  if (source.kubeconfig) {
    load(kc, source.kubeconfig, source.context, 'registry');
    const cluster = kc.getCurrentCluster()!;
    const user = kc.getCurrentUser()!;
    const server = source.url ?? cluster.server;
    kc.loadFromOptions({
      clusters: [{ ...cluster, server, caFile: source.caFile ?? cluster.caFile, skipTLSVerify: cluster.skipTLSVerify || server.startsWith('http:') }],
      users: [token ? { name: user.name, token } : user],
      contexts: [{ name: 'registry', cluster: cluster.name, user: user.name }],
      currentContext: 'registry',
    });
    return kc;
  }
  const server = source.url!;
  kc.loadFromOptions({
    // client-node refuses a plain-HTTP server unless verification is "skipped"; there is nothing to verify.
    clusters: [{ name: 'registry', server, caFile: source.caFile, skipTLSVerify: server.startsWith('http:') }],
    users: [{ name: 'sync', token }],
    contexts: [{ name: 'registry', cluster: 'registry', user: 'sync' }],
    currentContext: 'registry',
  });
  return kc;
}

/** A cluster's own credentials: whatever its kubeconfig context holds, or the pod's service account. */
export function clusterKubeConfig(target: ClusterTarget): KubeConfig {
  const kc = new KubeConfig();
  if (target.inCluster) kc.loadFromCluster();
  else load(kc, target.kubeconfig!, target.context, `clusters ${target.name}`);
  return kc;
}

function load(kc: KubeConfig, path: string, context: string | undefined, what: string): void {
  try {
    kc.loadFromFile(path);
  } catch (error) {
    throw new ConfigError([`${what}: kubeconfig ${path}: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (context) {
    if (!kc.getContextObject(context)) throw new ConfigError([`${what}: kubeconfig ${path} has no context ${context}`]);
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new ConfigError([`${what}: kubeconfig ${path} names no current cluster`]);
}

function readSecret(path: string, what: string, readFile: (path: string) => string): string {
  try {
    return readFile(path).trim();
  } catch (error) {
    throw new ConfigError([`${what}: ${(error as Error).message.split('\n')[0]}`]);
  }
}
