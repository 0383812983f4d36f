import { MAX_SLEEP_MS, MIN_PASS_SPACING_MS, nextPassDelayMs } from './reaper-schedule';

describe(nextPassDelayMs.name, () => {
  it.each<[string, number, boolean, number]>([
    ['nothing due soon: the longest sleep', 5000, false, MAX_SLEEP_MS],
    ['a deadline in 500 ms', 500, false, 500],
    ['a deadline in 10 ms: the spacing', 10, false, MIN_PASS_SPACING_MS],
    ['a deadline already past: the spacing', -30, false, MIN_PASS_SPACING_MS],
    ['throttled deletions due in 50 ms: at the limiter’s pace', 50, true, 50],
    ['throttled deletions, something past due: at once', -5, true, 0],
    ['throttled deletions never sleep past the longest sleep', 5000, true, MAX_SLEEP_MS],
  ])('%s', (_, inMs, throttled, expected) => {
    expect(nextPassDelayMs(10_000 + inMs, 10_000, throttled)).toBe(expected);
  });
});
