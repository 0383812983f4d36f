import { NextRun } from './next-run';

/** A piece of work whose runs the test finishes one by one. */
function controllable() {
  const runs: { finish: (value: number) => void; fail: (error: Error) => void }[] = [];
  const work = () => new Promise<number>((finish, fail) => runs.push({ finish, fail }));
  return { work, runs };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(NextRun.name, () => {
  it('runs at once when idle', async () => {
    const { work, runs } = controllable();
    const sut = new NextRun(work);
    const call = sut.run();
    runs[0].finish(7);
    await expect(call).resolves.toBe(7);
    expect(runs).toHaveLength(1);
  });

  it('answers calls made during a run with one shared run that starts after it', async () => {
    const { work, runs } = controllable();
    const sut = new NextRun(work);
    const early = sut.run();
    const late = [sut.run(), sut.run(), sut.run()];
    expect(runs).toHaveLength(1);
    runs[0].finish(5);
    await expect(early).resolves.toBe(5);
    await settle();
    expect(runs).toHaveLength(2);
    runs[1].finish(9);
    await expect(Promise.all(late)).resolves.toEqual([9, 9, 9]);
  });

  it('goes on after a failed run', async () => {
    const { work, runs } = controllable();
    const sut = new NextRun(work);
    const first = sut.run();
    const second = sut.run();
    runs[0].fail(new Error('down'));
    await expect(first).rejects.toThrow('down');
    await settle();
    runs[1].finish(3);
    await expect(second).resolves.toBe(3);
  });

  it('is idle only once the queued run is done too', async () => {
    const { work, runs } = controllable();
    const sut = new NextRun(work);
    void sut.run();
    void sut.run();
    let idle = false;
    void sut.idle().then(() => (idle = true));
    runs[0].finish(1);
    await settle();
    expect(idle).toBe(false);
    runs[1].finish(2);
    await settle();
    expect(idle).toBe(true);
  });
});
