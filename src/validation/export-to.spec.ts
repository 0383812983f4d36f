import { validateExportTo } from './export-to';

describe('validateExportTo (ServiceEntry)', () => {
  it.each([[[]], [['.']], [['*']], [['~']], [['.', 'other']], [['ns-a', 'ns-b']], [undefined]])('accepts %j', (exportTo) =>
    expect(validateExportTo('mine', exportTo as string[] | undefined)).toEqual([]),
  );

  it.each<[string[], string, string, string]>([
    [['.', 'mine'], 'FieldValueDuplicate', 'spec.exportTo[1]', 'Duplicate value: "mine"'],
    [['mine', '.'], 'FieldValueInvalid', 'spec.exportTo[1]', '"." stands for this object\'s namespace "mine", which is already listed'],
    [['a', 'a'], 'FieldValueDuplicate', 'spec.exportTo[1]', 'Duplicate value: "a"'],
    [['Not_A_Label'], 'FieldValueInvalid', 'spec.exportTo[0]', 'must be "." (this namespace), "*" (all namespaces), "~" (no namespace) or a namespace name'],
    [['a', '*'], 'FieldValueInvalid', 'spec.exportTo[1]', '"*" (all namespaces) must be the only entry'],
    [['~', 'a'], 'FieldValueInvalid', 'spec.exportTo[0]', '"~" (no namespace) must be the only entry'],
    [['*', '~'], 'FieldValueInvalid', 'spec.exportTo[1]', '"~" (no namespace) must be the only entry'],
  ])('rejects %j', (exportTo, reason, field, words) => {
    expect(validateExportTo('mine', exportTo)).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));
  });

  it('refuses "~" on kinds other than ServiceEntry', () => {
    expect(validateExportTo('mine', ['~'], false)[0].message).toContain('only allowed on a ServiceEntry');
  });
});
