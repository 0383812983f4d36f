import { Logger } from 'pino';
import { ClusterSyncer, SourceView } from './cluster-syncer';
import { clusterKubeConfig, registryKubeConfig } from './kube-config';
import { MirrorObject } from './mirror-rules';
import { ResourceClient } from './resource-client';
import { SourceListener, SourceReflector } from './source-reflector';
import { SyncConfig } from './sync-config';
import { SyncKind, syncKind } from './sync-kinds';
import { SyncMetrics } from './sync-metrics';

/**
 * The whole sync: one reflector per kind (and per namespace, when the clusters look only at some) on
 * the registry, fanning every change out to one ClusterSyncer per cluster.
 */
export class SyncRunner implements SourceView, SourceListener {
  readonly metrics: SyncMetrics;
  readonly clusters: ClusterSyncer[];
  private readonly kinds: SyncKind[];
  private readonly reflectors: SourceReflector[];
  private started = false;

  constructor(
    private readonly config: SyncConfig,
    private readonly logger: Logger,
    readFile: (path: string) => string,
  ) {
    this.kinds = config.kinds.map((k) => syncKind(k)!);
    this.metrics = new SyncMetrics(() => Object.fromEntries(this.kinds.map((kind) => [kind.kind, this.count(kind)])));
    const registry = registryKubeConfig(config.registry, readFile);
    const namespaces: Array<string | undefined> = config.registry.namespaces ?? [undefined];
    this.reflectors = this.kinds.flatMap((kind) => namespaces.map((ns) => new SourceReflector(kind, ns, registry, this, logger, this.metrics)));
    this.clusters = config.clusters.map(
      (target) => new ClusterSyncer(target, this.kinds, this, new ResourceClient(clusterKubeConfig(target)), config.registry.name, logger, this.metrics, config.resyncSeconds),
    );
  }

  start(): void {
    this.logger.info(
      { registry: this.config.registry.url ?? this.config.registry.kubeconfig, origin: this.config.registry.name, kinds: this.config.kinds, clusters: this.config.clusters.map((c) => c.name) },
      'sync starting: listing the registry',
    );
    this.reflectors.forEach((r) => r.start());
  }

  stop(): void {
    this.reflectors.forEach((r) => r.stop());
    this.clusters.forEach((c) => c.stop());
  }

  synced(): boolean {
    return this.reflectors.every((r) => r.synced);
  }

  get(kind: SyncKind, namespace: string, name: string): MirrorObject | undefined {
    for (const r of this.reflectors) if (r.kind === kind) {
      const object = r.store.get(`${namespace}/${name}`);
      if (object) return object;
    }
    return undefined;
  }

  *objects(kind: SyncKind): Iterable<MirrorObject> {
    for (const r of this.reflectors) if (r.kind === kind) yield* r.store.values();
  }

  changed(kind: SyncKind, namespace: string, name: string): void {
    if (this.started) this.clusters.forEach((c) => c.sourceChanged(kind, namespace, name));
  }

  /** The clusters start once every store is complete: a partial registry would look like deletes. */
  relisted(): void {
    if (!this.synced()) return;
    if (!this.started) {
      this.started = true;
      this.logger.info({ objects: Object.fromEntries(this.kinds.map((k) => [k.kind, this.count(k)])) }, 'registry listed: syncing the clusters');
      this.clusters.forEach((c) => c.start());
      return;
    }
    this.clusters.forEach((c) => c.requestFullSync());
  }

  /** Ready: the registry is listed, and every cluster has been synced once or is known to be down (it must not hold back the rest). */
  readiness(): { ready: boolean; source: boolean; clusters: Array<{ name: string; ready: boolean; reachable: boolean; initialSyncDone: boolean }> } {
    const clusters = this.clusters.map((c) => ({ name: c.name, ready: c.initialSyncDone || (c.attempted && !c.reachableNow), reachable: c.reachableNow, initialSyncDone: c.initialSyncDone }));
    const source = this.synced();
    return { ready: source && clusters.every((c) => c.ready), source, clusters };
  }

  status() {
    return {
      origin: this.config.registry.name,
      source: this.reflectors.map((r) => ({ kind: r.kind.kind, synced: r.synced, resourceVersion: r.resourceVersion, objects: r.store.size })),
      clusters: this.clusters.map((c) => c.status()),
    };
  }

  private count(kind: SyncKind): number {
    let n = 0;
    for (const r of this.reflectors) if (r.kind === kind) n += r.store.size;
    return n;
  }
}
