/**
 * Where time comes from for decisions that tests must control (token expiry, rate-limit refills):
 * the system clock in production, a clock the test sets in tests. Never Postgres `now()` for these.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
