import { SchemaNode } from './schema-types';
import { pruneNulls, pruneToSchema, validateStructural } from './structural-schema';

const schema: SchemaNode = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', maxLength: 5 },
        mode: { type: 'string', enum: ['A', 'B'] },
        count: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number' },
        on: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, number: { type: 'integer' } } },
        },
        gen: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        port: { type: 'integer', 'x-kubernetes-validations': [{ rule: '0 < self && self <= 65535', message: 'port must be between 1-65535' }] },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { phase: { type: 'string' } } },
  },
};

const ok = { spec: { name: 'a' } };
const run = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => validateStructural({ spec: { ...ok.spec, ...spec }, ...extra }, schema);

describe('validateStructural', () => {
  it.each<[string, Record<string, unknown>]>([
    ['minimal', {}],
    ['every field valid', { mode: 'A', count: 10, ratio: 1.5, on: true, tags: ['x'], labels: { a: 'b' }, ports: [{ name: 'a' }, { name: 'b' }], gen: 'x', port: 80 }],
    ['int-or-string as integer', { gen: 3 }],
    ['number accepts an integer', { ratio: 2 }],
    ['null fields are dropped like Kubernetes does', { mode: null, labels: { a: null } }],
  ])('accepts %s', (_, spec) => expect(run(spec)).toEqual({ errors: [], unknownFields: [] }));

  it.each<[string, Record<string, unknown>, string, string, string]>([
    ['wrong type', { count: 'x' }, 'FieldValueTypeInvalid', 'spec.count', 'Invalid value: "x": spec.count in body must be of type integer: "string"'],
    ['fraction for integer', { count: 1.5 }, 'FieldValueTypeInvalid', 'spec.count', 'must be of type integer: "number"'],
    ['array for object', { labels: [] }, 'FieldValueTypeInvalid', 'spec.labels', 'must be of type object: "array"'],
    ['null array item', { tags: [null] }, 'FieldValueTypeInvalid', 'spec.tags[0]', 'must be of type string: "null"'],
    ['int-or-string', { gen: true }, 'FieldValueTypeInvalid', 'spec.gen', 'must be of type integer-or-string'],
    ['enum', { mode: 'C' }, 'FieldValueNotSupported', 'spec.mode', 'Unsupported value: "C": supported values: "A", "B"'],
    ['maxLength', { name: 'abcdef' }, 'FieldValueTooLong', 'spec.name', 'Too long: may not be more than 5 bytes'],
    ['maxItems', { tags: ['a', 'b', 'c'] }, 'FieldValueTooMany', 'spec.tags', 'Too many: 3: must have at most 2 items'],
    ['minItems', { tags: [] }, 'FieldValueInvalid', 'spec.tags', 'Invalid value: 0: spec.tags in body should have at least 1 items'],
    ['maxProperties', { labels: { a: 'b', c: 'd' } }, 'FieldValueTooMany', 'spec.labels', 'Too many: 2: must have at most 1 items'],
    ['minimum', { count: 0 }, 'FieldValueInvalid', 'spec.count', 'spec.count in body should be greater than or equal to 1'],
    ['maximum', { count: 11 }, 'FieldValueInvalid', 'spec.count', 'spec.count in body should be less than or equal to 10'],
    ['required', { name: undefined }, 'FieldValueRequired', 'spec.name', 'Required value'],
    ['nested required', { ports: [{ number: 1 }] }, 'FieldValueRequired', 'spec.ports[0].name', 'Required value'],
    ['map value type', { labels: { a: 1 } }, 'FieldValueTypeInvalid', 'spec.labels.a', 'must be of type string'],
    ['list-map duplicate key', { ports: [{ name: 'a' }, { name: 'a', number: 2 }] }, 'FieldValueDuplicate', 'spec.ports[1]', 'Duplicate value: {"name":"a"}'],
    ['CEL rule', { port: 0 }, 'FieldValueInvalid', 'spec.port', 'Invalid value: "integer": port must be between 1-65535'],
  ])('reports %s', (_, spec, reason, field, message) => {
    expect(run(spec).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(message) }));
  });

  it('reports a missing required root field', () => {
    expect(validateStructural({ spec: null }, schema).errors).toEqual([expect.objectContaining({ reason: 'FieldValueRequired', field: 'spec' })]);
  });

  it('returns unknown fields separately, honouring preserve-unknown-fields', () => {
    const result = run({ extra: 1, ports: [{ name: 'a', bogus: true }] }, { status: { anything: 1 }, top: 1 });
    expect(result.errors).toEqual([]);
    expect(result.unknownFields).toEqual(['spec.extra', 'spec.ports[0].bogus', 'top']);
  });

  it('skips CEL rules after a type or enum error and says so, as Kubernetes does', () => {
    const { errors } = run({ port: 0, mode: 'C' });
    expect(errors.map((e) => e.field)).toEqual(['spec.mode', '<nil>']);
    expect(errors[1].message).toBe(
      'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    );
  });

  it('still runs CEL rules next to non-blocking errors', () => {
    expect(run({ port: 0, count: 0 }).errors.map((e) => e.field)).toEqual(['spec.count', 'spec.port']);
  });

  it('pruneNulls drops null object fields but keeps null array items', () => {
    expect(pruneNulls({ spec: { name: null, tags: [null] } }, schema)).toEqual({ spec: { tags: [null] } });
  });
});

