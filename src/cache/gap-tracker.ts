/**
 * Writers on every replica take revisions concurrently, so the change log can show revision N+1 while N
 * is still being committed. Readers must never deliver N+1 before N, nor skip N: they deliver only the
 * contiguous run after their position and wait at a missing revision. A revision that stays missing
 * belongs to a write that rolled back; after `fillAfterMs` the reader fills it (mr_fill_gap), which
 * either finds the real row committed meanwhile or marks the revision as taken by nothing (kine's rule).
 */
export interface Revisioned {
  resourceVersion: bigint;
}

export interface GapDecision<T> {
  /** Rows to deliver now: the contiguous run right after the position. */
  deliver: T[];
  /** The first revision missing after what is delivered, if rows beyond it were seen. */
  missing?: bigint;
  /** Set once `missing` has been missing for long enough: fill it. */
  fill?: bigint;
}

export class GapTracker {
  private waitingFor?: bigint;
  private since = 0;

  constructor(private readonly fillAfterMs: number) {}

  take<T extends Revisioned>(position: bigint, rows: readonly T[], now: number): GapDecision<T> {
    const deliver: T[] = [];
    let next = position + 1n;
    for (const row of rows) {
      if (row.resourceVersion < next) continue;
      if (row.resourceVersion !== next) break;
      deliver.push(row);
      next++;
    }
    if (deliver.length === rows.filter((row) => row.resourceVersion > position).length) {
      this.waitingFor = undefined;
      return { deliver };
    }
    if (this.waitingFor !== next) {
      this.waitingFor = next;
      this.since = now;
    }
    return { deliver, missing: next, ...(now - this.since >= this.fillAfterMs ? { fill: next } : {}) };
  }
}
