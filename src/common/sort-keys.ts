/**
 * Returns a copy with object keys sorted at every depth (arrays keep their order). PostgreSQL's jsonb
 * reorders keys by length; the apiserver prints custom resources with sorted keys, and so do we, so
 * output is stable and diffs cleanly.
 */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted as T;
}
