import { Renewal, Renewed } from '../store/lease.repository';

/** Renewals written in one statement at most; more wait for the next flush. */
const MAX_BATCH = 5000;
/** Flushes in flight at once; a second one starts only when this many renewals are already waiting. */
const MAX_IN_FLIGHT = 4;
const OVERLAP_AT = 64;

interface Waiter {
  resolve(renewed: Renewed | undefined): void;
  reject(error: unknown): void;
}

/** One key's renewal and who waits for it (more than one caller when the key was renewed twice in one batch). */
interface Pending {
  renewal: Renewal;
  waiters: Waiter[];
}

/**
 * Group commit of lease renewals: a renewal joins the pending batch, which one statement writes. When no
 * flush is in flight, the next starts after `delayMs` (to gather company); while one is, renewals queue
 * up, and another flush overlaps it only once OVERLAP_AT are waiting (at most MAX_IN_FLIGHT), so under
 * load each round trip carries hundreds of renewals and the database's latency does not cap the rate. A
 * caller is answered only once its renewal is committed, so a crash of this replica loses no renewal it
 * acknowledged.
 */
export class RenewalBatcher {
  private pending = new Map<string, Pending>();
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private readonly drained: (() => void)[] = [];

  constructor(
    private readonly write: (batch: Renewal[]) => Promise<Map<string, Renewed>>,
    private readonly delayMs: number,
    private readonly onFlush: (size: number, seconds: number) => void = () => undefined,
  ) {}

  /** Undefined when nothing was renewed: the entry (with that uid) does not exist. */
  renew(renewal: Renewal): Promise<Renewed | undefined> {
    const key = `${renewal.namespace}/${renewal.name}`;
    return new Promise((resolve, reject) => {
      const known = this.pending.get(key);
      if (known) {
        // A later renewal of the same key in the same batch replaces it (the newer time wins).
        known.renewal = renewal;
        known.waiters.push({ resolve, reject });
      } else {
        this.pending.set(key, { renewal, waiters: [{ resolve, reject }] });
      }
      this.kick();
    });
  }

  /** Resolves when nothing is pending or in flight (shutdown). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private kick(): void {
    if (this.pending.size === 0) return;
    if (this.inFlight === 0) {
      if (this.delayMs === 0) return void this.flush();
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.delayMs);
      return;
    }
    if (this.inFlight < MAX_IN_FLIGHT && this.pending.size >= OVERLAP_AT) void this.flush();
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const taken = this.take();
    if (taken.size === 0) return;
    this.inFlight++;
    const started = process.hrtime.bigint();
    try {
      const results = await this.write(Array.from(taken.values(), (p) => p.renewal));
      for (const [key, { waiters }] of taken) for (const waiter of waiters) waiter.resolve(results.get(key));
    } catch (error) {
      for (const { waiters } of taken.values()) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.inFlight--;
      this.onFlush(taken.size, Number(process.hrtime.bigint() - started) / 1e9);
      if (this.pending.size > 0) {
        // What queued meanwhile goes now: it has waited a round trip already.
        if (this.inFlight === 0) void this.flush();
        else this.kick();
      } else if (this.inFlight === 0) this.drained.splice(0).forEach((resolve) => resolve());
    }
  }

  /**
   * The next batch: the whole pending map when it fits (a fresh map takes its place, so under load no map
   * is grown and shrunk entry by entry), else its first MAX_BATCH keys.
   */
  private take(): Map<string, Pending> {
    if (this.pending.size <= MAX_BATCH) {
      const taken = this.pending;
      this.pending = new Map();
      return taken;
    }
    const taken = new Map<string, Pending>();
    for (const [key, pending] of this.pending) {
      if (taken.size >= MAX_BATCH) break;
      taken.set(key, pending);
    }
    for (const key of taken.keys()) this.pending.delete(key);
    return taken;
  }
}
