/**
 * A token bucket for one cluster's writes: `perSecond` on average, bursts of one second's worth.
 * Each write reserves its slot and is told how long to wait for it, so concurrent workers queue up
 * fairly instead of all retrying at once.
 */
export class WritePacer {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perSecond;
    this.at = now();
  }

  /** Milliseconds to wait before the write this reserves may go. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond);
  }
}
