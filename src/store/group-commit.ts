/**
 * Group commit for single writes: while `maxInFlight` transactions are already on their way, the writes
 * that arrive wait and then go together, as one transaction (one commit, one WAL flush) of up to
 * `maxBatch` operations. Under load that turns N commits into a few; alone, a write goes at once.
 *
 * A batch never holds the same key twice (the write function reads every current row before it writes),
 * and a batch that fails as a whole is retried one write at a time, so one bad write fails only itself.
 */
export interface Batchable<P> {
  /** Identity of the object written: two writes of one key never share a batch. */
  key: string;
  payload: P;
}

interface Waiting<P, R> extends Batchable<P> {
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<P, R> {
  private readonly queue: Waiting<P, R>[] = [];
  private inFlight = 0;

  constructor(
    /** Sends the payloads as one transaction; answers one result per payload, in order. */
    private readonly send: (payloads: P[]) => Promise<R[]>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, payload: P): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, payload, resolve, reject });
      this.pump();
    });
  }

  /** Writes queued, not yet sent (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      void this.flush(this.takeBatch());
    }
  }

  /** The oldest writes, up to maxBatch, skipping (and keeping in order) any whose key is already taken. */
  private takeBatch(): Waiting<P, R>[] {
    const batch: Waiting<P, R>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch; ) {
      const write = this.queue[i];
      if (keys.has(write.key)) {
        i++;
        continue;
      }
      keys.add(write.key);
      batch.push(write);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async flush(batch: Waiting<P, R>[]): Promise<void> {
    this.inFlight++;
    try {
      const results = await this.sendEach(batch);
      results.forEach((outcome, i) => ('error' in outcome ? batch[i].reject(outcome.error) : batch[i].resolve(outcome.result)));
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  private async sendEach(batch: Waiting<P, R>[]): Promise<({ result: R } | { error: unknown })[]> {
    try {
      const results = await this.send(batch.map((write) => write.payload));
      return results.map((result) => ({ result }));
    } catch (error) {
      if (batch.length === 1) return [{ error }];
      // The whole transaction rolled back: nothing of it was written. Each write alone, then.
      return Promise.all(batch.map((write) => this.send([write.payload]).then(([result]) => ({ result }), (alone: unknown) => ({ error: alone }))));
    }
  }
}
