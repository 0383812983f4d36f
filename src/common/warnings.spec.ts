import { boundedWarnings, WARNING_ITEM_CHARS, WARNINGS_TOTAL_CHARS, warningHeaderValue } from './warnings';

describe('boundedWarnings', () => {
  const long = (char: string, length: number) => char.repeat(length);

  it.each([
    ['none', [], []],
    ['duplicates once', ['a', 'a', 'b'], ['a', 'b']],
    ['all of them while they fit', [long('a', 2000), long('b', 2000)], [long('a', 2000), long('b', 2000)]],
  ])('%s', (_name, input, expected) => {
    expect(boundedWarnings(input)).toEqual(expected);
  });

  it('cuts each to 256 characters once the total passes 4096', () => {
    const out = boundedWarnings([long('a', 3000), long('b', 3000), 'short']);
    expect(out).toEqual([`${long('a', WARNING_ITEM_CHARS - 3)}...`, `${long('b', WARNING_ITEM_CHARS - 3)}...`, 'short']);
  });

  it('drops what does not fit even when cut', () => {
    const many = Array.from({ length: 100 }, (_, i) => `${i} ${long('x', 300)}`);
    const out = boundedWarnings(many);
    expect(out.reduce((sum, text) => sum + text.length, 0)).toBeLessThanOrEqual(WARNINGS_TOTAL_CHARS);
    expect(out).toHaveLength(Math.floor(WARNINGS_TOTAL_CHARS / WARNING_ITEM_CHARS));
    expect(out[0].startsWith('0 ')).toBe(true);
  });
});

describe('warningHeaderValue', () => {
  it.each([
    ['plain', 'ok', '299 - "ok"'],
    ['one line', 'a\r\nb', '299 - "a b"'],
    ['quotes and backslashes escaped', 'say "x\\y"', '299 - "say \\"x\\\\y\\""'],
    ['non-ASCII replaced', 'café', '299 - "caf?"'],
  ])('%s', (_name, text, expected) => {
    expect(warningHeaderValue(text)).toBe(expected);
  });
});
