import { runInNewContext } from 'node:vm';
import { jsonEqual } from './json-equal';

describe(jsonEqual.name, () => {
  it.each([
    ['equal scalars', 1, 1, true],
    ['different scalars', 1, 2, false],
    ['a number and its string', 1, '1', false],
    ['null and an empty object', null, {}, false],
    ['objects in another key order', { a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    ['an extra key', { a: 1 }, { a: 1, b: undefined }, false],
    ['arrays of another length', [1], [1, 2], false],
    ['an array and an object', [], {}, false],
    ['nested difference', { a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, false],
  ])('%s', (_name, a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
    expect(jsonEqual(b, a)).toBe(expected);
  });

  it('sees the same data built in another realm as equal (structuredClone under Jest)', () => {
    const foreign = runInNewContext('({ spec: { address: "10.0.0.1", ports: { http: 8080 } }, list: [1, 2] })');
    expect(jsonEqual(foreign, { spec: { address: '10.0.0.1', ports: { http: 8080 } }, list: [1, 2] })).toBe(true);
  });
});
