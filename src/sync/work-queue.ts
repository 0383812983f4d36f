/**
 * Keys waiting to be worked on, as client-go's workqueue keeps them: a key is queued at most once
 * however often it changes (so the queue is bounded by the number of objects, not by the rate of
 * events), never handed to two workers at once, and queued again if it changed while being worked on.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private waiters: Array<(key: string | undefined) => void> = [];
  private closed = false;

  add(key: string): void {
    if (this.closed) return;
    this.cancelDelay(key);
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.queued.delete(key);
      this.processing.add(key);
      waiter(key);
    } else this.queue.push(key);
  }

  /** Adds `key` after `ms`, unless it is added sooner (a newer change goes at once). */
  addAfter(key: string, ms: number): void {
    if (this.closed || this.delayed.has(key) || this.queued.has(key)) return;
    const timer = setTimeout(() => (this.delayed.delete(key), this.add(key)), ms);
    timer.unref();
    this.delayed.set(key, timer);
  }

  /** The next key, once there is one; undefined once the queue is closed. */
  next(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key === undefined) return new Promise((resolve) => this.waiters.push(resolve));
    this.queued.delete(key);
    this.processing.add(key);
    return Promise.resolve(key);
  }

  /** The worker is finished with `key`; a change that came meanwhile queues it again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  /** Keys queued, being worked on, or waiting for a retry. */
  get size(): number {
    return new Set([...this.queued, ...this.processing, ...this.delayed.keys()]).size;
  }

  /** Nothing queued or in progress (retries waiting on a timer do not count: they are failures, not pending work). */
  get idle(): boolean {
    return this.queued.size === 0 && this.processing.size === 0;
  }

  close(): void {
    this.closed = true;
    this.delayed.forEach(clearTimeout);
    this.delayed.clear();
    this.waiters.forEach((resolve) => resolve(undefined));
    this.waiters = [];
  }

  private cancelDelay(key: string): void {
    const timer = this.delayed.get(key);
    if (timer) clearTimeout(timer);
    this.delayed.delete(key);
  }
}
