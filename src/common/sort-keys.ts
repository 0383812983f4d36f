/**
 * Deep copies with keys in one canonical order, so output is stable and diffs cleanly (PostgreSQL's
 * jsonb reorders keys by length; the apiserver prints custom resources with sorted keys).
 */
export const codeUnitCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 4294967295;

/**
 * Canonical key order: integer-like keys ("9" before "10") first in numeric order, then the others by
 * UTF-16 code unit (locale-independent). This is exactly the order in which every JavaScript object
 * iterates its keys, so the sorted order survives JSON.stringify and YAML rendering unchanged.
 */
export function compareKeys(a: string, b: string): number {
  const ai = isArrayIndex(a);
  const bi = isArrayIndex(b);
  if (ai && bi) return Number(a) - Number(b);
  if (ai !== bi) return ai ? -1 : 1;
  return codeUnitCompare(a, b);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep copy with object keys in canonical order and null/undefined properties dropped. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (!isPlainObject(value)) return value;
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined && value[key] !== null)
    .sort(compareKeys)
    .map((key) => [key, sortKeysDeep(value[key])] as const);
  // fromEntries defines own properties, so even a `__proto__` key stays data.
  return Object.fromEntries(entries) as T;
}

