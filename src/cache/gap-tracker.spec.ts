import { GapTracker } from './gap-tracker';

const rows = (...revisions: number[]) => revisions.map((r) => ({ resourceVersion: BigInt(r) }));
const revisions = (list: { resourceVersion: bigint }[]) => list.map((r) => Number(r.resourceVersion));

describe(GapTracker.name, () => {
  it.each([
    ['a contiguous run is delivered whole', 4, [5, 6, 7], [5, 6, 7], undefined],
    ['nothing new', 4, [], [], undefined],
    ['delivery stops before a missing revision', 4, [5, 7, 8], [5], 6],
    ['a missing first revision delivers nothing', 4, [6, 7], [], 5],
    ['rows at or below the position are skipped', 6, [5, 6, 7], [7], undefined],
  ])('%s', (_name, position, read, delivered, missing) => {
    const decision = new GapTracker(500).take(BigInt(position), rows(...read), 0);
    expect(revisions(decision.deliver)).toEqual(delivered);
    expect(decision.missing).toBe(missing === undefined ? undefined : BigInt(missing));
    expect(decision.fill).toBeUndefined();
  });

  it('fills a revision only once it has been missing for the whole wait, counted from first sight', () => {
    const sut = new GapTracker(500);
    expect(sut.take(4n, rows(6), 1000).fill).toBeUndefined();
    expect(sut.take(4n, rows(6, 7), 1499).fill).toBeUndefined();
    expect(sut.take(4n, rows(6, 7), 1500).fill).toBe(5n);
  });

  it('starts the wait afresh for the next missing revision', () => {
    const sut = new GapTracker(500);
    sut.take(4n, rows(6), 1000);
    expect(sut.take(4n, rows(5, 6, 8), 1600)).toMatchObject({ missing: 7n });
    expect(sut.take(6n, rows(8), 1700).fill).toBeUndefined();
    expect(sut.take(6n, rows(8), 2100).fill).toBe(7n);
  });

  it('forgets a wait once the revision arrives', () => {
    const sut = new GapTracker(500);
    sut.take(4n, rows(6), 1000);
    expect(sut.take(4n, rows(5, 6), 1100).missing).toBeUndefined();
    expect(sut.take(6n, rows(8), 1700).fill).toBeUndefined();
  });
});
