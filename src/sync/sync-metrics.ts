import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** What a cluster reports at each scrape (computed then, so nothing is kept up to date by hand). */
export interface ClusterGauges {
  name: string;
  desired(): number;
  inSync(): number;
  clashes(): number;
  queued(): number;
  lagSeconds(): number;
  reachable(): boolean;
}

/** The sync's Prometheus metrics, in a registry of its own (served at /metrics with the process metrics). */
export class SyncMetrics {
  readonly registry = new Registry();
  private readonly clusters: ClusterGauges[] = [];
  readonly writes = new Counter({ name: 'sync_writes_total', help: 'Objects the sync created, replaced or deleted, per cluster', labelNames: ['cluster', 'action'], registers: [this.registry] });
  readonly errors = new Counter({
    name: 'sync_errors_total',
    help: 'Failed calls to a cluster: unreachable (down, timing out, 5xx, 429), conflict (changed meanwhile: read again), rejected (4xx: the object or the RBAC is at fault)',
    labelNames: ['cluster', 'reason'],
    registers: [this.registry],
  });
  readonly fullSyncs = new Counter({ name: 'sync_full_syncs_total', help: 'Full diffs of a cluster against the registry', labelNames: ['cluster'], registers: [this.registry] });
  readonly sourceRelists = new Counter({ name: 'sync_source_relists_total', help: 'Full lists of the registry after the first, per kind and reason', labelNames: ['kind', 'reason'], registers: [this.registry] });
  readonly sourceErrors = new Counter({ name: 'sync_source_errors_total', help: 'Failed lists or watches of the registry', labelNames: ['kind'], registers: [this.registry] });
  readonly source = {
    connected: new Gauge({ name: 'sync_source_connected', help: '1 while the registry is listed and watched, per kind', labelNames: ['kind'], registers: [this.registry] }),
  };

  constructor(sourceObjects: () => Record<string, number>) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'sync_source_objects', help: 'Objects read from the registry, per kind', labelNames: ['kind'], registers: [this.registry],
      collect() {
        for (const [kind, count] of Object.entries(sourceObjects())) this.set({ kind }, count);
      },
    });
    const perCluster = (name: string, help: string, value: (c: ClusterGauges) => number) => {
      const clusters = this.clusters;
      new Gauge({
        name, help, labelNames: ['cluster'], registers: [this.registry],
        collect() {
          for (const cluster of clusters) this.set({ cluster: cluster.name }, value(cluster));
        },
      });
    };
    perCluster('sync_objects_desired', 'Registry objects this cluster should hold', (c) => c.desired());
    perCluster('sync_objects_in_sync', 'Objects the cluster holds as the registry has them', (c) => c.inSync());
    perCluster('sync_clashes', 'Registry objects whose name is taken in the cluster by an object the sync did not make', (c) => c.clashes());
    perCluster('sync_queue_depth', 'Objects waiting to be compared or written', (c) => c.queued());
    perCluster('sync_lag_seconds', 'Age of the oldest registry change not yet applied to the cluster (0 when converged)', (c) => c.lagSeconds());
    perCluster('sync_cluster_reachable', '1 while the cluster answers', (c) => (c.reachable() ? 1 : 0));
  }

  addCluster(gauges: ClusterGauges): void {
    this.clusters.push(gauges);
  }
}
