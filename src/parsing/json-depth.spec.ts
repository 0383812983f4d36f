import { offsetTooDeep } from './json-depth';

describe('offsetTooDeep', () => {
  it.each<[string, string, number, number]>([
    ['a flat object', '{"a":1,"b":"x"}', 1, -1],
    ['exactly at the limit', '{"a":[{"b":[]}]}', 4, -1],
    ['one level past it, at the bracket that goes too deep', '{"a":[{"b":[]}]}', 3, 11],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, -1],
    ['escaped quotes inside strings', '{"a":"\\"[[[["}', 1, -1],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[1]]}', 2, 15],
    ['siblings do not add up', '[[],[],[],[]]', 2, -1],
    ['5,000 levels', '['.repeat(5000) + ']'.repeat(5000), 100, 100],
    ['an unterminated string', '{"a":"[[[[', 1, -1],
  ])('%s', (_title, text, maxDepth, expected) => {
    expect(offsetTooDeep(text, maxDepth)).toBe(expected);
  });
});
