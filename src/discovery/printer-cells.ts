import { ageOf } from './human-duration';

/**
 * The cells of a CRD's additionalPrinterColumns, computed as the API server's CRD table convertor
 * does: a simple JSONPath (`.spec.address`, `.spec.ports[0].name`, `.metadata.labels['app']`) picks a
 * value, and the column type decides how it is shown.
 */

const SEGMENT = /^(?:\.([^.[\]]+)|\[(\d+)\]|\[(['"])(.*?)\3\]|\[\?\(@\.([A-Za-z0-9_]+)\s*==\s*(['"])(.*?)\6\)\])/;

/** `[?(@.type=="Healthy")]`: the first array element whose field has that value (a condition by type). */
export interface JsonPathFilter {
  field: string;
  equals: string;
}
export type JsonPathSegment = string | number | JsonPathFilter;

/** Parses a simple JSONPath into field names, array indexes and equality filters; undefined when it is not simple. */
export function parseSimpleJsonPath(path: string): JsonPathSegment[] | undefined {
  const trimmed = path.trim().replace(/^\{(.*)\}$/, '$1').replace(/^\$/, '');
  const segments: JsonPathSegment[] = [];
  let rest = trimmed;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[5] !== undefined) segments.push({ field: match[5], equals: match[7] });
    else segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[4]));
    rest = rest.slice(match[0].length);
  }
  return segments.length > 0 ? segments : undefined;
}

/** The value at a simple JSONPath, or undefined when any step is missing. */
export function evaluateSimpleJsonPath(root: unknown, path: string): unknown {
  const segments = parseSimpleJsonPath(path);
  if (!segments) return undefined;
  let node: unknown = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    if (typeof segment === 'object') {
      if (!Array.isArray(node)) return undefined;
      node = node.find((item) => item !== null && typeof item === 'object' && (item as Record<string, unknown>)[segment.field] === segment.equals);
      continue;
    }
    if (typeof segment === 'number' ? !Array.isArray(node) : Array.isArray(node)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** JSON with object keys sorted, as Go's encoding/json writes maps. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${goJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One cell: null (kubectl prints `<none>`) when the value is missing or of another type than the column's. */
export function printerCell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      // The JSONPath printer: text for scalars, JSON for arrays and objects (hosts show as ["a","b"]).
      return typeof value === 'object' ? goJson(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? ageOf(value, now) : null;
    default:
      return null;
  }
}
