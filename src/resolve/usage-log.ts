import { ExplainEntry, ExplainReason } from './resolve-types';

export interface EntryRef {
  kind: 'ServiceEntry' | 'WorkloadEntry';
  namespace: string;
  name: string;
  index?: number;
}

export function entryKey(ref: EntryRef): string {
  const base = `${ref.kind}/${ref.namespace}/${ref.name}`;
  return ref.index === undefined ? base : `${base}#${ref.index}`;
}

/**
 * What one resolution used and why it dropped the rest; explain output is derived from it.
 * Disabled (the hot path without `explain`), recording is a no-op.
 */
/** What a disabled log holds forever (it never writes): one shared pair, nothing allocated per request. */
const NOTHING_USED = new Set<string>();
const NOTHING_DROPPED = new Map<string, ExplainEntry>();

export class UsageLog {
  private readonly used: Set<string>;
  private readonly dropped: Map<string, ExplainEntry>;

  constructor(private readonly enabled = true) {
    this.used = enabled ? new Set() : NOTHING_USED;
    this.dropped = enabled ? new Map() : NOTHING_DROPPED;
  }

  use(ref: EntryRef): void {
    if (this.enabled) this.used.add(entryKey(ref));
  }

  /** The first reason recorded for an entry wins: it is the earliest filter that removed it. */
  drop(ref: EntryRef, reason: ExplainReason, message: string): void {
    if (!this.enabled) return;
    const key = entryKey(ref);
    if (this.dropped.has(key)) return;
    const { kind, namespace, name, index } = ref;
    this.dropped.set(key, { kind, namespace, name, ...(index === undefined ? {} : { index }), reason, message });
  }

  isUsed(ref: EntryRef): boolean {
    return this.used.has(entryKey(ref));
  }

  dropOf(ref: EntryRef): ExplainEntry | undefined {
    return this.isUsed(ref) ? undefined : this.dropped.get(entryKey(ref));
  }

  /** Dropped inline endpoints (indexed refs) of one ServiceEntry. */
  droppedEndpointsOf(namespace: string, name: string): ExplainEntry[] {
    const prefix = `ServiceEntry/${namespace}/${name}#`;
    return [...this.dropped.entries()]
      .filter(([key]) => key.startsWith(prefix) && !this.used.has(key))
      .map(([, entry]) => entry);
  }
}
