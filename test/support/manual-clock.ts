import { Clock } from '../../src/common/clock';

/** A clock the test moves: token expiry and rate-limit refills follow it, never the wall clock. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-12-01T12:00:00Z')) {}

  now(): number {
    return this.time;
  }

  advance(seconds: number): void {
    this.time += seconds * 1000;
  }
}
