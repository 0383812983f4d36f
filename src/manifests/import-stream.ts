import { FieldCause, fieldErrors } from '../common/field-error';
import { KubeObject } from '../common/kube-object';
import { ApiError, Status } from '../common/status';
import { MAX_NESTING_DEPTH } from '../parsing/limits';
import { offsetTooDeep } from '../parsing/json-depth';
import { readYamlDocuments, YamlProblem } from '../parsing/yaml-documents';
import { storedTextProblem } from '../validation/text';
import { importErrors, KindNames } from './import-errors';

/**
 * Parsing of an import body: a multi-document YAML stream, a JSON object, or a JSON/YAML `List`. Pure
 * (it runs in a parse worker, see parsing/parse-pool): it reads and checks the envelope (kind, name,
 * duplicates, size); the apply path validates the rest. Exactly one of `object` and `error` is set.
 *
 * `index` numbering: 0-based position among the non-empty documents of the stream, where a `List`
 * counts as its items (each item is a document of its own). Empty documents (a leading `---`, trailing
 * separators, comment-only or `null` documents) are skipped and get no index.
 *
 * What the stream as a whole may not do (more documents than `maxDocuments`, a document over the alias
 * or nesting limits) stops the reading: the generator throws an ApiError for the whole request.
 */
export interface ParsedDocument {
  index: number;
  /** The object as written, with `metadata.namespace` defaulted; server-owned fields are kept. */
  object?: KubeObject;
  error?: Status;
  /** Size of the object as compact JSON. */
  bytes?: number;
}

export interface ImportStreamOptions {
  /** Largest object accepted, measured as written and as its compact JSON encoding. */
  maxDocumentBytes: number;
  /** Most documents (List items counted one by one) in one import. */
  maxDocuments: number;
  /** YAML aliases per document. */
  maxAliases: number;
  /** The registry's kinds; plain data, so the reader needs none of their validation code. */
  kinds: readonly KindNames[];
  /** Namespace of a document without `metadata.namespace` (default `default`, as kubectl's). */
  defaultNamespace?: string;
}

type RawDocument = { value: unknown } | { problem: YamlProblem };
/** Each check either yields what it found or the Status that rejects the document. */
type Checked<T> = { ok: T } | { error: Status };

interface ReadState {
  readonly options: Required<ImportStreamOptions>;
  next: number;
  /** `kind/namespace/name` → index of the first document that had it. */
  readonly seen: Map<string, number>;
}

export function* readImportStream(text: string, options: ImportStreamOptions): Generator<ParsedDocument> {
  const state: ReadState = { options: { defaultNamespace: 'default', ...options }, next: 0, seen: new Map() };
  for (const raw of readDocuments(text, state.options)) {
    if ('value' in raw) yield* documentsOf(state, raw.value);
    else yield problemDocument(state, raw.problem);
  }
}

/** The whole stream at once (tests, small bodies). */
export const parseImportStream = (text: string, options: ImportStreamOptions): ParsedDocument[] => [...readImportStream(text, options)];

/** JSON bodies take the fast path; JSON that is malformed or too deep goes to the YAML reader, which says where. */
function* readDocuments(text: string, options: Required<ImportStreamOptions>): Generator<RawDocument> {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(body) && offsetTooDeep(body, MAX_NESTING_DEPTH) === -1) {
    try {
      return yield { value: JSON.parse(body) };
    } catch {
      // Not JSON (or a flow-style YAML stream): the YAML parser reports it.
    }
  }
  const limits = { maxDocumentBytes: options.maxDocumentBytes, maxAliases: options.maxAliases, maxDepth: MAX_NESTING_DEPTH };
  for (const doc of readYamlDocuments(body, limits)) {
    if ('problem' in doc || (doc.value !== null && doc.value !== undefined)) yield doc;
  }
}

/** Sizes are the document's own problem (413 in the report); aliases and nesting refuse the whole import. */
function problemDocument(state: ReadState, problem: YamlProblem): ParsedDocument {
  const index = claimIndex(state);
  if (problem.limit === 'aliases' || problem.limit === 'depth') throw new ApiError(importErrors.overLimit(index, problem));
  if (problem.limit === 'size') return { index, error: importErrors.tooLargeAsWritten(index, problem.message) };
  return { index, error: importErrors.malformedYaml(index, problem) };
}

