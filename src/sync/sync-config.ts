import { parse } from 'yaml';
import { ConfigError, LOG_LEVELS, LogLevel } from '../config/app-config';
import { parseLabelSelector } from '../resources/label-selector';
import { DEFAULT_SYNC_KINDS, syncKind } from './sync-kinds';

/** Where the registry is and how to prove who the sync is (a viewer token is enough). */
export interface RegistrySource {
  /** `https://registry:3000`; unset: the server of `kubeconfig`'s context. */
  url?: string;
  kubeconfig?: string;
  context?: string;
  /** The bearer token itself (SYNC_REGISTRY_TOKEN); never logged. */
  token?: string;
  tokenFile?: string;
  caFile?: string;
  /** Written into the origin annotation of every object the sync creates, so two registries never claim each other's. */
  name: string;
  /**
   * Namespaces to read, one watch per kind and namespace (for a token limited to them, or to hold less);
   * unset: one watch per kind over every namespace.
   */
  namespaces?: string[];
}

export interface ClusterTarget {
  name: string;
  /** A kubeconfig file (token, client certificate, exec plugin: whatever client-node reads); unset with inCluster. */
  kubeconfig?: string;
  context?: string;
  /** The service account of the pod the sync runs in. */
  inCluster: boolean;
  /** Source namespaces to mirror; unset: every namespace. */
  namespaces?: string[];
  /** Only source objects whose metadata.labels match (Kubernetes label selector syntax). */
  labelSelector: string;
  /** Source namespace → namespace in this cluster; unmapped namespaces keep their name. */
  namespaceMapping: Record<string, string>;
  writesPerSecond: number;
  /** Objects worked on at once (GETs and writes in flight). */
  concurrency: number;
}

export interface SyncConfig {
  registry: RegistrySource;
  clusters: ClusterTarget[];
  kinds: string[];
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Every this often each cluster is listed and diffed in full, catching hand edits and deletes of managed objects. */
  resyncSeconds: number;
}

type Raw = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The sync's configuration: the file named by SYNC_CONFIG (YAML or JSON), then the environment on top
 * (SYNC_REGISTRY_*, SYNC_CLUSTERS, SYNC_PORT, ...). Every problem is reported at once, naming its field.
 */
export function loadSyncConfig(env: NodeJS.ProcessEnv, readFile: (path: string) => string): SyncConfig {
  const problems: string[] = [];
  let file: Raw = {};
  if (env.SYNC_CONFIG) {
    try {
      const parsed: unknown = parse(readFile(env.SYNC_CONFIG));
      if (parsed !== null && parsed !== undefined && !isObject(parsed)) problems.push(`SYNC_CONFIG ${env.SYNC_CONFIG}: must hold a mapping`);
      else file = (parsed as Raw) ?? {};
    } catch (error) {
      throw new ConfigError([`SYNC_CONFIG ${env.SYNC_CONFIG}: ${(error as Error).message.split('\n')[0]}`]);
    }
  }
  const registry = readRegistry({ ...(isObject(file.registry) ? file.registry : {}) }, env, problems);
  const clusters = readClusters(file.clusters, env, problems);
  const kinds = readKinds(env.SYNC_KINDS ? env.SYNC_KINDS.split(',').map((k) => k.trim()) : file.kinds, problems);
  const port = int(env.SYNC_PORT ?? file.port, 'port', 9464, 0, 65535, problems);
  const host = str(env.SYNC_HOST ?? file.host, 'host', problems) ?? '0.0.0.0';
  const resyncSeconds = int(env.SYNC_RESYNC_SECONDS ?? file.resyncSeconds, 'resyncSeconds', 300, 5, 86_400, problems);
  const logLevel = (env.LOG_LEVEL ?? file.logLevel ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`logLevel: must be one of ${LOG_LEVELS.join(', ')}`);
  if (problems.length) throw new ConfigError(problems);
  return { registry, clusters, kinds, port, host, logLevel, resyncSeconds };
}

function readRegistry(raw: Raw, env: NodeJS.ProcessEnv, problems: string[]): RegistrySource {
  const pick = (key: string, envName: string) => str(env[envName] ?? raw[key], `registry.${key}`, problems);
  const url = pick('url', 'SYNC_REGISTRY_URL');
  const kubeconfig = pick('kubeconfig', 'SYNC_REGISTRY_KUBECONFIG');
  if (!url && !kubeconfig) problems.push('registry: needs url (SYNC_REGISTRY_URL) or kubeconfig (SYNC_REGISTRY_KUBECONFIG)');
  if (url && !/^https?:\/\/[^/]+/.test(url)) problems.push(`registry.url: must be an http(s) URL, not ${JSON.stringify(url)}`);
  // Either variable overrides both keys of the file: a token from the environment replaces a file's tokenFile.
  const fromEnv = env.SYNC_REGISTRY_TOKEN || env.SYNC_REGISTRY_TOKEN_FILE;
  const token = str(fromEnv ? env.SYNC_REGISTRY_TOKEN : raw.token, 'registry.token', problems);
  const tokenFile = str(fromEnv ? env.SYNC_REGISTRY_TOKEN_FILE : raw.tokenFile, 'registry.tokenFile', problems);
  if (token && tokenFile) problems.push('registry: token and tokenFile are exclusive');
  const name = pick('name', 'SYNC_REGISTRY_NAME') ?? (url ? new URL(url).host : undefined) ?? 'mesh-registry';
  const namespaces = raw.namespaces === undefined ? undefined : strings(raw.namespaces, 'registry.namespaces', problems);
  return { url, kubeconfig, context: pick('context', 'SYNC_REGISTRY_CONTEXT'), token, tokenFile, caFile: pick('caFile', 'SYNC_REGISTRY_CA_FILE'), name, namespaces };
}

