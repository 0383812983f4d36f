import { applyMergePatch } from './merge-patch';

describe('applyMergePatch (RFC 7386)', () => {
  // RFC 7386 appendix A, plus the keys a prototype-minded library mishandles.
  it.each<[string, unknown, unknown, unknown]>([
    ['replaces a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['removes with null', { a: 'b' }, { a: null }, {}],
    ['keeps the others', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['replaces arrays whole', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['arrays in the patch replace', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['merges nested objects', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['nulls in arrays stay', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['a non-object patch replaces', { a: 'foo' }, 'bar', 'bar'],
    ['a patch into a scalar makes an object', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['a null target', null, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ['constructor and prototype are ordinary keys', { labels: { app: 'x' } }, { labels: { constructor: 'c', prototype: 'p', after: 'a' } },
      { labels: { app: 'x', constructor: 'c', prototype: 'p', after: 'a' } }],
    ['a constructor.prototype shape is plain data', {}, { constructor: { prototype: { polluted: true } } }, { constructor: { prototype: { polluted: true } } }],
  ])('%s', (_title, target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps __proto__ as an own key, never as the prototype', () => {
    const result = applyMergePatch({ spec: {} }, JSON.parse('{"spec":{"__proto__":{"polluted":true},"address":"1.1.1.1"}}')) as { spec: object };
    expect(Object.keys(result.spec)).toEqual(['__proto__', 'address']);
    expect(Object.getPrototypeOf(result.spec)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves the target untouched', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });
});
