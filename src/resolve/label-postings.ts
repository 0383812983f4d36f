/**
 * Inverted index key → entries. A posting with one entry stores it bare instead of in a Set: at
 * 100k WorkloadEntries most `key=value` pairs (instance ids, IPs) are unique, and a Set per pair
 * would dominate memory.
 */
export class Postings<T extends object> {
  private readonly map = new Map<string, T | Set<T>>();

  add(key: string, item: T): void {
    const cur = this.map.get(key);
    if (cur === undefined) this.map.set(key, item);
    else if (cur instanceof Set) cur.add(item);
    else if (cur !== item) this.map.set(key, new Set([cur, item]));
  }

  delete(key: string, item: T): void {
    const cur = this.map.get(key);
    if (cur === item) this.map.delete(key);
    else if (cur instanceof Set && cur.delete(item) && cur.size === 1) {
      this.map.set(key, cur.values().next().value as T);
    }
  }

  size(key: string): number {
    const cur = this.map.get(key);
    if (cur === undefined) return 0;
    return cur instanceof Set ? cur.size : 1;
  }

  /** A fresh array the caller may sort or filter. */
  get(key: string): T[] {
    const cur = this.map.get(key);
    if (cur === undefined) return [];
    return cur instanceof Set ? [...cur] : [cur];
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  clear(): void {
    this.map.clear();
  }
}

/** Posting key of one selector label in one namespace; NUL cannot occur in names or labels. */
export function labelKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}