describe('pruneToSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          address: { type: 'string' },
          ports: { type: 'object', additionalProperties: { type: 'integer' } },
          list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} },
    },
  } as const;

  it.each([
    ['unknown fields, odd names included', { spec: { address: 'x', colour: 1, 'x.y': 2, 'a[0]': 3 } }, { spec: { address: 'x' } }],
    ['non-nullable nulls', { spec: { address: null, ports: { http: null, grpc: 1 } } }, { spec: { ports: { grpc: 1 } } }],
    ['unknown fields inside list items', { spec: { list: [{ a: 'k', b: 'drop' }] } }, { spec: { list: [{ a: 'k' }] } }],
    ['nothing under preserve-unknown-fields', { status: { anything: { goes: 1 } } }, { status: { anything: { goes: 1 } } }],
    ['unknown top-level fields', { spec: {}, extra: true }, { spec: {} }],
  ])('drops %s', (_what, input, expected) => {
    expect(pruneToSchema(input, schema as unknown as SchemaNode)).toEqual(expected);
  });
});

describe('logical keywords, pattern and minLength (the WorkloadGroup CRD uses them)', () => {
  const probe: SchemaNode = {
    type: 'object',
    properties: { a: { type: 'object' }, b: { type: 'object' }, name: { type: 'string', pattern: '^[-_A-Za-z0-9]+$' }, cmd: { type: 'string', minLength: 1 } },
    oneOf: [{ not: { anyOf: [{ required: ['a'] }, { required: ['b'] }] } }, { required: ['a'] }, { required: ['b'] }],
  };
  const messages = (value: unknown) => validateStructural(value, probe, 'p').errors.map((e) => `${e.field}: ${e.message}`);

  it.each([[{}], [{ a: {} }], [{ b: {} }]])('oneOf holds for %j', (value) => expect(messages(value)).toEqual([]));

  it('oneOf fails when two branches hold', () => {
    expect(messages({ a: {}, b: {} })).toEqual(['p: Invalid value: "object": p in body must validate one and only one schema (oneOf). Found 2 valid alternatives']);
  });

  it('pattern and minLength, in the apiserver wording', () => {
    expect(messages({ name: 'a b', cmd: '' })).toEqual([
      `p.name: Invalid value: "a b": p.name in body should match '^[-_A-Za-z0-9]+$'`,
      'p.cmd: Invalid value: "": p.cmd in body should be at least 1 chars long',
    ]);
  });
});
