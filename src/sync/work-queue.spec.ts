import { WorkQueue } from './work-queue';

describe(WorkQueue.name, () => {
  it('queues a key once however often it is added, in the order first added', async () => {
    const sut = new WorkQueue();
    ['a', 'b', 'a', 'c', 'b'].forEach((k) => sut.add(k));
    expect(sut.size).toBe(3);
    expect([await sut.next(), await sut.next(), await sut.next()]).toEqual(['a', 'b', 'c']);
  });

  it('never hands one key to two workers, and queues it again when it changed while being worked on', async () => {
    const sut = new WorkQueue();
    sut.add('a');
    const first = await sut.next();
    sut.add('a');
    const second = sut.next();
    let got: string | undefined;
    void second.then((k) => (got = k));
    await Promise.resolve();
    expect(got).toBeUndefined();
    sut.done(first!);
    expect(await second).toBe('a');
  });

  it('wakes a waiting worker, and ends every waiter on close', async () => {
    const sut = new WorkQueue();
    const waiting = sut.next();
    sut.add('x');
    expect(await waiting).toBe('x');
    const more = sut.next();
    sut.close();
    expect(await more).toBeUndefined();
  });

  it('retries after a delay, unless a change comes sooner; a waiting retry is not pending work', async () => {
    jest.useFakeTimers();
    try {
      const sut = new WorkQueue();
      sut.addAfter('a', 1000);
      expect(sut.idle).toBe(true);
      expect(sut.size).toBe(1);
      jest.advanceTimersByTime(999);
      expect(sut.idle).toBe(true);
      jest.advanceTimersByTime(1);
      expect(sut.idle).toBe(false);
      expect(await sut.next()).toBe('a');
      sut.done('a');
      sut.addAfter('b', 1000);
      sut.add('b');
      expect(await sut.next()).toBe('b');
      jest.advanceTimersByTime(2000);
      sut.done('b');
      expect(sut.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
