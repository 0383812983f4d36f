import { localityPriority } from './locality';

describe('locality priority', () => {
  it.each([
    [undefined, 'us/east/a', 0],
    ['', 'eu/west/b', 0],
    ['us/east/a', 'us/east/a', 0],
    ['us/east/a', 'us/east/b', 1],
    ['us/east/a', 'us/west/a', 2],
    ['us/east/a', 'eu/east/a', 3],
    ['us/east/a', null, 3],
    ['us', 'us', 0],
    ['us', 'us/east', 2],
    ['us/east', 'us/east/a', 1],
    ['us/east/a/rack1', 'us/east/a/rack2', 0],
  ])('caller %s, endpoint %s → %i', (caller, endpoint, expected) => {
    expect(localityPriority(caller, endpoint)).toBe(expected);
  });
});
