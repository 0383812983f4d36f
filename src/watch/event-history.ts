import { CacheEvent } from '../cache/object-cache';

export interface HistoricEvent {
  resourceVersion: bigint;
  event: CacheEvent;
}

/**
 * The most recent changes, in order, kept in memory so that a watch resuming from a recent
 * resourceVersion replays them without the database. It knows where its knowledge starts: it can
 * answer "the changes after N" only for N at or after `floor`.
 */
export class EventHistory {
  private readonly ring: (HistoricEvent | undefined)[];
  private start = 0;
  private length = 0;
  private floor = 0n;

  constructor(private readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  /** Starts over at `position` (the cache was reloaded): nothing before it is known. */
  reset(position: bigint): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.length = 0;
    this.floor = position;
  }

  append(resourceVersion: bigint, event: CacheEvent): void {
    if (this.length === this.capacity) {
      this.floor = this.ring[this.start]!.resourceVersion;
      this.start = (this.start + 1) % this.capacity;
      this.length--;
    }
    this.ring[(this.start + this.length) % this.capacity] = { resourceVersion, event };
    this.length++;
  }

  /** The changes after `after`, oldest first; undefined when some of them are no longer here. */
  since(after: bigint): HistoricEvent[] | undefined {
    if (after < this.floor) return undefined;
    const found: HistoricEvent[] = [];
    for (let i = 0; i < this.length; i++) {
      const entry = this.ring[(this.start + i) % this.capacity]!;
      if (entry.resourceVersion > after) found.push(entry);
    }
    return found;
  }

  get size(): number {
    return this.length;
  }
}
