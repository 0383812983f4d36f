import { KubeConfig, Watch } from '@kubernetes/client-node';
import { Logger } from 'pino';
import { callError } from './api-error';
import { MirrorObject } from './mirror-rules';
import { ResourceClient } from './resource-client';
import { SyncKind } from './sync-kinds';
import { SyncMetrics } from './sync-metrics';

export interface SourceListener {
  /** An object was added, changed or removed (a relist reports each difference too). */
  changed(kind: SyncKind, namespace: string, name: string): void;
  /** A full list replaced the store: the moment to diff every cluster in full. */
  relisted(kind: SyncKind): void;
}

/** The server ends each watch by then (and sends a bookmark before); the client gives up after a minute more of silence. */
const WATCH_TIMEOUT_S = 300;
const SILENCE_MS = (WATCH_TIMEOUT_S + 60) * 1000;
const BACKOFF_MIN_MS = 500;
// A registry back from a restart is picked up within 10 s; a watch costs it little, unlike a relist.
const BACKOFF_MAX_MS = 10_000;

type WatchEnd = { how: 'closed' } | { how: 'expired'; message: string } | { how: 'failed'; error: unknown };

/**
 * client-go's reflector for one kind (in one namespace, or all): list, then watch from the list's
 * resourceVersion with bookmarks; every event moves the resourceVersion on, and a reconnect resumes
 * from it. A `410 Expired` (an ERROR event or an HTTP 410) relists; any other failure backs off and
 * resumes. The store holds only what a cluster gets: metadata the sync copies, and spec.
 */
export class SourceReflector {
  readonly store = new Map<string, MirrorObject>();
  resourceVersion = '';
  synced = false;
  private stopped = false;
  private abort?: AbortController;
  private backoffMs = 0;
  private readonly client: ResourceClient;
  private readonly watcher: Watch;
  private readonly path: string;

  constructor(
    readonly kind: SyncKind,
    private readonly namespace: string | undefined,
    kc: KubeConfig,
    private readonly listener: SourceListener,
    private readonly logger: Logger,
    private readonly metrics: SyncMetrics,
  ) {
    this.client = new ResourceClient(kc);
    this.watcher = new Watch(kc);
    const base = `/apis/${kind.group}/${kind.version}`;
    this.path = namespace ? `${base}/namespaces/${namespace}/${kind.plural}` : `${base}/${kind.plural}`;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private get scope() {
    return { kind: this.kind.kind, namespace: this.namespace ?? '(all)' };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const started = Date.now();
        const end = await this.watchOnce();
        // A watch the server ends at once, again and again, would otherwise spin.
        if (end.how === 'closed' && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 1000));
        if (end.how === 'expired') {
          this.logger.info({ source: this.scope, resourceVersion: this.resourceVersion, why: end.message }, 'the registry no longer holds this revision (410 Expired): listing again');
          this.metrics.sourceRelists.inc({ kind: this.kind.kind, reason: 'expired' });
          this.resourceVersion = '';
        } else if (end.how === 'failed') throw end.error;
        this.backoffMs = 0;
      } catch (error) {
        if (this.stopped) return;
        const e = callError(error);
        if (e.code === 410) {
          this.resourceVersion = '';
          this.metrics.sourceRelists.inc({ kind: this.kind.kind, reason: 'expired' });
          continue;
        }
        this.metrics.source.connected.set({ kind: this.kind.kind }, 0);
        this.metrics.sourceErrors.inc({ kind: this.kind.kind });
        this.backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, this.backoffMs * 2));
        const then = this.resourceVersion ? `watching from resourceVersion ${this.resourceVersion}` : 'listing';
        this.logger.warn({ source: this.scope, error: e, retryInMs: this.backoffMs }, `cannot read the registry (${e.message}); retrying in ${this.backoffMs} ms, ${then}`);
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs));
      }
    }
  }

  /** A full list, swapped in at once: the differences from the store are reported, deletes included. */
  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.client.listAll(this.kind, this.namespace);
    const fresh = new Map<string, MirrorObject>();
    for (const item of items) fresh.set(keyOf(item), slim(item, this.kind));
    const changed: string[] = [];
    for (const [key, object] of fresh) if (this.store.get(key)?.metadata.resourceVersion !== object.metadata.resourceVersion) changed.push(key);
    for (const key of this.store.keys()) if (!fresh.has(key)) changed.push(key);
    this.store.clear();
    fresh.forEach((object, key) => this.store.set(key, object));
    this.resourceVersion = resourceVersion;
    this.synced = true;
    this.metrics.source.connected.set({ kind: this.kind.kind }, 1);
    this.logger.info({ source: this.scope, objects: fresh.size, changed: changed.length, resourceVersion }, 'listed the registry');
    for (const key of changed) {
      const [namespace, name] = key.split('/');
      this.listener.changed(this.kind, namespace, name);
    }
    this.listener.relisted(this.kind);
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let end: WatchEnd = { how: 'closed' };
      let finished = false;
      let controller: AbortController | undefined;
      let silence: NodeJS.Timeout | undefined;
      const finish = (result: WatchEnd) => {
        if (finished) return;
        finished = true;
        clearTimeout(silence);
        controller?.abort();
        resolve(result);
      };
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => finish({ how: 'failed', error: new Error(`the watch was silent for ${SILENCE_MS / 1000} s`) }), SILENCE_MS);
        silence.unref();
      };
      const onEvent = (type: string, object: MirrorObject & { code?: number; message?: string }) => {
        if (finished) return;
        heard();
        if (type === 'ERROR') {
          end = object.code === 410 ? { how: 'expired', message: String(object.message) } : { how: 'failed', error: { code: object.code, body: object } };
          return;
        }
        const resourceVersion = object?.metadata?.resourceVersion;
        if (resourceVersion) this.resourceVersion = resourceVersion;
        if (type === 'BOOKMARK') return;
        const key = keyOf(object);
        if (type === 'DELETED') this.store.delete(key);
        else this.store.set(key, slim(object, this.kind));
        this.listener.changed(this.kind, object.metadata.namespace, object.metadata.name);
      };
      const done = (error: unknown) => finish(error && !this.stopped ? { how: 'failed', error } : end);
      heard();
      const query = { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_TIMEOUT_S };
      this.watcher.watch(this.path, query, onEvent, done).then(
        (started) => {
          controller = started;
          this.abort = started;
          if (finished || this.stopped) started.abort();
          else {
            this.backoffMs = 0;
            this.metrics.source.connected.set({ kind: this.kind.kind }, 1);
          }
        },
        (error) => done(error),
      );
    });
  }
}

export function keyOf(object: MirrorObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

/** What the sync copies: apiVersion, kind, name, namespace, labels, annotations, resourceVersion, spec. */
function slim(object: MirrorObject, kind: SyncKind): MirrorObject {
  const { name, namespace, labels, annotations, resourceVersion } = object.metadata;
  return { apiVersion: `${kind.group}/${kind.version}`, kind: kind.kind, metadata: { name, namespace, labels, annotations, resourceVersion }, spec: object.spec };
}
