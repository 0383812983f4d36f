import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { ResourceRepository } from '../store/resource.repository';

/** How often each replica looks for collections a crashed (or busy) replica left owed. */
export const COLLECT_SWEEP_INTERVAL_MS = 10_000;

/**
 * Finishes the garbage collection a delete started: an owner's transaction collects the first batch of
 * its dependents and records the rest as pending (pending_collections); this collects the rest, a batch
 * a transaction, right after the delete on the replica that made it, and at start-up and every
 * COLLECT_SWEEP_INTERVAL_MS on every replica for whatever a crash left. Replicas that meet on one owner
 * take turns on its record, so the work is done once.
 */
@Injectable()
export class GarbageCollector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GarbageCollector.name);
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(ResourceRepository) private readonly repository: ResourceRepository,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), COLLECT_SWEEP_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled(this.running.values());
  }

  /** Collects what is owed for one deleted owner, until nothing is; a second call joins the first. */
  resume(ownerUid: string): Promise<void> {
    const known = this.running.get(ownerUid);
    if (known) return known;
    const run = this.collectAll(ownerUid)
      // The record stays: the next sweep (here or on another replica) takes it up again.
      .catch((error: Error) => this.logger.warn(`collecting the dependents of ${ownerUid} stopped: ${error.message}`))
      .finally(() => this.running.delete(ownerUid));
    this.running.set(ownerUid, run);
    return run;
  }

  /** Takes up every pending collection. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      await Promise.all((await this.repository.pendingCollections()).map((uid) => this.resume(uid)));
    } catch (error) {
      this.logger.warn(`could not look for pending collections: ${(error as Error).message}`);
    }
  }

  private async collectAll(ownerUid: string): Promise<void> {
    while (!this.stopped) {
      const batch = await this.repository.collect(ownerUid);
      const last = batch.dependents[batch.dependents.length - 1];
      if (last) this.feed.announce(last.resourceVersion);
      if (batch.done) return;
    }
  }
}
