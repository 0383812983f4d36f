import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Readable } from 'node:stream';
import { changeToEvent } from '../cache/change-event';
import { ChangeFeed, FeedSubscriber } from '../cache/change-feed.service';
import { CacheEvent, ObjectCache } from '../cache/object-cache';
import { apiErrors } from '../common/status';
import { wantsTable } from '../discovery/media-types';
import { parseIncludeObject } from '../discovery/table';
import { KindDefinition } from '../kinds/kind-definition';
import { Metrics } from '../observability/metrics';
import { awaitFreshness } from '../resources/read-freshness';
import { WatchOptions } from '../resources/request-options';
import { ChangeLogRepository } from '../store/change-log.repository';
import { EventHistory } from './event-history';
import { Semaphore } from './semaphore';
import { expiredStatus, matchesFilter, WatchFilter } from './watch-events';
import { WatchEndReason, Watcher, WatcherLimits } from './watcher';

/** Changes kept in memory for watches that resume; older ones are read from the change log. */
const HISTORY_EVENTS = 20_000;
const REPLAY_BATCH = 1000;
/** Watches replaying from the change log at once; the others wait their turn (their events queue meanwhile). */
const LOG_REPLAYS_AT_ONCE = 4;
/** As kube-apiserver: a bookmark about every minute, and one shortly before the watch's deadline. */
const BOOKMARK_INTERVAL_MS = 60_000;
const BOOKMARK_BEFORE_DEADLINE_MS = 2000;
/** Without timeoutSeconds, a watch ends after a random time in [MIN, 2 × MIN] (kube-apiserver's --min-request-timeout). */
const MIN_REQUEST_TIMEOUT_S = 1800;

const LIMITS: WatcherLimits = { maxPendingEvents: 10_000, maxBufferedBytes: 8 * 1024 * 1024, burstPerTick: 500 };

export interface WatchRequest {
  kind: KindDefinition;
  namespace?: string;
  options: WatchOptions;
  accept?: string;
  includeObject?: unknown;
}

/**
 * Kubernetes watch, served from memory: the change feed's events (one read of the change log per
 * change, shared by every watcher), fanned out to each watch through its selectors; a watch resuming
 * from a resourceVersion replays the in-memory history, or the change log when it is older.
 */
