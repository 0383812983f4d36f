import { Clock } from '../common/clock';

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many keys, idle (full) buckets are dropped; if none is idle, new keys wait their turn. */
const MAX_KEYS = 100_000;

/**
 * Token buckets, one a key (a token id, a source address): `ratePerSecond` requests a second on
 * average, bursts of twice that. Refilled from the clock at each take, so no timers run per key.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(1, ratePerSecond * 2);
  }

  /** 0 when the request may go ahead; otherwise the whole seconds to wait before the next one would. */
  take(key: string): number {
    if (this.ratePerSecond === 0) return 0;
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.ratePerSecond) / 1000);
      bucket.at = now;
    } else {
      if (this.buckets.size >= MAX_KEYS && !this.sweep(now)) return 1;
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Drops the buckets that have refilled (their keys start over full anyway); true if any went. */
  sweep(now = this.clock.now()): boolean {
    const before = this.buckets.size;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.ratePerSecond) / 1000 >= this.capacity) this.buckets.delete(key);
    }
    return this.buckets.size < before;
  }

  get size(): number {
    return this.buckets.size;
  }
}

/**
 * Concurrent watches per token. A watch is never refused by the request budgets (an informer that gets
 * a 429 stops for good), only past this cap; an established watch is never cut by a limit.
 */
export class WatchSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perToken: number) {}

  /** A release function (call it once, when the watch ends), or undefined when the cap is reached. */
  acquire(key: string): (() => void) | undefined {
    const count = this.open.get(key) ?? 0;
    if (this.perToken > 0 && count >= this.perToken) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
