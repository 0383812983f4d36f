import { sortKeysDeep } from './sort-keys';

describe('sortKeysDeep', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: 1, x: [{ d: 1, c: 2 }] } }, '{"z":{"x":[{"c":2,"d":1}],"y":1}}'],
    [[3, 1, 2], '[3,1,2]'],
    [null, 'null'],
    ['s', '"s"'],
  ])('%j', (input, expected) => {
    expect(JSON.stringify(sortKeysDeep(input))).toBe(expected);
  });
});
