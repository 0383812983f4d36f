import { FieldCause, fieldErrors } from '../common/field-error';
import { ApiError, apiErrors, Status } from '../common/status';
import type { KindDefinition } from '../kinds/kind-definition';

/**
 * The Status of each way one document of an import stream can be rejected before it reaches the
 * store. Every message starts with `document <index>: ` so a per-document result reads on its own.
 */

const atDocument = (index: number, error: ApiError): Status => ({
  ...error.status,
  message: `document ${index}: ${error.status.message}`,
});

/** What the import reader needs to know of a kind: plain data, so it can run in a parse worker. */
export type KindNames = Pick<KindDefinition, 'group' | 'version' | 'kind' | 'listKind' | 'plural'>;

export const kindNamesOf = ({ group, version, kind, listKind, plural }: KindNames): KindNames => ({ group, version, kind, listKind, plural });

const refOf = (def: KindNames, name: string) => ({ group: def.group, plural: def.plural, kind: def.kind, name });

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
  /** 413 for the document as written (checked before it is parsed). */
  tooLargeAsWritten: (index: number, message: string): Status => ({
    ...atDocument(index, apiErrors.tooLarge(0)),
    message: `document ${index}: ${message}`,
  }),
  /** 400 for the whole import: a document over the alias or nesting limit is refused before any work on it. */
  overLimit: (index: number, problem: { message: string; linePos?: [{ line: number; col: number }] }): Status => {
    const pos = problem.linePos?.[0];
    return atDocument(index, apiErrors.badRequest(`${problem.message}${pos ? ` (at line ${pos.line}, column ${pos.col})` : ''}`));
  },
  /** 413 for the whole import: more documents than one import may hold. */
  tooManyDocuments: (limit: number): Status => ({
    ...apiErrors.tooLarge(0).status,
    message: `the import holds more than ${limit} documents (the limit per import; List items count one by one): split it into several imports`,
  }),
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
  invalidMeta: (index: number, def: KindNames, name: string, cause: FieldCause): Status =>
    atDocument(index, apiErrors.invalid(refOf(def, name), [cause])),
  /** 422 Invalid, FieldValueDuplicate on `metadata.name`, naming the document that had it first. */
  duplicate: (index: number, def: KindNames, namespace: string, name: string, earlier: number): Status =>
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
