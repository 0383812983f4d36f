import { RevisionWaiters } from './revision-waiters';

describe(RevisionWaiters.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes waiters once the position reaches their revision, and only them', async () => {
    const sut = new RevisionWaiters();
    const early = sut.wait(5n, 1000);
    const late = sut.wait(9n, 1000);
    sut.release(6n);
    await expect(early).resolves.toBe(true);
    expect(sut.size).toBe(1);
    sut.release(9n);
    await expect(late).resolves.toBe(true);
    expect(sut.size).toBe(0);
  });

  it('forgets a waiter that timed out', async () => {
    const sut = new RevisionWaiters();
    const waiting = sut.wait(5n, 1000);
    jest.advanceTimersByTime(1000);
    await expect(waiting).resolves.toBe(false);
    expect(sut.size).toBe(0);
  });

  it('lets nobody wait past shutdown', async () => {
    const sut = new RevisionWaiters();
    const waiting = sut.wait(5n, 60_000);
    sut.cancelAll();
    await expect(waiting).resolves.toBe(false);
    expect(sut.size).toBe(0);
  });
});
