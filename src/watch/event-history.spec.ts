import { KubeObject } from '../common/kube-object';
import { EventHistory } from './event-history';

const change = (name: string) => ({ type: 'ADDED' as const, object: { kind: 'WorkloadEntry', metadata: { name } } as KubeObject });
const revisions = (events: { resourceVersion: bigint }[] | undefined) => events?.map((e) => Number(e.resourceVersion));

describe(EventHistory.name, () => {
  it.each([
    ['everything after the position it started at', 10, [11, 12, 13], 10, [11, 12, 13]],
    ['the changes after a revision it holds', 10, [11, 12, 13], 12, [13]],
    ['nothing after the newest', 10, [11, 12, 13], 13, []],
    ['nothing before the position it started at', 10, [11, 12], 9, undefined],
    ['changes with gaps between their revisions', 10, [12, 15], 13, [15]],
  ])('answers %s', (_name, start, appended, after, expected) => {
    const sut = new EventHistory(10);
    sut.reset(BigInt(start));
    for (const rv of appended) sut.append(BigInt(rv), change(`o${rv}`));
    expect(revisions(sut.since(BigInt(after)))).toEqual(expected);
  });

  it('forgets the oldest changes past its capacity, and says so for revisions before them', () => {
    const sut = new EventHistory(3);
    sut.reset(0n);
    for (const rv of [1, 2, 3, 4, 5]) sut.append(BigInt(rv), change(`o${rv}`));
    expect(sut.size).toBe(3);
    expect(revisions(sut.since(3n))).toEqual([4, 5]);
    expect(revisions(sut.since(2n))).toEqual([3, 4, 5]);
    expect(sut.since(1n)).toBeUndefined();
  });
});
