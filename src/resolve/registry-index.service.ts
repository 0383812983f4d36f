import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeFeed, FeedSubscriber } from '../cache/change-feed.service';
import { CacheEvent, ObjectCache } from '../cache/object-cache';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { IndexedKind, RegistryIndex } from './registry-index';

const INDEXED_KINDS: readonly IndexedKind[] = ['ServiceEntry', 'WorkloadEntry'];
const isIndexed = (kind: string): kind is IndexedKind => (INDEXED_KINDS as readonly string[]).includes(kind);

/**
 * Keeps this replica's RegistryIndex (host and label postings for resolve and the analyzers) equal to
 * the cache, by following the change feed. Resolve reads the index and never waits for the database.
 */
@Injectable()
export class RegistryIndexService implements OnModuleInit, FeedSubscriber {
  readonly index = new RegistryIndex();

  constructor(@Inject(ChangeFeed) private readonly feed: ChangeFeed) {}

  onModuleInit(): void {
    this.feed.subscribe(this);
  }

  reset(cache: ObjectCache, resourceVersion: string): void {
    const objects = INDEXED_KINDS.flatMap((kind) => [...cache.all(kind)]) as (ServiceEntry | WorkloadEntry)[];
    this.index.replaceAll(objects, resourceVersion);
  }

  changed(events: readonly CacheEvent[]): void {
    for (const { type, object } of events) {
      if (!isIndexed(object.kind)) continue;
      const { namespace, name, resourceVersion } = object.metadata as Required<typeof object.metadata>;
      if (type === 'DELETED') this.index.remove(object.kind, namespace, name, resourceVersion);
      else this.index.upsert(object as ServiceEntry | WorkloadEntry);
    }
  }

  /** The revision this replica has applied. */
  get resourceVersion(): string {
    return this.feed.resourceVersion;
  }

  /** Resolves once the index reflects `version` (read-your-writes), or false after `timeoutMs`. */
  waitFor(version: string, timeoutMs: number): Promise<boolean> {
    return this.feed.waitFor(BigInt(version), timeoutMs);
  }

  /** Catches up with every write acknowledged before the call, on any replica. */
  catchUp(timeoutMs = 5000): Promise<boolean> {
    return this.feed.sync(timeoutMs);
  }
}
