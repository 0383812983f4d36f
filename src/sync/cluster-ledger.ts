import { CallError } from './api-error';
import { SyncKind } from './sync-kinds';

export interface Clash {
  kind: string;
  namespace: string;
  name: string;
  reason: string;
  since: string;
}

/** The most of each list /status shows. */
const STATUS_LIST_MAX = 100;

/**
 * What one cluster's sync knows per key (kind, cluster namespace, name): which objects are in sync,
 * which registry changes wait (the lag), which names clash, which writes fail, and what it last wrote.
 * Every map holds at most one entry per object.
 */
export class ClusterLedger {
  /** Since when a registry change has been waiting, per key. */
  private readonly pendingSince = new Map<string, number>();
  private readonly synced = new Set<string>();
  private readonly clashes = new Map<string, Clash>();
  private readonly failures = new Map<string, { attempts: number; error: CallError }>();
  /** The source and cluster revisions of the last write: a cluster that normalises what it stores is not rewritten forever. */
  private readonly written = new Map<string, { source?: string; target?: string }>();

  changed(key: string, now = Date.now()): void {
    if (!this.pendingSince.has(key)) this.pendingSince.set(key, now);
  }

  /** The key is done with: its object is as the registry has it (`inSync`), or absent from both, or clashing. */
  settled(key: string, inSync: boolean): void {
    this.pendingSince.delete(key);
    this.failures.delete(key);
    if (inSync) this.synced.add(key);
    else this.synced.delete(key);
  }

  /** The sync wrote the key (revisions of both sides then), or deleted it (undefined). */
  wrote(key: string, revisions: { source?: string; target?: string } | undefined): void {
    if (revisions) this.written.set(key, revisions);
    else this.written.delete(key);
  }

  lastWrite(key: string): { source?: string; target?: string } | undefined {
    return this.written.get(key);
  }

  /** Records a clash; true when it is new (or its reason changed), so it is logged once. */
  clash(key: string, clash: Omit<Clash, 'since'>): boolean {
    this.synced.delete(key);
    if (this.clashes.get(key)?.reason === clash.reason) return false;
    this.clashes.set(key, { ...clash, since: new Date().toISOString() });
    return true;
  }

  clearClash(key: string): boolean {
    return this.clashes.delete(key);
  }

  /** Records a failed write; the attempts so far (for the retry's backoff). */
  failed(key: string, error: CallError): number {
    this.synced.delete(key);
    const attempts = (this.failures.get(key)?.attempts ?? 0) + 1;
    this.failures.set(key, { attempts, error });
    return attempts;
  }

  outOfSync(key: string): void {
    this.synced.delete(key);
  }

  inSync(): number {
    return this.synced.size;
  }

  clashCount(): number {
    return this.clashes.size;
  }

  lagSeconds(now = Date.now()): number {
    let oldest = Infinity;
    for (const since of this.pendingSince.values()) oldest = Math.min(oldest, since);
    return oldest === Infinity ? 0 : (now - oldest) / 1000;
  }

  status() {
    return {
      clashes: [...this.clashes.values()].slice(0, STATUS_LIST_MAX),
      failing: [...this.failures].slice(0, STATUS_LIST_MAX).map(([key, f]) => ({ key, attempts: f.attempts, error: f.error.message })),
    };
  }
}

export function keyFor(kind: SyncKind, namespace: string, name: string): string {
  return `${kind.kind}|${namespace}|${name}`;
}

export function parseKey(key: string, kinds: SyncKind[]): { kind: SyncKind; namespace: string; name: string } {
  const [kindName, namespace, name] = key.split('|');
  return { kind: kinds.find((k) => k.kind === kindName)!, namespace, name };
}
