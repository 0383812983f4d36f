import { Logger } from 'pino';
import { parseLabelSelector } from '../resources/label-selector';
import { callError, CallError } from './api-error';
import { ClusterLedger, keyFor, parseKey } from './cluster-ledger';
import { decide, Decision, desiredObject, inScope, isOurs, MANAGED_BY, MANAGED_BY_LABEL, MirrorObject, MirrorScope, replacement, sourceNamespace, targetNamespace } from './mirror-rules';
import { ObjectClient } from './resource-client';
import { ClusterTarget } from './sync-config';
import { SyncKind } from './sync-kinds';
import { ClusterGauges, SyncMetrics } from './sync-metrics';
import { WorkQueue } from './work-queue';
import { WritePacer } from './write-pacer';

/** The registry as the clusters read it: one store per kind, complete once `synced`. */
export interface SourceView {
  synced(): boolean;
  get(kind: SyncKind, namespace: string, name: string): MirrorObject | undefined;
  objects(kind: SyncKind): Iterable<MirrorObject>;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const RETRY_MAX_MS = 5 * 60_000;

/**
 * Makes one cluster follow the registry. Source changes queue keys (kind, target namespace, name);
 * workers read the cluster's object, decide (mirror-rules), and write at the cluster's rate. A full
 * sync lists the sync's own objects in the cluster and queues every key of both sides, so deletes
 * missed while the sync was away (or the registry relisted) are found by difference. A cluster that
 * fails is paused with backoff, then synced in full again; the others never wait for it.
 */
export class ClusterSyncer implements ClusterGauges {
  readonly name: string;
  private readonly scope: MirrorScope;
  private readonly queue = new WorkQueue();
  private readonly pacer: WritePacer;
  /** What a full sync's list found, so the worker need not read the object again. */
  private readonly hints = new Map<string, MirrorObject | null>();
  private readonly ledger = new ClusterLedger();
  /** Kinds the cluster does not serve (no CRD), as of the last full sync. */
  private readonly missingKinds = new Set<string>();
  private paused?: Promise<void>;
  private backoffMs = 0;
  private fullSyncRunning = false;
  private fullSyncAgain = false;
  private resyncTimer?: NodeJS.Timeout;
  private stopped = false;
  reachableNow = false;
  initialSyncDone = false;
  /** The first full sync has been tried: until then the cluster is neither ready nor known to be down. */
  attempted = false;
  lastError?: { message: string; at: string };

  constructor(
    private readonly target: ClusterTarget,
    private readonly kinds: SyncKind[],
    private readonly source: SourceView,
    private readonly client: ObjectClient,
    private readonly origin: string,
    private readonly logger: Logger,
    private readonly metrics: SyncMetrics,
    private readonly resyncSeconds: number,
  ) {
    this.name = target.name;
    this.scope = { namespaces: target.namespaces, selector: parseLabelSelector(target.labelSelector), namespaceMapping: target.namespaceMapping };
    this.pacer = new WritePacer(target.writesPerSecond);
    metrics.addCluster(this);
  }

  /** Starts the workers and the first full sync (the registry must be listed by then). */
  start(): void {
    for (let i = 0; i < this.target.concurrency; i++) void this.work();
    this.requestFullSync();
    this.resyncTimer = setInterval(() => this.requestFullSync(), this.resyncSeconds * 1000);
    this.resyncTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.queue.close();
  }

  /** A registry object changed: its key in this cluster is queued, if this cluster mirrors it. */
  sourceChanged(kind: SyncKind, namespace: string, name: string): void {
    if (this.missingKinds.has(kind.kind)) return;
    if (this.scope.namespaces && !this.scope.namespaces.includes(namespace)) return;
    const key = keyFor(kind, targetNamespace(this.scope, namespace), name);
    this.ledger.changed(key);
    this.queue.add(key);
  }

  /** Queues a full sync; one already running runs once more after it, so none is lost and none piles up. */
  requestFullSync(): void {
    if (this.stopped) return;
    if (this.fullSyncRunning) {
      this.fullSyncAgain = true;
      return;
    }
    this.fullSyncRunning = true;
    void this.fullSync().finally(() => {
      this.fullSyncRunning = false;
      if (this.fullSyncAgain) {
        this.fullSyncAgain = false;
        this.requestFullSync();
      }
    });
  }

