/**
 * Field errors in the shape of Kubernetes' `field.Error` (k8s.io/apimachinery/pkg/util/validation/field):
 * each becomes one `details.causes[]` entry of a 422 `Invalid` Status, with the same reason names and
 * message wording that kubectl users already know.
 */
export type CauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid'
  /** Not a field's: a read asked for a revision the server has not reached (metav1.CauseTypeResourceVersionTooLarge). */
  | 'ResourceVersionTooLarge';

export interface FieldCause {
  reason: CauseReason;
  /** Path of the offending field, e.g. `spec.ports[0].number` or `spec.ports.http` for a map key. */
  field: string;
  /** The message body without the field path, e.g. `Invalid value: 70000: must be between 1 and 65535`. */
  message: string;
}

/** What a validator returns: errors block the write, warnings go back as `Warning` headers. */
export interface ValidationResult {
  errors: FieldCause[];
  warnings: string[];
}

/** Renders a value the way Kubernetes quotes it in messages: strings quoted, the rest as JSON. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

const withDetail = (head: string, detail?: string) => (detail ? `${head}: ${detail}` : head);

export const fieldErrors = {
  required: (field: string, detail?: string): FieldCause => ({
    reason: 'FieldValueRequired',
    field,
    message: withDetail('Required value', detail),
  }),
  invalid: (field: string, value: unknown, detail?: string): FieldCause => ({
    reason: 'FieldValueInvalid',
    field,
    message: withDetail(`Invalid value: ${renderValue(value)}`, detail),
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldCause => ({
    reason: 'FieldValueTypeInvalid',
    field,
    message: `Invalid value: ${renderValue(value)}: ${detail}`,
  }),
  duplicate: (field: string, value: unknown): FieldCause => ({
    reason: 'FieldValueDuplicate',
    field,
    message: `Duplicate value: ${renderValue(value)}`,
  }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldCause => ({
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${renderValue(value)}: supported values: ${supported
      .map((s) => JSON.stringify(s))
      .join(', ')}`,
  }),
  tooLong: (field: string, max: number): FieldCause => ({
    reason: 'FieldValueTooLong',
    field,
    message: `Too long: may not be more than ${max} bytes`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldCause => ({
    reason: 'FieldValueTooMany',
    field,
    message: `Too many: ${actual}: must have at most ${max} items`,
  }),
  forbidden: (field: string, detail: string): FieldCause => ({
    reason: 'FieldValueForbidden',
    field,
    message: `Forbidden: ${detail}`,
  }),
};

/** Builds `spec.ports[0]`-style child paths. */
export const fieldPath = {
  child: (parent: string, name: string) => (parent ? `${parent}.${name}` : name),
  index: (parent: string, i: number) => `${parent}[${i}]`,
  /** Map keys print as `parent.key` per the convention (`spec.ports.http`). */
  key: (parent: string, key: string) => `${parent}.${key}`,
};