@Injectable()
export class WatchHub implements OnModuleInit, FeedSubscriber, BeforeApplicationShutdown {
  private readonly logger = new Logger(WatchHub.name);
  private readonly history = new EventHistory(HISTORY_EVENTS);
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly replays = new Semaphore(LOG_REPLAYS_AT_ONCE);

  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(ChangeLogRepository) private readonly changeLog: ChangeLogRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    metrics.watch.active(() => this.count());
  }

  onModuleInit(): void {
    this.feed.subscribe(this);
  }

  /** Open watches end cleanly (clients watch again, elsewhere) and do not hold shutdown. */
  beforeApplicationShutdown(): void {
    this.endAll('shutdown');
  }

  reset(_cache: ObjectCache, resourceVersion: string): void {
    this.history.reset(BigInt(resourceVersion));
    // What they were sent may no longer follow from what is stored: they resume, or relist.
    this.endAll('reset');
  }

  changed(events: readonly CacheEvent[]): void {
    for (const event of events) {
      this.history.append(BigInt(event.object.metadata.resourceVersion!), event);
      const watchers = this.watchers.get(event.object.kind);
      if (watchers) for (const watcher of watchers) watcher.offer(event);
    }
  }

  /** Starts a watch; its stream is returned at once and written as events come. */
  async open(request: WatchRequest): Promise<Readable> {
    const { kind, namespace, options } = request;
    const filter: WatchFilter = { kind: kind.kind, namespace, labels: options.labels, fields: options.fields };
    const initial = options.sendInitialEvents ?? options.resourceVersion === undefined;
    // The initial state is as fresh as a list's with the same resourceVersion would be.
    if (initial) {
      await awaitFreshness(this.feed, options.resourceVersion !== undefined
        ? { kind: 'notOlderThan', revision: options.resourceVersion }
        : options.latest ? { kind: 'latest' } : { kind: 'any' });
    }
    const watcher = this.register(kind, filter, request);
    this.arm(watcher, options);
    void this.start(watcher, filter, options, initial).catch((error: Error) => {
      this.logger.warn(`watch failed: ${error.message}`);
      watcher.end('error', apiErrors.internal('watch').status);
    });
    return watcher.stream;
  }

  private register(kind: KindDefinition, filter: WatchFilter, request: WatchRequest): Watcher {
    const table = wantsTable(request.accept) ? { include: parseIncludeObject(request.includeObject) } : undefined;
    const watcher = new Watcher({ kind, filter, table, limits: LIMITS, onEnd: (w, reason) => this.unregister(w, reason) });
    let watchers = this.watchers.get(kind.kind);
    if (!watchers) this.watchers.set(kind.kind, (watchers = new Set()));
    watchers.add(watcher);
    return watcher;
  }

  /** The replay this watch starts with, then live events. Runs right after registration, so nothing falls between. */
  private async start(watcher: Watcher, filter: WatchFilter, options: WatchOptions, initial: boolean): Promise<void> {
    const position = BigInt(this.feed.resourceVersion);
    if (initial) {
      const objects = this.feed.cache.list(filter.kind, { namespace: filter.namespace, labels: [], fields: [] }).items
        .filter((object) => matchesFilter(filter, object));
      await watcher.sendInitial(objects);
      if (options.sendInitialEvents) watcher.bookmark(position.toString(), true);
      return watcher.goLive(position);
    }
    const from = options.resourceVersion!;
    if (from >= position) return watcher.goLive(from);
    const recent = this.history.since(from);
    if (recent) {
      await watcher.replay(recent.map((entry) => entry.event));
      return watcher.goLive(position);
    }
    await this.replayFromLog(watcher, from, position);
  }

  /**
   * A watch from before the in-memory history: the change log up to where the feed was, then live. Such
   * replays read the database and hold their batch in memory, so only a few run at a time.
   */
  private async replayFromLog(watcher: Watcher, from: bigint, until: bigint): Promise<void> {
    const release = await this.replays.acquire();
    try {
      await this.replayRange(watcher, from, until);
    } finally {
      release();
    }
  }

  private async replayRange(watcher: Watcher, from: bigint, until: bigint): Promise<void> {
    let cursor = from;
    while (cursor < until) {
      const { compactedThrough, changes } = await this.changeLog.changesAfter(cursor, REPLAY_BATCH);
      if (compactedThrough > from) return watcher.end('expired', expiredStatus(from, compactedThrough + 1n));
      const inRange = changes.filter((change) => change.resourceVersion <= until);
      await watcher.replay(inRange.map(changeToEvent).filter((event): event is CacheEvent => event !== undefined));
      if (inRange.length === 0) break;
      cursor = inRange[inRange.length - 1].resourceVersion;
    }
    watcher.goLive(until);
  }

  /** Deadline and bookmarks. */
  private arm(watcher: Watcher, options: WatchOptions): void {
    const timeoutMs = (options.timeoutSeconds ?? MIN_REQUEST_TIMEOUT_S * (1 + Math.random())) * 1000;
    const timers = [setTimeout(() => watcher.end('timeout'), timeoutMs)];
    if (options.allowWatchBookmarks) {
      const bookmark = () => {
        if (watcher.isLive) watcher.bookmark(this.feed.resourceVersion);
      };
      timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
      if (timeoutMs > BOOKMARK_BEFORE_DEADLINE_MS) timers.push(setTimeout(bookmark, timeoutMs - BOOKMARK_BEFORE_DEADLINE_MS));
    }
    timers.forEach((timer) => timer.unref());
    watcher.stream.once('close', () => timers.forEach(clearTimeout));
  }

  private unregister(watcher: Watcher, reason: WatchEndReason): void {
    this.watchers.get(watcher.kind)?.delete(watcher);
    this.metrics.watch.ended.inc({ reason });
  }

  private endAll(reason: WatchEndReason): void {
    for (const watchers of this.watchers.values()) for (const watcher of [...watchers]) watcher.end(reason);
  }

  private count(): number {
    let total = 0;
    for (const watchers of this.watchers.values()) total += watchers.size;
    return total;
  }
}
