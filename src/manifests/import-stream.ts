import { parseAllDocuments } from 'yaml';
import { FieldCause, fieldErrors } from '../common/field-error';
import { KubeObject } from '../common/kube-object';
import { Status } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { KINDS } from '../kinds/kinds';
import { importErrors, YamlSyntaxError } from './import-errors';

/**
 * Parsing of an import body: a multi-document YAML stream, a JSON object, or a JSON/YAML `List`. Pure:
 * it only reads and checks the envelope (kind, name, duplicates, size); the apply path validates the
 * rest. Exactly one of `object` and `error` is set.
 *
 * `index` numbering: 0-based position among the non-empty documents of the stream, where a `List`
 * counts as its items (each item is a document of its own). Empty documents (a leading `---`, trailing
 * separators, comment-only or `null` documents) are skipped and get no index.
 */
export interface ParsedDocument {
  index: number;
  /** The object as written, with `metadata.namespace` defaulted; server-owned fields are kept. */
  object?: KubeObject;
  error?: Status;
}

export interface ImportStreamOptions {
  /** Largest object accepted, measured as its compact JSON encoding (YAML layout and comments do not count). */
  maxDocumentBytes: number;
  /** Namespace of a document without `metadata.namespace` (default `default`, as kubectl's). */
  defaultNamespace?: string;
}

type RawDocument = { value: unknown } | { syntax: YamlSyntaxError };
/** Each check either yields what it found or the Status that rejects the document. */
type Checked<T> = { ok: T } | { error: Status };

interface ParseState {
  readonly options: Required<ImportStreamOptions>;
  readonly out: ParsedDocument[];
  /** `kind/namespace/name` → index of the first document that had it. */
  readonly seen: Map<string, number>;
}

export function parseImportStream(text: string, options: ImportStreamOptions): ParsedDocument[] {
  const state: ParseState = {
    options: { defaultNamespace: 'default', ...options },
    out: [],
    seen: new Map(),
  };
  for (const raw of readDocuments(text)) {
    if ('syntax' in raw) state.out.push({ index: state.out.length, error: importErrors.malformedYaml(state.out.length, raw.syntax) });
    else addValue(state, raw.value);
  }
  return state.out;
}

/** JSON bodies take the fast path; anything JSON.parse rejects goes to the YAML parser for a line number. */
function readDocuments(text: string): RawDocument[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(body)) {
    try {
      return [{ value: JSON.parse(body) }];
    } catch {
      // Not JSON (or a flow-style YAML stream): the YAML parser reports it.
    }
  }
  const docs: RawDocument[] = [];
  for (const doc of parseAllDocuments(body)) {
    if (doc.errors.length > 0) {
      docs.push({ syntax: doc.errors[0] as YamlSyntaxError });
      continue;
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value !== null && value !== undefined) docs.push({ value });
    } catch (error) {
      docs.push({ syntax: { message: (error as Error).message } }); // e.g. alias bombs
    }
  }
  return docs;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `List` and `WorkloadEntryList`-style kinds, never one of the registry's own kinds. */
const isListKind = (kind: unknown): kind is string =>
  typeof kind === 'string' && kind.endsWith('List') && !KINDS.some((k) => k.kind === kind);

function addValue(state: ParseState, value: unknown): void {
  if (isPlainObject(value) && isListKind(value.kind)) return addList(state, value);
  const index = state.out.length;
  const result = checkObject(state, index, value);
  state.out.push('error' in result ? { index, error: result.error } : { index, object: result.ok });
}

/** Items take the next indexes in order; nested Lists are flattened as kubectl does. */
function addList(state: ParseState, list: Record<string, unknown>): void {
  const { items, kind } = list as { items: unknown; kind: string };
  if (!Array.isArray(items)) {
    state.out.push({ index: state.out.length, error: importErrors.listItems(state.out.length, kind, items) });
    return;
  }
  const typed = KINDS.find((k) => k.listKind === kind);
  for (const item of items) addValue(state, typed ? withListType(item, typed, list.apiVersion) : item);
}

/** Items of a typed list (`WorkloadEntryList`) may leave out their apiVersion and kind. */
function withListType(item: unknown, def: KindDefinition, apiVersion: unknown): unknown {
  if (!isPlainObject(item)) return item;
  return { apiVersion, kind: def.kind, ...item };
}

function checkObject(state: ParseState, index: number, value: unknown): Checked<KubeObject> {
  if (!isPlainObject(value)) return { error: importErrors.notAnObject(index, value) };
  const limit = state.options.maxDocumentBytes;
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > limit) return { error: importErrors.tooLarge(index, bytes, limit) };
  const def = kindOf(index, value);
  return 'error' in def ? def : checkMetadata(state, index, value, def.ok);
}

/** The registry kind the document names, or the Status saying why there is none. */
function kindOf(index: number, value: Record<string, unknown>): Checked<KindDefinition> {
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '') return { error: importErrors.missingTypeField(index, 'apiVersion') };
  if (typeof kind !== 'string' || kind === '') return { error: importErrors.missingTypeField(index, 'kind') };
  const noMatch = (cause: FieldCause) => ({ error: importErrors.unknownKind(index, apiVersion, kind, cause) });
  const def = KINDS.find((k) => k.kind === kind);
  if (!def) return noMatch(fieldErrors.notSupported('kind', kind, KINDS.map((k) => k.kind)));
  const served = `${def.group}/${def.version}`;
  // Only the stored version is accepted: there is no conversion from v1alpha3/v1beta1 on import.
  if (apiVersion !== served) return noMatch(fieldErrors.notSupported('apiVersion', apiVersion, [served]));
  return { ok: def };
}

function checkMetadata(
  state: ParseState,
  index: number,
  value: Record<string, unknown>,
  def: KindDefinition,
): Checked<KubeObject> {
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
  const ns = namespace || state.options.defaultNamespace;
  const key = `${def.kind}/${ns}/${name}`;
  const earlier = state.seen.get(key);
  if (earlier !== undefined) return { error: importErrors.duplicate(index, def, ns, name, earlier) };
  state.seen.set(key, index);
  return { ok: { ...value, metadata: { ...meta, namespace: ns } } as unknown as KubeObject };
}
