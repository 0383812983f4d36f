import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Database } from '../database/database';
import { KINDS, kindByName } from '../kinds/kinds';
import { Metrics } from '../observability/metrics';
import { ChangeLogRepository, ChangeRow } from '../store/change-log.repository';
import { rowToObject } from '../store/resource-row';
import { changeToEvent } from './change-event';
import { ChangeListener } from './change-listener';
import { GapTracker } from './gap-tracker';
import { CacheEvent, ObjectCache } from './object-cache';
import { NextRun } from './next-run';
import { RevisionWaiters } from './revision-waiters';

/** Even if every notification is lost, each replica catches up within this. */
export const POLL_INTERVAL_MS = 1000;
/** A revision missing this long belongs to a write that rolled back; it is filled (see GapTracker). */
const GAP_FILL_AFTER_MS = 500;
/** How often a reader waiting at a missing revision looks again. */
const GAP_RETRY_MS = 5;
const CATCH_UP_BATCH = 2000;
/** Changes applied in one turn of the event loop: a burst (an import) must not hold up other requests. */
const DELIVERY_SLICE = 100;
const COMPACTION_INTERVAL_MS = 10 * 60 * 1000;

/** What follows the feed: it sees every change once, in revision order. */
export interface FeedSubscriber {
  /** The cache was (re)loaded; rebuild from it. */
  reset(cache: ObjectCache, resourceVersion: string): void;
  /** Changes just applied, in order; `resourceVersion` is the feed's position after them. */
  changed(events: readonly CacheEvent[], resourceVersion: string): void;
}

/**
 * This replica's copy of the registry, kept equal to the database: a snapshot at start, then the change
 * log in revision order, read whenever a writer announces a change (milliseconds), and at least every
 * POLL_INTERVAL_MS. Reads (GET, LIST, resolve, watch) are served from it; `sync()` makes a read
 * consistent with every write acknowledged before it.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, BeforeApplicationShutdown {
  readonly cache = new ObjectCache();
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly subscribers: FeedSubscriber[] = [];
  private readonly gaps = new GapTracker(GAP_FILL_AFTER_MS);
  private readonly waiters = new RevisionWaiters();
  /** Consistent reads share one `max(revision)` query per round trip. */
  private readonly barrier: NextRun<bigint>;
  private readonly runner = new NextRun(() => this.drain());
  private readonly announcer = new NextRun(() => this.announceNewest());
  private readonly listener: ChangeListener;
  private position = 0n;
  private announced = 0n;
  private timers: NodeJS.Timeout[] = [];
  private gapRetry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(Database) database: Database,
    @Inject(ChangeLogRepository) private readonly changeLog: ChangeLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.barrier = new NextRun(() => changeLog.newestRevision());
    this.listener = new ChangeListener({
      url: database.url,
      heartbeatMs: 5000,
      heartbeatTimeoutMs: 3000,
      reconnectDelayMs: 1000,
      onNotification: () => void this.catchUp(),
      onReconnect: () => this.metrics.feed.listenerReconnects.inc(),
    });
    metrics.feed.position(() => Number(this.position));
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
    await this.reload();
    this.timers.push(setInterval(() => void this.catchUp(), POLL_INTERVAL_MS).unref());
    this.timers.push(setInterval(() => void this.compact(), COMPACTION_INTERVAL_MS).unref());
  }

  /** Stops following the database before it closes; reads keep answering from memory. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    clearTimeout(this.gapRetry);
    await Promise.all([this.runner.idle(), this.announcer.idle()]);
    await this.listener.stop();
    this.waiters.cancelAll();
  }

  get resourceVersion(): string {
    return this.position.toString();
  }

  /** Subscribes and hands over the current state at once. */
  subscribe(subscriber: FeedSubscriber): void {
    this.subscribers.push(subscriber);
    subscriber.reset(this.cache, this.resourceVersion);
  }

  /** Applies what the log holds beyond this replica's position; concurrent calls share one round. */
  catchUp(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.runner.run();
  }

  /** Resolves once the cache reflects `resourceVersion`, or false after `timeoutMs`. */
  async waitFor(resourceVersion: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position >= resourceVersion) return true;
    void this.catchUp();
    return this.waiters.wait(resourceVersion, timeoutMs);
  }

  /** Waits until the cache holds every write acknowledged (on any replica) before this call. */
  async sync(timeoutMs: number): Promise<boolean> {
    return this.waitFor(await this.barrier.run(), timeoutMs);
  }

  /** A write on this replica committed `resourceVersion`: apply it here now, and wake the others. */
  announce(resourceVersion: string): void {
    const revision = BigInt(resourceVersion);
    if (revision > this.announced) this.announced = revision;
    void this.catchUp();
    void this.announcer.run();
  }

  private async announceNewest(): Promise<void> {
    try {
      await this.changeLog.announce(this.announced);
    } catch (error) {
      // The others' poll picks the change up within POLL_INTERVAL_MS.
      this.logger.warn(`could not announce revision ${this.announced}: ${(error as Error).message}`);
    }
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const { compactedThrough, changes } = await this.changeLog.changesAfter(this.position, CATCH_UP_BATCH);
        if (compactedThrough > this.position) return await this.reload();
        const decision = this.gaps.take(this.position, changes, Date.now());
        for (let start = 0; start < decision.deliver.length; start += DELIVERY_SLICE) {
          if (start > 0) await new Promise(setImmediate);
          this.deliver(decision.deliver.slice(start, start + DELIVERY_SLICE));
        }
        if (decision.fill !== undefined) {
          if (await this.changeLog.fillGap(decision.fill, GAP_FILL_AFTER_MS)) this.metrics.feed.gapsFilled.inc();
          continue;
        }
        if (decision.missing !== undefined) return this.retryGapSoon();
        if (changes.length < CATCH_UP_BATCH) return;
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn(`catching up with the change log failed, retrying on the next poll: ${(error as Error).message}`);
    }
  }

  private retryGapSoon(): void {
    if (this.gapRetry || this.stopped) return;
    this.gapRetry = setTimeout(() => {
      this.gapRetry = undefined;
      void this.catchUp();
    }, GAP_RETRY_MS).unref();
  }

  private deliver(rows: readonly ChangeRow[]): void {
    if (rows.length === 0) return;
    const events: CacheEvent[] = [];
    for (const change of rows) {
      const event = changeToEvent(change);
      if (event && this.cache.apply(event)) events.push(event);
    }
    this.position = rows[rows.length - 1].resourceVersion;
    if (events.length > 0) for (const subscriber of this.subscribers) subscriber.changed(events, this.resourceVersion);
    this.waiters.release(this.position);
  }

  private async reload(): Promise<void> {
    const objects: KubeObject[] = [];
    const snapshot = await this.changeLog.snapshot(KINDS.map((k) => k.kind), (rows) => {
      for (const row of rows) objects.push(rowToObject(kindByName(row.kind)!, row));
    });
    this.cache.reset(objects);
    this.position = snapshot.resourceVersion;
    for (const subscriber of this.subscribers) subscriber.reset(this.cache, this.resourceVersion);
    this.logger.log(`registry cache loaded: ${snapshot.count} objects, following the change log from resourceVersion ${this.position}`);
    this.waiters.release(this.position);
  }

  private async compact(): Promise<void> {
    try {
      await this.changeLog.compact(new Date(Date.now() - this.config.changeLogRetentionMs), this.position);
    } catch (error) {
      this.logger.warn(`change-log compaction failed: ${(error as Error).message}`);
    }
  }
}
