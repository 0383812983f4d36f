/**
 * Callers waiting for the feed to reach a revision (read-your-writes, consistent reads). A waiter that
 * times out is removed at once, so callers that give up cost nothing afterwards.
 */
export class RevisionWaiters {
  private readonly waiting = new Set<{ revision: bigint; resolve: (reached: boolean) => void; timer: NodeJS.Timeout }>();

  wait(revision: bigint, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        revision,
        resolve,
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiting.add(waiter);
    });
  }

  /** Wakes everyone waiting for `position` or older. */
  release(position: bigint): void {
    for (const waiter of this.waiting) {
      if (waiter.revision > position) continue;
      clearTimeout(waiter.timer);
      this.waiting.delete(waiter);
      waiter.resolve(true);
    }
  }

  /** Shutdown: nobody waits on. */
  cancelAll(): void {
    for (const waiter of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiting.clear();
  }

  get size(): number {
    return this.waiting.size;
  }
}