  private async fullSync(): Promise<void> {
    try {
      const found = new Map<string, MirrorObject>();
      for (const kind of this.kinds) await this.listManaged(kind, found);
      this.recovered();
      this.metrics.fullSyncs.inc({ cluster: this.name });
      const keys = new Set(found.keys());
      for (const kind of this.served()) for (const object of this.source.objects(kind)) {
        if (inScope(this.scope, object)) keys.add(keyFor(kind, targetNamespace(this.scope, object.metadata.namespace), object.metadata.name));
      }
      // A key not in the list may still be taken by someone else's object: the create finds out (409) and reads it.
      for (const key of keys) {
        this.hints.set(key, found.get(key) ?? null);
        this.queue.add(key);
      }
      if (!this.initialSyncDone) {
        await this.drained();
        if (!this.stopped && this.reachableNow) {
          this.initialSyncDone = true;
          this.logger.info({ cluster: this.name, objects: this.ledger.inSync(), clashes: this.ledger.clashCount() }, 'initial sync done');
        }
      }
    } catch (error) {
      this.unreachable(callError(error), 'full sync');
    } finally {
      this.attempted = true;
    }
  }

  /**
   * The sync's objects of `kind` in the cluster, into `found`. A cluster without the kind's CRD (404)
   * gets the other kinds all the same; the missing one is an error at each full sync until installed.
   */
  private async listManaged(kind: SyncKind, found: Map<string, MirrorObject>): Promise<void> {
    try {
      for (const namespace of this.targetNamespaces()) {
        const { items } = await this.client.listAll(kind, namespace, `${MANAGED_BY_LABEL}=${MANAGED_BY}`);
        for (const item of items) if (isOurs(item, this.origin)) found.set(keyFor(kind, item.metadata.namespace, item.metadata.name), item);
      }
      this.missingKinds.delete(kind.kind);
    } catch (error) {
      const e = callError(error);
      if (e.code !== 404) throw error;
      this.missingKinds.add(kind.kind);
      this.metrics.errors.inc({ cluster: this.name, reason: 'rejected' });
      this.lastError = { message: `${kind.plural}.${kind.group}/${kind.version}: ${e.message}`, at: new Date().toISOString() };
      this.logger.error({ cluster: this.name, kind: kind.kind, error: e }, `cluster ${this.name} does not serve ${kind.plural}.${kind.group}/${kind.version} (is Istio's CRD installed?): its ${kind.kind}s are not synced`);
    }
  }

  private served(): SyncKind[] {
    return this.kinds.filter((kind) => !this.missingKinds.has(kind.kind));
  }

  /** Namespaces to list: those the mirrored namespaces land in (Role-scoped RBAC suffices), or all. */
  private targetNamespaces(): Array<string | undefined> {
    return this.scope.namespaces ? this.scope.namespaces.map((ns) => targetNamespace(this.scope, ns)) : [undefined];
  }