/** `SYNC_CLUSTERS=east=/etc/east.kubeconfig#ctx,west=/etc/west.kubeconfig`: every namespace, no selector. */
function clustersFromEnv(text: string): Raw[] {
  return text.split(',').filter(Boolean).map((item) => {
    const [name, rest = ''] = item.split('=', 2);
    const [kubeconfig, context] = rest.split('#', 2);
    return { name: name.trim(), kubeconfig: kubeconfig.trim() || undefined, context: context?.trim() || undefined };
  });
}

function readClusters(raw: unknown, env: NodeJS.ProcessEnv, problems: string[]): ClusterTarget[] {
  const list = env.SYNC_CLUSTERS ? clustersFromEnv(env.SYNC_CLUSTERS) : raw;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('clusters: at least one cluster is needed (a list in SYNC_CONFIG, or SYNC_CLUSTERS=name=kubeconfig#context,...)');
    return [];
  }
  const clusters = list.map((item, i) => readCluster(isObject(item) ? item : {}, `clusters[${i}]`, problems));
  const names = clusters.map((c) => c.name);
  names.filter((n, i) => names.indexOf(n) !== i).forEach((n) => problems.push(`clusters: the name ${n} is used twice`));
  return clusters;
}

function readCluster(raw: Raw, at: string, problems: string[]): ClusterTarget {
  const name = str(raw.name, `${at}.name`, problems) ?? '';
  if (!DNS_LABEL.test(name)) problems.push(`${at}.name: must be a DNS label (it names the cluster in metrics and logs)`);
  const kubeconfig = str(raw.kubeconfig, `${at}.kubeconfig`, problems);
  const inCluster = raw.inCluster === true;
  if (!kubeconfig && !inCluster) problems.push(`${at}: needs kubeconfig (or inCluster: true)`);
  const labelSelector = str(raw.labelSelector, `${at}.labelSelector`, problems) ?? '';
  try {
    parseLabelSelector(labelSelector);
  } catch (error) {
    problems.push(`${at}.labelSelector: ${(error as Error).message}`);
  }
  const namespaces = raw.namespaces === undefined ? undefined : strings(raw.namespaces, `${at}.namespaces`, problems);
  const namespaceMapping = readMapping(raw.namespaceMapping, `${at}.namespaceMapping`, namespaces, problems);
  return {
    name, kubeconfig, context: str(raw.context, `${at}.context`, problems), inCluster, namespaces, labelSelector, namespaceMapping,
    writesPerSecond: int(raw.writesPerSecond, `${at}.writesPerSecond`, 20, 1, 10_000, problems),
    concurrency: int(raw.concurrency, `${at}.concurrency`, 4, 1, 64, problems),
  };
}

/**
 * The mapping must be one-to-one over the namespaces mirrored: two source namespaces landing in one
 * target namespace could hold the same name, and the sync would flip the object between them.
 */
function readMapping(raw: unknown, at: string, namespaces: string[] | undefined, problems: string[]): Record<string, string> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push(`${at}: must map source namespaces to target namespaces`);
    return {};
  }
  const mapping: Record<string, string> = {};
  for (const [from, to] of Object.entries(raw)) {
    if (typeof to !== 'string' || !DNS_LABEL.test(to) || !DNS_LABEL.test(from)) problems.push(`${at}.${from}: both namespaces must be DNS labels`);
    else mapping[from] = to;
  }
  const sources = namespaces ?? Object.keys(mapping);
  const images = sources.map((ns) => mapping[ns] ?? ns);
  images.forEach((image, i) => {
    if (images.indexOf(image) !== i) problems.push(`${at}: ${sources[images.indexOf(image)]} and ${sources[i]} both land in ${image}`);
  });
  // Without a namespace list, any unmapped namespace keeps its name and could land on a mapped target.
  if (!namespaces) Object.entries(mapping).forEach(([from, to]) => {
    if (!Object.hasOwn(mapping, to) && to !== from) problems.push(`${at}.${from}: mapping into ${to} needs a namespaces list (otherwise ${to} itself would land there too)`);
  });
  return mapping;
}

function readKinds(raw: unknown, problems: string[]): string[] {
  if (raw === undefined) return [...DEFAULT_SYNC_KINDS];
  const kinds = strings(raw, 'kinds', problems);
  kinds.filter((k) => !syncKind(k)).forEach((k) => problems.push(`kinds: ${k} is not a kind the registry serves`));
  return kinds;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, at: string, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') problems.push(`${at}: must be a string`);
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown, at: string, problems: string[]): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v)) {
    problems.push(`${at}: must be a list of names`);
    return [];
  }
  return value as string[];
}

function int(value: unknown, at: string, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${at}: must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return n;
}
