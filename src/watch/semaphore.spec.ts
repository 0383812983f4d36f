import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('lets `size` holders in at once, the next ones in order as others release', async () => {
    const sut = new Semaphore(2);
    const order: string[] = [];
    const a = await sut.acquire();
    const b = await sut.acquire();
    const c = sut.acquire().then((release) => (order.push('c'), release));
    const d = sut.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    (await c)();
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  it('ignores a second release', async () => {
    const sut = new Semaphore(1);
    const a = await sut.acquire();
    a();
    a();
    const b = await sut.acquire();
    let third = false;
    void sut.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    b();
  });
});
