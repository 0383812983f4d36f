import { WritePacer } from './write-pacer';

describe(WritePacer.name, () => {
  it('lets a second\'s worth through at once, then spaces the rest at the rate', () => {
    let now = 0;
    const sut = new WritePacer(4, () => now);
    expect([1, 2, 3, 4].map(() => sut.reserve())).toEqual([0, 0, 0, 0]);
    expect([sut.reserve(), sut.reserve()]).toEqual([250, 500]);
    now = 2000;
    // Two seconds pay back the two writes reserved on credit and refill the bucket, never beyond a second's worth.
    expect([1, 2, 3, 4, 5].map(() => sut.reserve())).toEqual([0, 0, 0, 0, 250]);
  });
});
