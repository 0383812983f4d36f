/** The reaper looks at the database at least this often (a new lease shorter than the known next deadline). */
export const MAX_SLEEP_MS = 1000;
/**
 * Passes start at most this often: each scans the lease table, and leases lapsing one after another (a
 * rack going away, a benchmark's spread) would otherwise wake it at every deadline, scanning back to back
 * and starving the renewals' statements. Still well inside the goal of expiry within a second.
 */
export const MIN_PASS_SPACING_MS = 200;

/**
 * How long the reaper sleeps after a pass: until the next thing due, at most MAX_SLEEP_MS, at least the
 * spacing, except when deletions are held back by their rate limit: those go at its pace (20/s, burst 1).
 */
export function nextPassDelayMs(nextWakeMs: number, nowMs: number, throttledDeletes: boolean): number {
  return Math.max(throttledDeletes ? 0 : MIN_PASS_SPACING_MS, Math.min(MAX_SLEEP_MS, nextWakeMs - nowMs));
}