  private async drained(): Promise<void> {
    while (!this.stopped && this.reachableNow && !this.queue.idle) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.next();
      if (key === undefined) return;
      try {
        await this.paused;
        await this.process(key);
      } catch (error) {
        this.failed(key, callError(error));
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    const { kind, namespace, name } = parseKey(key, this.kinds);
    const desired = this.desiredFor(kind, namespace, name);
    const actual = this.hints.has(key) ? (this.hints.get(key) ?? undefined) : await this.client.get(kind, namespace, name);
    this.hints.delete(key);
    const decision = this.asLastWritten(key, desired, actual) ?? decide(desired, actual, this.origin);
    let inSync: boolean;
    try {
      inSync = await this.apply(key, kind, decision, desired, actual);
    } catch (error) {
      const e = callError(error);
      // The object changed (or appeared, or went) since it was read: read it again and decide again.
      if (e.code === 409 || (e.code === 404 && decision.action !== 'create')) {
        this.metrics.errors.inc({ cluster: this.name, reason: 'conflict' });
        this.hints.delete(key);
        this.queue.add(key);
        return;
      }
      throw error;
    }
    this.recovered();
    this.ledger.settled(key, inSync);
  }

  private desiredFor(kind: SyncKind, namespace: string, name: string): MirrorObject | undefined {
    const from = sourceNamespace(this.scope, namespace);
    const object = from === undefined ? undefined : this.source.get(kind, from, name);
    return object && inScope(this.scope, object) ? desiredObject(object, this.scope, this.origin) : undefined;
  }

  /** In sync when neither side moved since the sync's last write, whatever the cluster made of it. */
  private asLastWritten(key: string, desired: MirrorObject | undefined, actual: MirrorObject | undefined): Decision | undefined {
    const last = this.ledger.lastWrite(key);
    if (!last || !desired || !actual || !isOurs(actual, this.origin)) return undefined;
    const sourceRevision = this.source.get(parseKey(key, this.kinds).kind, sourceNamespace(this.scope, desired.metadata.namespace)!, desired.metadata.name)?.metadata.resourceVersion;
    return last.target === actual.metadata.resourceVersion && last.source === sourceRevision ? { action: 'none', reason: 'unchanged since written' } : undefined;
  }

  /** Carries the decision out; whether the cluster now holds the object as the registry has it. */
  private async apply(key: string, kind: SyncKind, decision: Decision, desired: MirrorObject | undefined, actual: MirrorObject | undefined): Promise<boolean> {
    const { namespace, name } = parseKey(key, this.kinds);
    const where = { cluster: this.name, kind: kind.kind, namespace, name };
    if (decision.action === 'clash') {
      if (this.ledger.clash(key, { kind: kind.kind, namespace, name, reason: decision.reason })) {
        this.logger.warn({ ...where, action: 'clash', reason: decision.reason }, `left ${kind.kind} ${namespace}/${name} in ${this.name} alone: ${decision.reason}`);
      }
      return false;
    }
    if (this.ledger.clearClash(key)) this.logger.info(where, 'name clash resolved');
    if (decision.action === 'none') {
      if (!desired) this.ledger.wrote(key, undefined);
      return desired !== undefined;
    }
    const wait = this.pacer.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sourceRevision = desired ? this.source.get(kind, sourceNamespace(this.scope, where.namespace)!, where.name)?.metadata.resourceVersion : undefined;
    let result: MirrorObject | undefined;
    if (decision.action === 'create') result = await this.client.create(kind, desired!);
    else if (decision.action === 'replace') result = await this.client.replace(kind, replacement(actual!, desired!));
    else await this.client.delete(kind, actual!);
    this.metrics.writes.inc({ cluster: this.name, action: decision.action });
    const verb = { create: 'created', replace: 'replaced', delete: 'deleted' }[decision.action];
    this.logger.info({ ...where, action: decision.action, reason: decision.reason, sourceResourceVersion: sourceRevision, resourceVersion: result?.metadata.resourceVersion }, `${verb} ${kind.kind} ${where.namespace}/${where.name} in ${this.name}: ${decision.reason}`);
    this.ledger.wrote(key, decision.action === 'delete' ? undefined : { source: sourceRevision, target: result?.metadata.resourceVersion });
    return decision.action !== 'delete';
  }

  private failed(key: string, error: CallError): void {
    this.ledger.outOfSync(key);
    if (error.transient) {
      this.unreachable(error, 'write');
      // Kept queued: the full sync after the pause queues it anyway, and this keeps its lag counting.
      this.queue.addAfter(key, this.backoffMs);
      return;
    }
    this.metrics.errors.inc({ cluster: this.name, reason: 'rejected' });
    const attempts = this.ledger.failed(key, error);
    const retryInMs = Math.min(RETRY_MAX_MS, 1000 * 2 ** (attempts - 1));
    this.lastError = { message: `${key}: ${error.message}`, at: new Date().toISOString() };
    this.logger.error({ cluster: this.name, key, error, retryInMs }, `${this.name} refused the write of ${key}: ${error.message}`);
    this.queue.addAfter(key, retryInMs);
  }

  /** Pauses every worker of this cluster for the backoff, then syncs it in full. */
  private unreachable(error: CallError, during: string): void {
    this.metrics.errors.inc({ cluster: this.name, reason: error.transient ? 'unreachable' : 'rejected' });
    this.lastError = { message: `${during}: ${error.message}`, at: new Date().toISOString() };
    if (this.paused) return;
    const wasReachable = this.reachableNow;
    this.reachableNow = false;
    this.backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, this.backoffMs * 2));
    // A refusal (403: RBAC; 404: the CRD is not installed) is the operator's to fix, every time; an outage is news once.
    const level = !error.transient ? 'error' : wasReachable || !this.attempted ? 'warn' : 'debug';
    const what = error.transient ? 'cannot be reached' : 'refuses the sync';
    this.logger[level]({ cluster: this.name, error, retryInMs: this.backoffMs }, `cluster ${this.name} ${what} (${during}): ${error.message}`);
    this.paused = new Promise<void>((resolve) => setTimeout(() => {
      this.paused = undefined;
      resolve();
      this.requestFullSync();
    }, this.backoffMs).unref());
  }

  private recovered(): void {
    if (!this.reachableNow && this.backoffMs > 0) this.logger.info({ cluster: this.name }, `cluster ${this.name} answers again`);
    this.reachableNow = true;
    this.backoffMs = 0;
  }

  desired(): number {
    let count = 0;
    for (const kind of this.served()) for (const object of this.source.objects(kind)) if (inScope(this.scope, object)) count++;
    return count;
  }

  inSync(): number {
    return this.ledger.inSync();
  }

  clashes(): number {
    return this.ledger.clashCount();
  }

  queued(): number {
    return this.queue.size;
  }

  lagSeconds(): number {
    return this.ledger.lagSeconds();
  }

  reachable(): boolean {
    return this.reachableNow;
  }

  status() {
    return {
      name: this.name,
      reachable: this.reachableNow,
      initialSyncDone: this.initialSyncDone,
      desired: this.desired(),
      inSync: this.ledger.inSync(),
      queued: this.queue.size,
      lagSeconds: this.lagSeconds(),
      lastError: this.lastError,
      missingKinds: [...this.missingKinds],
      ...this.ledger.status(),
    };
  }
}
