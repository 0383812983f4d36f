import { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics';

/**
 * Prometheus metrics, one registry per app instance (tests run several in one process). Routes are
 * labelled by their template (`/apis/.../workloadentries/:name`), never the raw URL, to bound cardinality.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new RequestMetrics(this.registry, [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);

  private readonly rateLimited = new Counter({
    name: 'rate_limited_total',
    help: 'Requests answered 429 by a rate limit or the watch cap, by route template.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  recordRateLimited(route: string): void {
    this.rateLimited.labels(route).inc();
  }

  /** The change feed that keeps this replica's cache current (src/cache). */
  readonly feed = {
    listenerReconnects: new Counter({
      name: 'change_listener_reconnects_total',
      help: 'Times the LISTEN connection was lost or found stalled and replaced.',
      registers: [this.registry],
    }),
    gapsFilled: new Counter({
      name: 'change_feed_gaps_filled_total',
      help: 'Revisions that stayed missing (their write rolled back) and were filled.',
      registers: [this.registry],
    }),
    position: (read: () => number) =>
      new Gauge({
        name: 'change_feed_resource_version',
        help: 'The revision this replica has applied: compare replicas to see lag.',
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      }),
  };

  /** Kubernetes watches (src/watch). */
  readonly watch = {
    ended: new Counter({
      name: 'watches_ended_total',
      help: 'Watches ended, by reason (client, timeout, slow consumer, shutdown, reset, expired, error).',
      labelNames: ['reason'] as const,
      registers: [this.registry],
    }),
    active: (read: () => number) =>
      new Gauge({
        name: 'watches_active',
        help: 'Watches open on this replica.',
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      }),
  };

  /** Registrations, leases, heartbeats and expiry (src/leases). */
  readonly leases = {
    registrations: new Counter({
      name: 'registrations_total',
      help: 'Registrations answered, by result (created, updated, unchanged).',
      labelNames: ['result'] as const,
      registers: [this.registry],
    }),
    renewals: new Counter({
      name: 'lease_renewals_total',
      help: 'Heartbeats answered, by result (renewed, notfound).',
      labelNames: ['result'] as const,
      registers: [this.registry],
    }),
    healthWrites: new Counter({
      name: 'lease_health_writes_total',
      help: 'Heartbeats that changed an entry\'s Healthy condition (the only renewals that write the entry).',
      registers: [this.registry],
    }),
    flushSize: new Histogram({
      name: 'lease_flush_batch_size',
      help: 'Renewals written per database round trip (group commit).',
      buckets: [1, 10, 100, 500, 1000, 2000, 5000],
      registers: [this.registry],
    }),
    flushSeconds: new Histogram({
      name: 'lease_flush_duration_seconds',
      help: 'Duration of one batched renewal write.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    }),
    expirations: new Counter({
      name: 'lease_expirations_total',
      help: 'Leases found lapsed and marked Healthy=False (LeaseExpired) by this replica.',
      registers: [this.registry],
    }),
    deletions: new Counter({
      name: 'lease_deletions_total',
      help: 'Auto-registered entries deleted after their lease lapsed, by this replica.',
      registers: [this.registry],
    }),
    expiryLateness: new Histogram({
      name: 'lease_expiry_lateness_seconds',
      help: 'How long after its deadline a lease was marked expired.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30],
      registers: [this.registry],
    }),
    paused: new Gauge({
      name: 'registry_expiry_paused',
      help: 'Groups where deletion is paused because too many leases lapsed at once (1), by namespace and group.',
      labelNames: ['namespace', 'group'] as const,
      registers: [this.registry],
    }),
    pausedGroups: new Gauge({
      name: 'lease_expiry_paused_groups',
      help: 'Number of WorkloadGroups whose deletions are paused.',
      registers: [this.registry],
    }),
    leader: new Gauge({
      name: 'lease_reaper_leader',
      help: '1 on the replica that expires leases (holds the advisory lock), 0 elsewhere.',
      registers: [this.registry],
    }),
    state: new Gauge({
      name: 'leases',
      help: 'Leases in the database by state (live, expired), refreshed every few seconds.',
      labelNames: ['state'] as const,
      registers: [this.registry],
    }),
    registered: new Gauge({
      name: 'registered_entries',
      help: 'WorkloadEntries registered into a WorkloadGroup that hold a lease, refreshed every few seconds.',
      registers: [this.registry],
    }),
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one answered request (errors included), by method, route template and status. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.record(method, route, status, seconds);
  }

  watchPool(pool: Pool): void {
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting requests).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}