function claimIndex(state: ReadState): number {
  if (state.next >= state.options.maxDocuments) throw new ApiError(importErrors.tooManyDocuments(state.options.maxDocuments));
  return state.next++;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `List` and `WorkloadEntryList`-style kinds, never one of the registry's own kinds. */
const isListKind = (state: ReadState, kind: unknown): kind is string =>
  typeof kind === 'string' && kind.endsWith('List') && !state.options.kinds.some((k) => k.kind === kind);

function* documentsOf(state: ReadState, value: unknown): Generator<ParsedDocument> {
  if (isPlainObject(value) && isListKind(state, value.kind)) return yield* listDocuments(state, value);
  const index = claimIndex(state);
  const result = checkObject(state, index, value);
  yield 'error' in result ? { index, error: result.error } : { index, object: result.ok.object, bytes: result.ok.bytes };
}

/** Items take the next indexes in order; nested Lists are flattened as kubectl does. */
function* listDocuments(state: ReadState, list: Record<string, unknown>): Generator<ParsedDocument> {
  const { items, kind } = list as { items: unknown; kind: string };
  if (!Array.isArray(items)) {
    const index = claimIndex(state);
    return yield { index, error: importErrors.listItems(index, kind, items) };
  }
  const typed = state.options.kinds.find((k) => k.listKind === kind);
  for (const item of items) yield* documentsOf(state, typed ? withListType(item, typed, list.apiVersion) : item);
}

/** Items of a typed list (`WorkloadEntryList`) may leave out their apiVersion and kind. */
function withListType(item: unknown, def: KindNames, apiVersion: unknown): unknown {
  if (!isPlainObject(item)) return item;
  return { apiVersion, kind: def.kind, ...item };
}

function checkObject(state: ReadState, index: number, value: unknown): Checked<{ object: KubeObject; bytes: number }> {
  if (!isPlainObject(value)) return { error: importErrors.notAnObject(index, value) };
  const limit = state.options.maxDocumentBytes;
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > limit) return { error: importErrors.tooLarge(index, bytes, limit) };
  const def = kindOf(state, index, value);
  if ('error' in def) return def;
  const object = checkMetadata(state, index, value, def.ok);
  return 'error' in object ? object : { ok: { object: object.ok, bytes } };
}

/** The registry kind the document names, or the Status saying why there is none. */
function kindOf(state: ReadState, index: number, value: Record<string, unknown>): Checked<KindNames> {
  const { apiVersion, kind } = value;
  const kinds = state.options.kinds;
  if (typeof apiVersion !== 'string' || apiVersion === '') return { error: importErrors.missingTypeField(index, 'apiVersion') };
  if (typeof kind !== 'string' || kind === '') return { error: importErrors.missingTypeField(index, 'kind') };
  const noMatch = (cause: FieldCause) => ({ error: importErrors.unknownKind(index, apiVersion, kind, cause) });
  const def = kinds.find((k) => k.kind === kind);
  if (!def) return noMatch(fieldErrors.notSupported('kind', kind, kinds.map((k) => k.kind)));
  const served = `${def.group}/${def.version}`;
  // Only the stored version is accepted: there is no conversion from v1alpha3/v1beta1 on import.
  if (apiVersion !== served) return noMatch(fieldErrors.notSupported('apiVersion', apiVersion, [served]));
  return { ok: def };
}

function checkMetadata(state: ReadState, index: number, value: Record<string, unknown>, def: KindNames): Checked<KubeObject> {
  const invalid = (name: string, cause: FieldCause) => ({ error: importErrors.invalidMeta(index, def, name, cause) });
  const meta = value.metadata ?? {};
  if (!isPlainObject(meta)) {
    return invalid('', fieldErrors.typeInvalid('metadata', meta, 'must be an object'));
  }
  const { name, namespace } = meta;
  if (name === undefined || name === null || name === '') {
    return invalid('', fieldErrors.required('metadata.name', 'name is required: import applies objects by name'));
  }
  if (typeof name !== 'string') return invalid('', fieldErrors.typeInvalid('metadata.name', name, 'must be a string'));
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    return invalid(name, fieldErrors.typeInvalid('metadata.namespace', namespace, 'must be a string'));
  }
  // Looked up by name and namespace before validation: text the database cannot take stops here.
  for (const [field, text] of [['metadata.name', name], ['metadata.namespace', namespace ?? '']] as const) {
    const problem = storedTextProblem(text);
    if (problem) return invalid(name, fieldErrors.invalid(field, text, problem));
  }
  const ns = namespace || state.options.defaultNamespace;
  const key = `${def.kind}/${ns}/${name}`;
  const earlier = state.seen.get(key);
  if (earlier !== undefined) return { error: importErrors.duplicate(index, def, ns, name, earlier) };
  state.seen.set(key, index);
  return { ok: { ...value, metadata: { ...meta, namespace: ns } } as unknown as KubeObject };
}
