import { RateLimiter, WatchSlots } from './rate-limit';

const clockAt = (start = 0) => {
  const clock = { time: start, now: () => clock.time };
  return clock;
};

describe('RateLimiter', () => {
  it('allows a burst of twice the rate, then asks to wait until a token refills', () => {
    const clock = clockAt();
    const limiter = new RateLimiter(2, clock);
    expect([1, 2, 3, 4].map(() => limiter.take('t'))).toEqual([0, 0, 0, 0]);
    expect(limiter.take('t')).toBe(1);
    clock.time += 499;
    expect(limiter.take('t')).toBe(1);
    clock.time += 1;
    expect(limiter.take('t')).toBe(0);
    expect(limiter.take('other')).toBe(0);
  });

  it('asks for whole seconds, at least one, when the rate is below one a second', () => {
    const clock = clockAt();
    const limiter = new RateLimiter(0.25, clock);
    expect(limiter.take('t')).toBe(0);
    expect(limiter.take('t')).toBe(4);
  });

  it('never limits at rate 0', () => {
    const limiter = new RateLimiter(0, clockAt());
    for (let i = 0; i < 1000; i++) expect(limiter.take('t')).toBe(0);
  });

  it('forgets buckets that have refilled', () => {
    const clock = clockAt();
    const limiter = new RateLimiter(10, clock);
    limiter.take('a');
    limiter.take('b');
    clock.time += 50;
    limiter.take('b');
    clock.time += 60;
    limiter.sweep();
    expect(limiter.size).toBe(1);
  });
});

describe('WatchSlots', () => {
  it('allows the cap, refuses the next, and frees a slot once per release', () => {
    const slots = new WatchSlots(2);
    const first = slots.acquire('t')!;
    expect(slots.acquire('t')).toBeDefined();
    expect(slots.acquire('t')).toBeUndefined();
    expect(slots.acquire('u')).toBeDefined();
    first();
    first();
    expect(slots.count('t')).toBe(1);
    expect(slots.acquire('t')).toBeDefined();
    expect(slots.acquire('t')).toBeUndefined();
  });
});
