import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { CacheEvent } from '../cache/object-cache';
import { KubeObject } from '../common/kube-object';
import { Status } from '../common/status';
import { columnDefinitionsOf, IncludeObject, tableRow } from '../discovery/table';
import { KindDefinition } from '../kinds/kind-definition';
import { bookmarkObject, eventTypeFor, frame, WatchEventType, WatchFilter } from './watch-events';

export type WatchEndReason = 'client' | 'timeout' | 'slow' | 'shutdown' | 'reset' | 'expired' | 'error';

export interface WatcherLimits {
  /** Events a watcher may hold while its replay is written (initial state, or the log). */
  maxPendingEvents: number;
  /** Bytes a live watcher may have buffered, unread by its client, before it is closed. */
  maxBufferedBytes: number;
  /** Initial events written between two yields to the event loop. */
  burstPerTick: number;
}

export interface WatcherOptions {
  kind: KindDefinition;
  filter: WatchFilter;
  /** Table events (kubectl get -w); plain objects otherwise. */
  table?: { include: IncludeObject };
  limits: WatcherLimits;
  onEnd(watcher: Watcher, reason: WatchEndReason): void;
}

/** Serialised events are shared by every JSON watcher of the same change. */
const framed = new WeakMap<object, Partial<Record<WatchEventType, string>>>();

function sharedFrame(type: WatchEventType, object: KubeObject): string {
  let byType = framed.get(object);
  if (!byType) framed.set(object, (byType = {}));
  return (byType[type] ??= frame(type, object));
}

/**
 * One watch: the stream its client reads, what it has been sent up to (`floor`, so no change is sent
 * twice or skipped), and its bounds. Until its replay (the initial state, or the log after the
 * client's resourceVersion) is written, live changes wait in order behind it; then they are written
 * as they come. A client that does not read is disconnected once its buffer is full; it resumes from
 * the last resourceVersion it saw, as clients do.
 */
export class Watcher {
  readonly stream = new PassThrough();
  private pending: CacheEvent[] | undefined = [];
  private floor = 0n;
  private columnsSent = false;
  private ended = false;

  constructor(private readonly options: WatcherOptions) {
    this.stream.on('close', () => this.end('client'));
  }

  get kind(): string {
    return this.options.filter.kind;
  }

  get isLive(): boolean {
    return this.pending === undefined;
  }

  /** A change from the feed, in revision order. */
  offer(change: CacheEvent): void {
    if (this.ended) return;
    if (this.pending) {
      if (this.pending.push(change) > this.options.limits.maxPendingEvents) this.end('slow');
      return;
    }
    this.deliver(change);
  }

  /** Writes the synthetic ADDED events of the current state, paced by the client's reading. */
  async sendInitial(objects: readonly KubeObject[]): Promise<void> {
    for (let i = 0; i < objects.length && !this.ended; i++) {
      if (!this.write('ADDED', objects[i]) && !this.ended) await this.drained();
      if (i % this.options.limits.burstPerTick === this.options.limits.burstPerTick - 1) await new Promise(setImmediate);
    }
  }

  /** Writes changes replayed from the history or the log. */
  async replay(changes: readonly CacheEvent[]): Promise<void> {
    for (const change of changes) {
      if (this.ended) return;
      if (!this.deliver(change) && !this.ended) await this.drained();
    }
  }

  /** The replay is written: from now on, changes after `floor` are written as they come. */
  goLive(floor: bigint): void {
    if (this.ended) return;
    if (floor > this.floor) this.floor = floor;
    const waiting = this.pending ?? [];
    this.pending = undefined;
    for (const change of waiting) this.deliver(change);
  }

  bookmark(resourceVersion: string, initialEventsEnd = false): void {
    if (!this.ended) this.write('BOOKMARK', bookmarkObject(this.options.kind, resourceVersion, initialEventsEnd), false);
  }

  /** Ends the stream cleanly, after a last ERROR event if given; clients then watch again from where they were. */
  end(reason: WatchEndReason, error?: Status): void {
    if (this.ended) return;
    if (error) this.stream.write(frame('ERROR', error));
    this.ended = true;
    this.pending = undefined;
    this.stream.end();
    this.options.onEnd(this, reason);
  }

  /** Writes the change if this watcher sees it and has not been sent it; false when the client should be waited for. */
  private deliver(change: CacheEvent): boolean {
    const revision = BigInt(change.object.metadata.resourceVersion!);
    if (revision <= this.floor) return true;
    this.floor = revision;
    const type = eventTypeFor(this.options.filter, change);
    return type ? this.write(type, change.object) : true;
  }

  private write(type: WatchEventType, object: KubeObject, asTable = true): boolean {
    const line = this.options.table && asTable ? frame(type, this.tableOf(object)) : sharedFrame(type, object);
    const more = this.stream.write(line);
    if (this.isLive && this.stream.writableLength > this.options.limits.maxBufferedBytes) this.end('slow');
    return more;
  }

  /** A Table of one row; the column definitions only in the first, as the apiserver sends them. */
  private tableOf(object: KubeObject) {
    const { kind, table } = this.options;
    const columnDefinitions = this.columnsSent ? [] : columnDefinitionsOf(kind);
    this.columnsSent = true;
    return {
      kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: object.metadata.resourceVersion },
      columnDefinitions, rows: [tableRow(kind, object, table!.include, new Date())],
    };
  }

  private async drained(): Promise<void> {
    await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close')]);
  }
}
