/**
 * Validates a value against a CRD structural schema the way kube-apiserver does for custom resources:
 * same reasons, same "<path> in body …" wording, unknown fields returned separately (the caller prunes them
 * with a warning or rejects them under fieldValidation=Strict), and CEL rules (`x-kubernetes-validations`)
 * evaluated at the node that declares them, skipped when a blocking (type or enum) error exists.
 */
import { fieldErrors, fieldPath } from '../common/field-error';
import { celFindings } from './cel-rules';
import { Finding, withKey } from './findings';
import { isObject, jsonType, SchemaNode } from './schema-types';

export interface StructuralResult {
  errors: Finding[];
  unknownFields: string[];
}

interface Walk {
  schemaErrors: Finding[];
  celErrors: Finding[];
  unknownFields: string[];
}

/** Kubernetes drops `null` object fields whose schema is not nullable before validating (structural defaulting). */
export function pruneNulls(value: unknown, schema: SchemaNode | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => pruneNulls(item, schema?.items));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = propertySchema(schema, key) ?? additional(schema);
    if ((child === null || child === undefined) && !childSchema?.nullable) continue;
    out[key] = pruneNulls(child, childSchema);
  }
  return out;
}

const additional = (schema: SchemaNode | undefined): SchemaNode | undefined =>
  typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;

/**
 * The schema of a named property, if the schema declares it. An own-property lookup: `constructor`,
 * `toString` and the like are unknown fields, not Object.prototype's functions taken for schemas.
 */
const propertySchema = (schema: SchemaNode | undefined, key: string): SchemaNode | undefined =>
  schema?.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;

/** go-openapi's type check; `number` accepts integers. */
function typeMatches(schema: SchemaNode, value: unknown): boolean {
  const actual = jsonType(value);
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  return schema.type === actual || (schema.type === 'number' && actual === 'integer');
}

function typeError(path: string, schema: SchemaNode, value: unknown): Finding {
  const expected = schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : schema.type;
  const detail = `${path} in body must be of type ${expected}: "${jsonType(value)}"`;
  return withKey(fieldErrors.typeInvalid(path, value, detail), `type:${path}`);
}

