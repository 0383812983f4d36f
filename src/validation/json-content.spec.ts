import { contentFindings } from './json-content';
import { storedTextProblem, urlTextProblem } from './text';

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });

describe('contentFindings', () => {
  it.each<[string, unknown, { field: string; reason: string; message: RegExp }[]]>([
    ['an ordinary object', { spec: { address: '1.1.1.1', labels: { constructor: 'x', prototype: 'y' } }, status: { a: [1, 'é', '👍'] } }, []],
    ['multi-line text and tabs', { metadata: { annotations: { note: 'a\n\tb' } } }, []],
    ['a NUL in a value', { spec: { address: 'a\u0000b' } },
      [{ field: 'spec.address', reason: 'FieldValueInvalid', message: /^Invalid value: "a\\u0000b": must not contain the NUL character \(U\+0000\)$/ }]],
    ['a NUL in a key', { status: { 'k\u0000': 1 } }, [{ field: 'status.k\u0000', reason: 'FieldValueInvalid', message: /NUL character/ }]],
    ['a lone high surrogate in a list item', { spec: { hosts: ['ok', 'x\ud800'] } },
      [{ field: 'spec.hosts[1]', reason: 'FieldValueInvalid', message: /must be valid Unicode: it holds a lone UTF-16 surrogate/ }]],
    ['a lone low surrogate', { status: { s: '\udc00' } }, [{ field: 'status.s', reason: 'FieldValueInvalid', message: /lone UTF-16 surrogate/ }]],
    ['a __proto__ key, however deep', JSON.parse('{"spec":{"labels":{"__proto__":{"polluted":"yes"}}}}'),
      [{ field: 'spec.labels.__proto__', reason: 'FieldValueForbidden', message: /^Forbidden: the key "__proto__" is not allowed$/ }]],
    ['nesting within the limit', { status: nested(99) }, []],
    ['nesting past the limit', { status: nested(150) },
      [{ field: `status${'.a'.repeat(99)}`, reason: 'FieldValueInvalid', message: /^Invalid value: "object": must not be nested more than 100 levels deep$/ }]],
  ])('%s', (_title, value, expected) => {
    expect(contentFindings(value)).toEqual(expected.map((e) => ({ ...e, message: expect.stringMatching(e.message) })));
  });

  it('reports at most 20 causes', () => {
    expect(contentFindings({ status: { list: Array(500).fill('\u0000') } })).toHaveLength(20);
  });
});

describe('storedTextProblem and urlTextProblem', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['plain', undefined, undefined],
    ['tab\there', undefined, 'must not contain control characters'],
    ['new\nline', undefined, 'must not contain control characters'],
    ['del\u007f', undefined, 'must not contain control characters'],
    ['nul\u0000', 'must not contain the NUL character (U+0000)', 'must not contain the NUL character (U+0000)'],
    ['pair \ud83d\udc4d', undefined, undefined],
    ['lone \ud83d', 'must be valid Unicode: it holds a lone UTF-16 surrogate', 'must be valid Unicode: it holds a lone UTF-16 surrogate'],
  ])('%j', (text, stored, url) => {
    expect(storedTextProblem(text)).toBe(stored);
    expect(urlTextProblem(text)).toBe(url);
  });
});
