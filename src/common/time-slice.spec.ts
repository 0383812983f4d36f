import { TimeSlice } from './time-slice';

/** Whether `slice.yieldIfDue()` gave the event loop a turn: an immediate queued before it ran by then. */
async function yielded(slice: TimeSlice): Promise<boolean> {
  let ran = false;
  const immediate = setImmediate(() => (ran = true));
  await slice.yieldIfDue();
  clearImmediate(immediate);
  return ran;
}

describe(TimeSlice.name, () => {
  it.each<[string, number[], boolean[]]>([
    ['within the slice', [0, 1, 4.9], [false, false, false]],
    ['once it is spent, then a new slice', [0, 5, 6, 9.9, 10], [false, true, false, false, true]],
    ['a long item', [0, 300, 301], [false, true, false]],
  ])('yields %s', async (_, times, expected) => {
    let now = 0;
    const slice = new TimeSlice(5, () => now);
    const seen: boolean[] = [];
    for (const t of times) {
      now = t;
      seen.push(await yielded(slice));
    }
    expect(seen).toEqual(expected);
  });
});
