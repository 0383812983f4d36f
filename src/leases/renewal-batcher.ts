import { NextRun } from '../cache/next-run';
import { Renewal, Renewed } from '../store/lease.repository';

/** Renewals written in one statement at most; more wait for the next flush. */
const MAX_BATCH = 5000;

interface Pending {
  renewal: Renewal;
  waiters: { resolve(renewed: Renewed | undefined): void; reject(error: unknown): void }[];
}

/**
 * Group commit of lease renewals: a renewal joins the pending batch, and one flush is in flight at a
 * time; the renewals arriving meanwhile share the next. Under load a flush carries thousands of
 * renewals in one round trip; when idle, a renewal waits `delayMs` (to gather company) plus one round
 * trip. A caller is answered only once its renewal is committed, so a crash of this replica loses no
 * renewal it acknowledged.
 */
export class RenewalBatcher {
  private readonly pending = new Map<string, Pending>();
  private readonly runner = new NextRun(() => this.flush());

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
      // A later renewal of the same key in the same batch replaces it (the newer time wins).
      this.pending.set(key, { renewal, waiters: [...(known?.waiters ?? []), { resolve, reject }] });
      void this.runner.run().catch(() => undefined);
    });
  }

  /** Waits for every pending renewal to be written (shutdown). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  private async flush(): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const taken: [string, Pending][] = [];
    for (const entry of this.pending) {
      if (taken.length >= MAX_BATCH) break;
      taken.push(entry);
    }
    for (const [key] of taken) this.pending.delete(key);
    if (taken.length === 0) return;
    const started = process.hrtime.bigint();
    try {
      const results = await this.write(taken.map(([, p]) => p.renewal));
      for (const [key, { waiters }] of taken) for (const waiter of waiters) waiter.resolve(results.get(key));
    } catch (error) {
      for (const [, { waiters }] of taken) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.onFlush(taken.length, Number(process.hrtime.bigint() - started) / 1e9);
      // More than one batch was waiting: the rest go next.
      if (this.pending.size > 0) void this.runner.run().catch(() => undefined);
    }
  }
}
