import BTree from 'sorted-btree';
import { KubeObject } from '../common/kube-object';
import { FieldRequirement, matchesFieldSelector } from '../resources/field-selector';
import { LabelRequirement, matchesLabelSelector } from '../resources/label-selector';
import type { ChangeType } from '../store/change-log.repository';
import { ObjectKey } from '../store/resource-row';

/** One change as the cache applies it and hands it on (to the resolve index, to watches). */
export interface CacheEvent {
  type: ChangeType;
  /** The object as stored; for DELETED its last state, stamped with the deletion's resourceVersion. */
  object: KubeObject;
  /** metadata.labels before the change (none for ADDED): a filtered watch tells ADDED/DELETED by them. */
  previousLabels?: Record<string, string>;
}

export interface ListQuery {
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** Keyset pagination: items strictly after this key. */
  after?: ObjectKey;
  limit?: number;
}

export interface ListPage {
  items: KubeObject[];
  /** Set when `limit` cut the list short: the key of the last item returned. */
  last?: ObjectKey;
}

// NUL sorts first, so keys order by namespace, then name, as lists do.
const keyOf = (namespace: string, name: string) => `${namespace}\u0000${name}`;
const rv = (object: KubeObject) => BigInt(object.metadata.resourceVersion ?? 0);

/**
 * Every stored object of every kind, in list order, in memory: reads are served from here. Objects are
 * shared with readers and must be treated as immutable; a change replaces the object.
 */
export class ObjectCache {
  private readonly kinds = new Map<string, BTree<string, KubeObject>>();

  get(kind: string, key: ObjectKey): KubeObject | undefined {
    return this.kinds.get(kind)?.get(keyOf(key.namespace, key.name));
  }

  /**
   * Applies one change. Idempotent and order-safe per object: a change older than the stored version is
   * ignored (false), which is what makes replaying the log over a snapshot correct.
   */
  apply(event: CacheEvent): boolean {
    const { namespace, name } = event.object.metadata as ObjectKey;
    const tree = this.tree(event.object.kind);
    const key = keyOf(namespace, name);
    const stored = tree.get(key);
    if (stored && rv(stored) >= rv(event.object)) return false;
    if (event.type === 'DELETED') return stored ? tree.delete(key) : false;
    tree.set(key, event.object);
    return true;
  }

  /** The cache becomes exactly `objects` (start-up, or a reload after falling behind compaction). */
  reset(objects: Iterable<KubeObject>): void {
    this.kinds.clear();
    for (const object of objects) {
      const { namespace, name } = object.metadata as ObjectKey;
      this.tree(object.kind).set(keyOf(namespace, name), object);
    }
  }

  /** One page of a list, in (namespace, name) order. */
  list(kind: string, query: ListQuery): ListPage {
    const items: KubeObject[] = [];
    const fields = query.fields.length > 0;
    for (const object of this.scan(kind, query.namespace, query.after)) {
      if (!matchesLabelSelector(object.metadata.labels, query.labels)) continue;
      if (fields && !matchesFieldSelector(fieldsOf(object), query.fields)) continue;
      if (query.limit !== undefined && items.length === query.limit) {
        const last = items[items.length - 1].metadata as ObjectKey;
        return { items, last: { namespace: last.namespace, name: last.name } };
      }
      items.push(object);
    }
    return { items };
  }

  /** Namespaces holding at least one object of any kind, sorted. */
  namespaces(): string[] {
    const found = new Set<string>();
    for (const tree of this.kinds.values()) {
      for (const key of tree.keys()) found.add(key.slice(0, key.indexOf('\u0000')));
    }
    return [...found].sort();
  }

  count(kind: string): number {
    return this.kinds.get(kind)?.size ?? 0;
  }

  all(kind: string): IterableIterator<KubeObject> {
    return this.tree(kind).values();
  }

  private *scan(kind: string, namespace: string | undefined, after: ObjectKey | undefined): Generator<KubeObject> {
    const tree = this.kinds.get(kind);
    if (!tree) return;
    const prefix = namespace === undefined ? undefined : keyOf(namespace, '');
    const start = after ? keyOf(after.namespace, after.name) : prefix;
    for (const [key, object] of tree.entries(start)) {
      if (after && key === start) continue;
      if (prefix !== undefined && !key.startsWith(prefix)) {
        if (key > prefix) return;
        continue;
      }
      yield object;
    }
  }

  private tree(kind: string): BTree<string, KubeObject> {
    let tree = this.kinds.get(kind);
    if (!tree) this.kinds.set(kind, (tree = new BTree<string, KubeObject>()));
    return tree;
  }
}

/** The fields a fieldSelector may name, as for a custom resource. */
export const SUPPORTED_FIELD_SELECTORS = ['metadata.name', 'metadata.namespace'];

export function fieldsOf(object: KubeObject): Record<string, string> {
  return { 'metadata.name': object.metadata.name ?? '', 'metadata.namespace': object.metadata.namespace ?? '' };
}
