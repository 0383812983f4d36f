/**
 * Runs `work` one at a time, and lets concurrent callers share runs: a call is answered by the next run
 * that starts after it (never by one already in flight, which may have read the world before the call).
 * At most one run is queued behind the one in flight, however many callers arrive meanwhile.
 *
 * Used for the change feed's catch-up (every notification, poll and waiter asks for "a catch-up after
 * now") and for consistent reads, which share one `max(revision)` query per round trip: a read must not
 * be answered by a query older than a write it saw acknowledged.
 */
export class NextRun<T> {
  private inFlight?: Promise<T>;
  private queued?: Promise<T>;

  constructor(private readonly work: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.inFlight) return this.start();
    this.queued ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  /** Resolves when no run is in flight or queued (errors ignored). */
  async idle(): Promise<void> {
    while (this.inFlight || this.queued) await (this.queued ?? this.inFlight)!.catch(() => undefined);
  }

  private startQueued(): Promise<T> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<T> {
    const run = this.work();
    this.inFlight = run;
    const done = () => {
      if (this.inFlight === run) this.inFlight = undefined;
    };
    run.then(done, done);
    return run;
  }
}
