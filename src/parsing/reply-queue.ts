/** Messages pushed by one side, awaited one at a time by the other; a failure ends the waiting. */
export class ReplyQueue<T> {
  private readonly items: T[] = [];
  private failure?: { error: unknown };
  private wake?: () => void;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake?.();
  }

  async next(): Promise<T> {
    for (;;) {
      if (this.items.length > 0) return this.items.shift()!;
      if (this.failure) throw this.failure.error;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