function checkScalar(w: Walk, path: string, schema: SchemaNode, value: unknown): void {
  const err = (keyword: string, detail: string) =>
    w.schemaErrors.push(withKey(fieldErrors.invalid(path, value, `${path} in body ${detail}`), `${keyword}:${path}`));
  if (schema.enum && !schema.enum.includes(value)) {
    const supported = schema.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    w.schemaErrors.push(withKey(fieldErrors.notSupported(path, value, supported), `enum:${path}`));
  }
  if (typeof value === 'string' && schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    w.schemaErrors.push(withKey(fieldErrors.tooLong(path, schema.maxLength), `maxLength:${path}`));
  }
  if (typeof value === 'string' && schema.minLength !== undefined && [...value].length < schema.minLength) {
    err('minLength', `should be at least ${schema.minLength} chars long`);
  }
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    err('pattern', `should match '${schema.pattern}'`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) err('minimum', `should be greater than or equal to ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) err('maximum', `should be less than or equal to ${schema.maximum}`);
  }
}

function checkArray(w: Walk, path: string, schema: SchemaNode, value: unknown[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    w.schemaErrors.push(withKey(fieldErrors.tooMany(path, value.length, schema.maxItems), `maxItems:${path}`));
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    const detail = `${path} in body should have at least ${schema.minItems} items`;
    w.schemaErrors.push(withKey(fieldErrors.invalid(path, value.length, detail), `minItems:${path}`));
  }
  value.forEach((item, i) => walk(w, fieldPath.index(path, i), schema.items, item));
  if (schema['x-kubernetes-list-type'] === 'map') checkListMapKeys(w, path, schema['x-kubernetes-list-map-keys'] ?? [], value);
}

/** `x-kubernetes-list-type: map`: two items with the same key fields are a duplicate, reported at the later one. */
function checkListMapKeys(w: Walk, path: string, keys: string[], items: unknown[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isObject(item)) return;
    const keyValue = Object.fromEntries(keys.map((k) => [k, item[k]]));
    const id = JSON.stringify(keyValue);
    const itemPath = fieldPath.index(path, i);
    if (seen.has(id)) w.schemaErrors.push(withKey(fieldErrors.duplicate(itemPath, keyValue), `duplicate:${itemPath}`));
    seen.add(id);
  });
}

function checkObject(w: Walk, path: string, schema: SchemaNode, value: Record<string, unknown>): void {
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    w.schemaErrors.push(withKey(fieldErrors.tooMany(path, count, schema.maxProperties), `maxProperties:${path}`));
  }
  for (const name of schema.required ?? []) {
    const child = fieldPath.child(path, name);
    if (value[name] === undefined) w.schemaErrors.push(withKey(fieldErrors.required(child), `required:${child}`));
  }
  const extra = additional(schema);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  for (const [key, child] of Object.entries(value)) {
    const known = propertySchema(schema, key);
    if (known) walk(w, fieldPath.child(path, key), known, child);
    else if (extra) walk(w, fieldPath.key(path, key), extra, child);
    else if (!preserve) w.unknownFields.push(fieldPath.child(path, key));
  }
}

/** Whether a value meets a schema: what oneOf, anyOf, allOf and not ask of their branches. */
function satisfies(schema: SchemaNode, value: unknown, path: string): boolean {
  const w: Walk = { schemaErrors: [], celErrors: [], unknownFields: [] };
  walk(w, path, schema, value);
  return w.schemaErrors.length === 0;
}

/** The logical keywords (in a structural schema their branches hold value validations only, e.g. `required`). */
function checkJunctions(w: Walk, path: string, schema: SchemaNode, value: unknown): void {
  const err = (keyword: string, detail: string) =>
    w.schemaErrors.push(withKey(fieldErrors.invalid(path, jsonType(value), `${path} in body ${detail}`), `${keyword}:${path}`));
  if (schema.oneOf) {
    const valid = schema.oneOf.filter((branch) => satisfies(branch, value, path)).length;
    if (valid !== 1) err('oneOf', `must validate one and only one schema (oneOf). Found ${valid} valid alternatives`);
  }
  if (schema.anyOf && !schema.anyOf.some((branch) => satisfies(branch, value, path))) err('anyOf', 'must validate at least one schema (anyOf)');
  if (schema.allOf && !schema.allOf.every((branch) => satisfies(branch, value, path))) err('allOf', 'must validate all the schemas (allOf)');
  if (schema.not && satisfies(schema.not, value, path)) err('not', 'must not validate the schema (not)');
}

function walk(w: Walk, path: string, schema: SchemaNode | undefined, value: unknown): void {
  if (!schema) return;
  if (!typeMatches(schema, value)) {
    w.schemaErrors.push(typeError(path, schema, value));
    return;
  }
  checkScalar(w, path, schema, value);
  if (Array.isArray(value)) checkArray(w, path, schema, value);
  else if (isObject(value)) checkObject(w, path, schema, value);
  checkJunctions(w, path, schema, value);
  const rules = schema['x-kubernetes-validations'];
  if (rules) w.celErrors.push(...celFindings(rules, value, path, schema.type ?? ''));
}

/** Kubernetes skips CEL when the object has type or enum errors, and says so in a path-less cause. */
const BLOCKING = new Set(['FieldValueTypeInvalid', 'FieldValueNotSupported']);
const CEL_SKIPPED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

export function validateStructural(value: unknown, schema: SchemaNode, path = ''): StructuralResult {
  const w: Walk = { schemaErrors: [], celErrors: [], unknownFields: [] };
  walk(w, path, schema, pruneNulls(value, schema));
  const blocked = w.schemaErrors.some((e) => BLOCKING.has(e.reason));
  const errors = blocked ? [...w.schemaErrors, fieldErrors.invalid('<nil>', null, CEL_SKIPPED)] : [...w.schemaErrors, ...w.celErrors];
  return { errors, unknownFields: w.unknownFields };
}

/**
 * A copy without the fields the schema does not know (what `unknownFields` reports) and without
 * non-nullable nulls: what the apiserver stores. Walks the schema, so odd key names (`a.b`, `x[0]`)
 * are pruned as reliably as plain ones.
 */
export function pruneToSchema(value: unknown, schema: SchemaNode | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => pruneToSchema(item, schema.items));
  if (!isObject(value)) return value;
  const extra = additional(schema);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = propertySchema(schema, key) ?? extra;
    if (!childSchema && !preserve) continue;
    if ((child === null || child === undefined) && !childSchema?.nullable) continue;
    out[key] = pruneToSchema(child, childSchema);
  }
  return out;
}
