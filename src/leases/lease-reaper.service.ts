import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { NextRun } from '../cache/next-run';
import { KubeObject } from '../common/kube-object';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Database } from '../database/database';
import { IstioStatus } from '../kinds/istio-types';
import { kindByName } from '../kinds/kinds';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { Metrics } from '../observability/metrics';
import { withStatusOf } from '../resources/object-rules';
import { ObjectUpdater } from '../resources/object-updater';
import { NO_ADVICE } from '../resources/write-advisor';
import { LeaseRepository, LeaseRow } from '../store/lease.repository';
import { rowToObject } from '../store/resource-row';
import { ResourceRepository, Transaction, WriteOperation } from '../store/resource.repository';
import { LeaderLock } from './leader-lock';
import { MAX_SLEEP_MS, nextPassDelayMs } from './reaper-schedule';
import { deletionPaused, EXPIRY_PAUSED_CONDITION, lapsedHealth, leaseDeadline, leaseSettings, withCondition, withHealth } from './lease-rules';

/** Leases marked in one transaction. */
const MARK_BATCH = 500;
const LIVENESS_INTERVAL_MS = 1000;
const COUNTS_INTERVAL_MS = 5000;
const REAPER_ACTOR = { subject: 'system:lease-reaper' };

export interface ReapReport {
  leader: boolean;
  marked: number;
  deleted: number;
  paused: string[];
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Expiry, on exactly one replica (the holder of an advisory lock): a lease lapses when now >
 * max(renewTime, acceptingSince) + duration, checked by timestamps and woken at the next deadline (never
 * counted in ticks). Stage 1 marks the entry Healthy=False (LeaseExpired), always; stage 2 deletes an
 * auto-registered entry once it stayed lapsed for deregisterAfter, unless too many of its group lapsed at
 * once (then the group shows ExpiryPaused), at most LEASE_DELETES_PER_SECOND, in random order.
 */
@Injectable()
export class LeaseReaper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeaseReaper.name);
  private readonly lock: LeaderLock;
  private readonly runner = new NextRun(() => this.pass());
  private readonly updater: ObjectUpdater;
  private timer?: NodeJS.Timeout;
  private timers: NodeJS.Timeout[] = [];
  private acceptingSinceMs = 0;
  private deleteTokens = 1;
  private tokensAt?: number;
  private stopped = false;

  constructor(
    @Inject(LeaseRepository) private readonly leases: LeaseRepository,
    @Inject(ResourceRepository) repository: ResourceRepository,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(Database) database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.updater = new ObjectUpdater(repository, feed, NO_ADVICE);
    this.lock = new LeaderLock({ url: database.url, key: 'mesh-registry/lease-reaper', intervalMs: 1000, onChange: (leader) => this.leadershipChanged(leader) });
  }

  private get clock() {
    return this.config.security.clock;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.touchLiveness();
    this.timers.push(setInterval(() => void this.touchLiveness(), LIVENESS_INTERVAL_MS).unref());
    this.timers.push(setInterval(() => void this.refreshCounts(), COUNTS_INTERVAL_MS).unref());
    void this.refreshCounts();
    this.lock.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    clearTimeout(this.timer);
    await this.runner.idle();
    await this.lock.stop();
  }

  get isLeader(): boolean {
    return this.lock.isLeader;
  }

  /** One pass now (tests on a controlled clock; the timer calls it otherwise). */
  runNow(): Promise<ReapReport> {
    return this.runner.run();
  }

  /** Since when the registry has been accepting heartbeats, as this replica last saw it. */
  get acceptingSince(): number {
    return this.acceptingSinceMs;
  }

  private leadershipChanged(leader: boolean): void {
    this.metrics.leases.leader.set(leader ? 1 : 0);
    this.logger.log(leader ? 'this replica now expires leases' : 'this replica no longer expires leases');
    clearTimeout(this.timer);
    if (leader && !this.stopped) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped || !this.lock.isLeader) return;
    this.timer = setTimeout(() => void this.runNow().catch((error: Error) => this.logger.warn(`lease expiry pass failed: ${error.message}`)), delayMs).unref();
  }

  private async touchLiveness(): Promise<void> {
    try {
      const since = await this.leases.touchLiveness(this.clock.now(), this.config.leases.outageGapSeconds);
      if (since !== this.acceptingSinceMs && this.acceptingSinceMs !== 0) {
        this.logger.warn(`the registry was not accepting heartbeats for a while: no lease expires before a full duration after ${new Date(since).toISOString()}`);
      }
      this.acceptingSinceMs = since;
    } catch (error) {
      this.logger.debug(`liveness row not touched: ${(error as Error).message}`);
    }
  }

  private async refreshCounts(): Promise<void> {
    try {
      const counts = await this.leases.counts();
      this.metrics.leases.state.set({ state: 'live' }, counts.live);
      this.metrics.leases.state.set({ state: 'expired' }, counts.expired);
      this.metrics.leases.registered.set(counts.registered);
    } catch {
      // The next refresh tries again; /metrics keeps the last values.
    }
  }

  private async pass(): Promise<ReapReport> {
    if (!this.lock.isLeader || this.stopped) return { leader: false, marked: 0, deleted: 0, paused: [] };
    let nextWake = this.clock.now() + MAX_SLEEP_MS;
    let throttledDeletes = false;
    try {
      await this.touchLiveness();
      const now = this.clock.now();
      const since = this.acceptingSinceMs;
      let marked = 0;
      for (let round = 0; round < 20; round++) {
        const count = await this.leases.markDue(now, since, MARK_BATCH, (tx, due) => this.mark(tx, due, now));
        marked += count;
        if (count < MARK_BATCH) break;
      }
      const { deleted, paused, wake, throttled } = await this.deleteLapsed(now, since);
      const lapse = await this.leases.nextLapse(now + MAX_SLEEP_MS, since);
      nextWake = Math.min(nextWake, wake ?? Infinity, lapse !== undefined ? lapse + 1 : Infinity);
      throttledDeletes = throttled;
      return { leader: true, marked, deleted, paused };
    } finally {
      this.schedule(nextPassDelayMs(nextWake, this.clock.now(), throttledDeletes));
    }
  }

  /** Stage 1: Healthy=False (LeaseExpired) on each due entry; answers the keys now recorded expired. */
  private async mark(tx: Transaction, due: { lease: LeaseRow; entry: import('../store/resource-row').ResourceRow }[], now: number): Promise<string[]> {
    const nowIso = timestamp(now);
    const operations: WriteOperation[] = [];
    const keys: string[] = [];
    const alreadyMarked: string[] = [];
    for (const { lease, entry } of due) {
      const object = rowToObject(workloadEntryKind, entry);
      const status = withHealth(object.status as IstioStatus | undefined, lapsedHealth(lease.deadlineMs), nowIso);
      const key = `${lease.namespace}/${lease.name}`;
      if (!status) alreadyMarked.push(key);
      else {
        operations.push({ op: 'update', kind: workloadEntryKind, object: { ...object, status }, expectedVersion: entry.resourceVersion });
        keys.push(key);
      }
      this.metrics.leases.expiryLateness.observe(Math.max(0, now - lease.deadlineMs) / 1000);
    }
    const results = operations.length ? await tx.write(operations, { actor: REAPER_ACTOR }) : [];
    const written = keys.filter((_, i) => results[i].outcome === 'ok');
    const last = results.filter((r) => r.outcome === 'ok').pop()?.resourceVersion;
    if (last) setImmediate(() => this.feed.announce(last));
    this.metrics.leases.expirations.inc(written.length + alreadyMarked.length);
    if (written.length + alreadyMarked.length > 0) this.logger.log(`leases expired: ${[...written, ...alreadyMarked].slice(0, 20).join(', ')}${written.length + alreadyMarked.length > 20 ? ' …' : ''}`);
    return [...written, ...alreadyMarked];
  }

  /** Stage 2, with the mass-eviction guard and the delete rate limit. */
  private async deleteLapsed(now: number, since: number): Promise<{ deleted: number; paused: string[]; wake?: number; throttled: boolean }> {
    const expired = await this.leases.expiredRegistered();
    const counts = expired.length > 0 || this.anyPausedShown() ? await this.leases.groupCounts(now, since) : [];
    const paused = new Set<string>();
    for (const count of counts) {
      const group = this.group(count.namespace, count.group);
      const settings = leaseSettings(this.config.leases, group?.metadata.annotations);
      const isPaused = deletionPaused(count.lapsed, count.total, settings.maxExpiryFraction);
      if (isPaused) paused.add(`${count.namespace}/${count.group}`);
      this.metrics.leases.paused.set({ namespace: count.namespace, group: count.group }, isPaused ? 1 : 0);
      if (group) await this.showPause(group, isPaused, count.lapsed, count.total, settings.maxExpiryFraction);
    }
    this.metrics.leases.pausedGroups.set(paused.size);
    let wake: number | undefined;
    const ready: LeaseRow[] = [];
    for (const lease of expired) {
      if (paused.has(`${lease.namespace}/${lease.group}`)) continue;
      const entry = this.feed.cache.get('WorkloadEntry', { namespace: lease.namespace, name: lease.name });
      const settings = leaseSettings(this.config.leases, entry?.metadata.annotations, this.group(lease.namespace, lease.group!)?.metadata.annotations);
      const deleteAt = leaseDeadline(lease.renewMs, lease.durationMs, since) + settings.deregisterAfterMs;
      if (now > deleteAt) ready.push(lease);
      else wake = Math.min(wake ?? Infinity, deleteAt + 1);
    }
    const allowed = Math.min(ready.length, this.takeDeleteTokens(now));
    const throttled = ready.length > allowed;
    if (throttled) wake = Math.min(wake ?? Infinity, now + Math.ceil(1000 / this.config.leases.deletesPerSecond));
    if (allowed === 0) return { deleted: 0, paused: [...paused], wake, throttled };
    const chosen = shuffled(ready).slice(0, allowed);
    const deleted = await this.leases.removeExpired(chosen, async (tx, due) => {
      const operations: WriteOperation[] = due.map(({ entry }) => ({ op: 'delete', kind: workloadEntryKind, key: { namespace: entry.namespace, name: entry.name }, expectedUid: entry.uid }));
      const results = operations.length ? await tx.write(operations, { actor: REAPER_ACTOR }) : [];
      const last = results.filter((r) => r.outcome === 'ok').pop()?.resourceVersion;
      if (last) setImmediate(() => this.feed.announce(last));
      return results.filter((r) => r.outcome === 'ok').length;
    });
    this.deleteTokens -= deleted;
    this.metrics.leases.deletions.inc(deleted);
    if (deleted > 0) this.logger.log(`deleted ${deleted} auto-registered entries whose lease lapsed`);
    return { deleted, paused: [...paused], wake, throttled };
  }

  /** Istio's limiter: LEASE_DELETES_PER_SECOND, burst 1, on the application's clock. */
  private takeDeleteTokens(now: number): number {
    const rate = this.config.leases.deletesPerSecond;
    if (this.tokensAt !== undefined) this.deleteTokens = Math.min(Math.max(1, rate / 20), this.deleteTokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    return Math.floor(this.deleteTokens);
  }

  private group(namespace: string, name: string): KubeObject | undefined {
    return kindByName('WorkloadGroup') ? this.feed.cache.get('WorkloadGroup', { namespace, name }) : undefined;
  }

  private anyPausedShown(): boolean {
    if (!kindByName('WorkloadGroup')) return false;
    const { items } = this.feed.cache.list('WorkloadGroup', { labels: [], fields: [] });
    return items.some((group) => (group.status as IstioStatus | undefined)?.conditions?.some((c) => c.type === EXPIRY_PAUSED_CONDITION && c.status === 'True'));
  }

  /** The group's ExpiryPaused condition, written only when it changes; a Warning in the log when it does. */
  private async showPause(group: KubeObject, paused: boolean, lapsed: number, total: number, fraction: number): Promise<void> {
    const kind = kindByName('WorkloadGroup')!;
    const current = (group.status as IstioStatus | undefined)?.conditions?.find((c) => c.type === EXPIRY_PAUSED_CONDITION);
    const wanted = paused ? 'True' : 'False';
    if ((current?.status ?? 'False') === wanted) return;
    const message = paused
      ? `${lapsed} of ${total} leases lapsed at once (more than ${fraction * 100}%): deletions paused, marking continues`
      : `${lapsed} of ${total} leases lapsed: deletions resumed`;
    if (paused) this.logger.warn(`workloadgroup ${group.metadata.namespace}/${group.metadata.name}: ${message}`);
    else this.logger.log(`workloadgroup ${group.metadata.namespace}/${group.metadata.name}: ${message}`);
    const condition = { type: EXPIRY_PAUSED_CONDITION, status: wanted, reason: paused ? 'TooManyLeasesLapsed' : 'LeasesRenewed', message, lastTransitionTime: timestamp(this.clock.now()) };
    const key = { namespace: group.metadata.namespace!, name: group.metadata.name! };
    await this.updater.update(kind, key, (currentGroup) => ({ next: { ...currentGroup, status: withCondition(currentGroup.status as IstioStatus | undefined, condition) }, warnings: [] }),
      (next, stored) => withStatusOf(stored, next), { dryRun: false, fieldValidation: 'Ignore', actor: REAPER_ACTOR }).catch((error: Error) =>
      this.logger.warn(`could not write ExpiryPaused on ${key.namespace}/${key.name}: ${error.message}`));
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
