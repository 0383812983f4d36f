/**
 * Equality of JSON values (what request bodies, patches and stored objects are): same type, same
 * values, same keys, whatever the key order. Unlike util.isDeepStrictEqual it does not compare
 * prototypes: an object built in another realm (structuredClone under Jest's vm contexts) is equal to
 * the same data built here, so an unchanged spec never looks changed.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && jsonEqual(left[key], right[key]));
}
