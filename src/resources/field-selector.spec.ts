import {
  FieldRequirement,
  formatFieldSelector,
  matchesFieldSelector,
  parseFieldSelector,
  SelectorParseError,
} from './field-selector';

const SUPPORTED = ['metadata.name', 'metadata.namespace'];
const eq = (field: string, value: string): FieldRequirement => ({ field, operator: '=', value });
const ne = (field: string, value: string): FieldRequirement => ({ field, operator: '!=', value });

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('parseFieldSelector', () => {
  it.each<[string, FieldRequirement[]]>([
    ['', []],
    [',', []],
    ['metadata.name=foo', [eq('metadata.name', 'foo')]],
    ['metadata.name==foo', [eq('metadata.name', 'foo')]],
    ['metadata.name!=foo', [ne('metadata.name', 'foo')]],
    ['metadata.name=', [eq('metadata.name', '')]],
    ['metadata.name!=', [ne('metadata.name', '')]],
    ['metadata.name=a!b', [eq('metadata.name', 'a!b')]],
    ['metadata.name=a b ', [eq('metadata.name', 'a b ')]],
    ['metadata.namespace=ns,metadata.name!=foo', [ne('metadata.name', 'foo'), eq('metadata.namespace', 'ns')]],
    [',metadata.name=foo,,', [eq('metadata.name', 'foo')]],
    ['metadata.name=a\\,b', [eq('metadata.name', 'a,b')]],
    ['metadata.name=a\\=b', [eq('metadata.name', 'a=b')]],
    ['metadata.name==\\=b', [eq('metadata.name', '=b')]],
    ['metadata.name=a\\\\b', [eq('metadata.name', 'a\\b')]],
    ['metadata.name=a\\\\,metadata.namespace=x', [eq('metadata.name', 'a\\'), eq('metadata.namespace', 'x')]],
    ['metadata.name=x,metadata.name!=y', [ne('metadata.name', 'y'), eq('metadata.name', 'x')]],
  ])('parses %j', (input, expected) => {
    expect(parseFieldSelector(input, SUPPORTED)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=foo,bar', "invalid selector: 'metadata.name=foo,bar'; can't understand 'bar'"],
    ['metadata.name\\,x', "invalid selector: 'metadata.name\\,x'; can't understand 'metadata.name\\,x'"],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name!==b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['metadata.name=a\\😀', 'invalid field selector: invalid escape sequence: \\😀'],
    ['spec.foo=bar', 'field label not supported: spec.foo'],
    ['Metadata.Name=x', 'field label not supported: Metadata.Name'],
    ['metadata.name =foo', 'field label not supported: metadata.name '],
    ['=foo', 'field label not supported: '],
    ['metadata.name=x,spec.b=1,spec.a=1', 'field label not supported: spec.a'],
    // Every term is parsed before any field name is checked, in sorted order.
    ['spec.foo=bar,zzz', "invalid selector: 'spec.foo=bar,zzz'; can't understand 'zzz'"],
    ['b,a=1=2', 'invalid field selector: unescaped character in value: 61'],
  ])('rejects %j', (input, message) => {
    const err = thrown(() => parseFieldSelector(input, SUPPORTED));
    expect(err).toBeInstanceOf(SelectorParseError);
    expect((err as Error).message).toBe(message);
  });

  it('accepts only the fields the caller supports', () => {
    expect(parseFieldSelector('spec.address=1.2.3.4', ['spec.address'])).toEqual([eq('spec.address', '1.2.3.4')]);
    expect(() => parseFieldSelector('metadata.name=x', [])).toThrow('field label not supported: metadata.name');
  });
});

describe('matchesFieldSelector', () => {
  const fields = { 'metadata.name': 'foo', 'metadata.namespace': 'ns' };
  it.each<[string, Record<string, string>, boolean]>([
    ['', fields, true],
    ['metadata.name=foo', fields, true],
    ['metadata.name=bar', fields, false],
    ['metadata.name!=foo', fields, false],
    ['metadata.name!=bar', fields, true],
    ['metadata.name=foo,metadata.namespace=ns', fields, true],
    ['metadata.name=foo,metadata.namespace!=ns', fields, false],
    ['metadata.name=', {}, true],
    ['metadata.name!=', {}, false],
    ['metadata.name=foo', {}, false],
    ['metadata.name!=foo', {}, true],
    ['metadata.name=a\\,b', { 'metadata.name': 'a,b' }, true],
  ])('%j against %j is %s', (selector, actual, expected) => {
    expect(matchesFieldSelector(actual, parseFieldSelector(selector, SUPPORTED))).toBe(expected);
  });
});

describe('formatFieldSelector', () => {
  it.each<[string, string]>([
    ['', ''],
    ['metadata.name==foo', 'metadata.name=foo'],
    ['metadata.namespace=ns,metadata.name!=foo', 'metadata.name!=foo,metadata.namespace=ns'],
    ['metadata.name=a\\,b\\=c\\\\', 'metadata.name=a\\,b\\=c\\\\'],
  ])('formats %j as %j, which parses back to the same requirements', (input, expected) => {
    const reqs = parseFieldSelector(input, SUPPORTED);
    expect(formatFieldSelector(reqs)).toBe(expected);
    expect(parseFieldSelector(expected, SUPPORTED)).toEqual(reqs);
  });

  it('is independent of requirement order', () => {
    const reqs = [eq('metadata.namespace', 'ns'), ne('metadata.name', 'x')];
    expect(formatFieldSelector(reqs)).toBe(formatFieldSelector([...reqs].reverse()));
  });
});
