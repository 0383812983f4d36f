import { AnswerCache } from './answer-cache';

describe(AnswerCache.name, () => {
  it('reuses an answer at the same revision only', () => {
    const sut = new AnswerCache<string>(10);
    expect(sut.get('1', 'q')).toBeUndefined();
    sut.set('1', 'q', 'a');
    expect(sut.get('1', 'q')).toBe('a');
    expect(sut.get('2', 'q')).toBeUndefined();
    expect(sut.get('1', 'q')).toBeUndefined();
  });

  it('ignores an answer computed at a revision that is no longer current', () => {
    const sut = new AnswerCache<string>(10);
    sut.get('2', 'q');
    sut.set('1', 'q', 'stale');
    expect(sut.get('2', 'q')).toBeUndefined();
  });

  it('drops the oldest answer beyond its capacity', () => {
    const sut = new AnswerCache<string>(2);
    sut.get('1', 'x');
    sut.set('1', 'a', 'A');
    sut.set('1', 'b', 'B');
    sut.set('1', 'c', 'C');
    expect([sut.get('1', 'a'), sut.get('1', 'b'), sut.get('1', 'c')]).toEqual([undefined, 'B', 'C']);
  });
});
