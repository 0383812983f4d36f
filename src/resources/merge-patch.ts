/**
 * JSON merge patch (RFC 7386) with plain-data semantics for every key. The json-merge-patch package
 * stops merging, silently, at the first `__proto__`, `constructor` or `prototype` key: a label named
 * `constructor` was dropped with every key after it. Here every key is an own property: `constructor`
 * merges like any other, and `__proto__` becomes an own key (never the prototype) that validation then
 * refuses by name.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete result[key];
    else setOwn(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}
