import { NextRun } from '../cache/next-run';
import { Renewal, Renewed } from '../store/lease.repository';

/** Renewals written in one statement at most; more wait for the next flush. */
const MAX_BATCH = 5000;

/**
 * Group commit of lease renewals: a renewal joins the pending batch and waits for the flush that starts
 * after it; one flush is in flight at a time, and the renewals arriving meanwhile share the next. Under
 * load a flush carries thousands of renewals in one round trip; when idle, a renewal waits `delayMs`
 * (to gather company) plus one round trip. A caller is answered only once its renewal is committed, so
 * a crash of this replica loses no renewal it acknowledged.
 */
export class RenewalBatcher {
  private pending = new Map<string, Renewal>();
  private readonly runner = new NextRun(() => this.flush());

  constructor(
    private readonly write: (batch: Renewal[]) => Promise<Map<string, Renewed>>,
    private readonly delayMs: number,
    private readonly onFlush: (size: number, seconds: number) => void = () => undefined,
  ) {}

  /** Undefined when nothing was renewed: the entry (with that uid) does not exist. */
  async renew(renewal: Renewal): Promise<Renewed | undefined> {
    const key = `${renewal.namespace}/${renewal.name}`;
    for (;;) {
      // A later renewal of the same key in the same batch replaces it (the newer time wins).
      if (this.pending.size < MAX_BATCH || this.pending.has(key)) this.pending.set(key, renewal);
      else {
        await this.runner.run();
        continue;
      }
      const results = await this.runner.run();
      if (results.flushed.has(key)) return results.get(key);
      // Not in that flush (the batch was full): the next one.
    }
  }

  /** Waits for every pending renewal to be written (shutdown). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  private async flush(): Promise<Map<string, Renewed> & { flushed: Set<string> }> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const batch: Renewal[] = [];
    for (const [key, renewal] of this.pending) {
      if (batch.length >= MAX_BATCH) break;
      batch.push(renewal);
      this.pending.delete(key);
    }
    const flushed = new Set(batch.map((r) => `${r.namespace}/${r.name}`));
    if (batch.length === 0) return Object.assign(new Map<string, Renewed>(), { flushed });
    const started = process.hrtime.bigint();
    try {
      const results = await this.write(batch);
      return Object.assign(results, { flushed });
    } finally {
      this.onFlush(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
