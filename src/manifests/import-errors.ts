import { FieldCause, fieldErrors } from '../common/field-error';
import { ApiError, apiErrors, Status } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';

/**
 * The Status of each way one document of an import stream can be rejected before it reaches the
 * store. Every message starts with `document <index>: ` so a per-document result reads on its own.
 */

const atDocument = (index: number, error: ApiError): Status => ({
  ...error.status,
  message: `document ${index}: ${error.status.message}`,
});

const refOf = (def: KindDefinition, name: string) => ({ group: def.group, plural: def.plural, kind: def.kind, name });

/** Where the yaml package found a syntax error; `linePos` is 1-based and counts from the stream start. */
export interface YamlSyntaxError {
  message: string;
  linePos?: [{ line: number; col: number }, ...{ line: number; col: number }[]];
}

export const importErrors = {
  /** 400: the parser's own message, without its source excerpt, with the line in the stream. */
  malformedYaml: (index: number, error: YamlSyntaxError): Status => {
    const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const pos = error.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    return atDocument(index, apiErrors.badRequest(`malformed YAML${where}: ${firstLine}`));
  },
  /** 413 RequestEntityTooLarge: the object's JSON encoding (what the store keeps) is over the limit. */
  tooLarge: (index: number, bytes: number, limit: number): Status => ({
    ...atDocument(index, apiErrors.tooLarge(limit)),
    message: `document ${index}: the object is ${bytes} bytes as JSON, larger than the limit of ${limit} bytes`,
  }),
  notAnObject: (index: number, value: unknown): Status =>
    atDocument(
      index,
      apiErrors.badRequest(`expected a Kubernetes object (a mapping with apiVersion, kind, metadata and spec), got ${describe(value)}`),
    ),
  /** `apiVersion not set` / `kind not set`, as kubectl's client-side check words it. */
  missingTypeField: (index: number, field: 'apiVersion' | 'kind'): Status =>
    atDocument(index, apiErrors.badRequest(`${field} not set`, [fieldErrors.required(field)])),
  /** kubectl's `no matches for kind` wording; the cause names the field that does not match. */
  unknownKind: (index: number, apiVersion: string, kind: string, cause: FieldCause): Status =>
    atDocument(index, apiErrors.badRequest(`no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`, [cause])),
  /** A `List` or `*List` whose `items` is missing or not an array. */
  listItems: (index: number, kind: string, items: unknown): Status =>
    atDocument(
      index,
      apiErrors.badRequest(`${kind} must have an items array`, [
        items === undefined ? fieldErrors.required('items') : fieldErrors.typeInvalid('items', items, 'must be an array'),
      ]),
    ),
  /** 422 Invalid on an envelope field (`metadata`, `metadata.name`, `metadata.namespace`). */
  invalidMeta: (index: number, def: KindDefinition, name: string, cause: FieldCause): Status =>
    atDocument(index, apiErrors.invalid(refOf(def, name), [cause])),
  /** 422 Invalid, FieldValueDuplicate on `metadata.name`, naming the document that had it first. */
  duplicate: (index: number, def: KindDefinition, namespace: string, name: string, earlier: number): Status =>
    atDocument(
      index,
      apiErrors.invalid(refOf(def, name), [
        {
          ...fieldErrors.duplicate('metadata.name', name),
          message: `Duplicate value: ${JSON.stringify(name)}: document ${earlier} already has ${def.kind} ${namespace}/${name} in this stream`,
        },
      ]),
    ),
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (value === null) return 'null';
  return `a ${typeof value} ${JSON.stringify(value)}`.slice(0, 120);
}
