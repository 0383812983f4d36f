import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** How long a long synchronous job (an import's planning, its findings, its report) runs before it lets other requests in. */
export const DEFAULT_SLICE_MS = 5;

/**
 * Cuts a long loop into slices of time, not of items: an item's cost differs tenfold between machines
 * and between kinds of work, and a count that kept a fast machine's loop free held a slow one for 300 ms.
 * `await slice.yieldIfDue()` after each item: at once while the slice lasts, after a turn of the event
 * loop (pending requests answered) once it is spent.
 */
export class TimeSlice {
  private started: number;

  constructor(
    private readonly sliceMs = DEFAULT_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  async yieldIfDue(): Promise<void> {
    if (this.now() - this.started < this.sliceMs) return;
    await yieldToEventLoop();
    this.started = this.now();
  }
}
