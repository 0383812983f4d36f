import { Inject, Injectable, Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { KubeObject } from '../common/kube-object';
import { Database } from '../database/database';
import { KindDefinition } from '../kinds/kind-definition';
import { GroupCommit } from './group-commit';
import { jsonToRow, ObjectKey, objectToRow, ResourceRow } from './resource-row';

/** Who made a write, recorded with it in the change log (the audit trail). */
export interface Actor {
  tokenId?: string;
  subject: string;
}

export type WriteOperation =
  | { op: 'create'; kind: KindDefinition; object: KubeObject }
  | { op: 'update'; kind: KindDefinition; object: KubeObject; expectedVersion: string }
  /** Writes nothing: answers `unchanged` while the stored version is still `expectedVersion`. */
  | { op: 'verify'; kind: KindDefinition; key: ObjectKey; expectedVersion: string }
  | { op: 'delete'; kind: KindDefinition; key: ObjectKey; expectedVersion?: string; expectedUid?: string };

export type WriteOutcome = 'ok' | 'exists' | 'notfound' | 'conflict' | 'unchanged' | 'skipped';

export interface WriteResult {
  outcome: WriteOutcome;
  /** The revision written (ok), or the stored one. */
  resourceVersion?: string;
  /** The stored row before this write (for a delete: what was deleted; for a conflict: what won). */
  current?: ResourceRow;
  /** For a delete with a propagation policy: what garbage collection did to the objects it owned. */
  dependents?: DependentChange[];
  /** False when the owner has more dependents than one batch: the rest is pending (see collect). */
  collected?: boolean;
}

/** One batch of a pending collection. */
export interface CollectedBatch {
  dependents: DependentChange[];
  /** No dependent is left and the pending record is gone. */
  done: boolean;
}

/** Dependents collected per transaction: few enough locks and a short transaction, whatever the group's size. */
export const COLLECT_BATCH = 500;

/** One object garbage collection deleted, or (Orphan, or another owner alive) released from its owner. */
export interface DependentChange {
  op: 'delete' | 'update';
  resourceVersion: string;
  /** The row before the change. */
  current: ResourceRow;
}

/** metav1.DeletionPropagation; Foreground and Background act alike here, as dependents go in the owner's transaction. */
export type Propagation = 'Orphan' | 'Background' | 'Foreground';

export interface WriteMode {
  /** One failed precondition writes nothing at all. */
  atomic?: boolean;
  /** Checks every precondition as the write would, writes nothing. */
  dryRun?: boolean;
  actor?: Actor;
  /**
   * Deletes of a kind with dependentKinds also collect the objects of the namespace whose ownerReferences
   * name the deleted one (kind, name, uid): deleted, or with Orphan released. The owner's transaction
   * records the collection as pending and does the first batch. Unset: no collection.
   */
  propagation?: Propagation;
}

/** A write under the key lock of one object, taken by `withKeyLocked`. */
export interface LockedKey {
  current?: ResourceRow;
  write(operations: WriteOperation[], mode?: WriteMode): Promise<WriteResult[]>;
}

/** A transaction taken by `transaction`. */
export interface Transaction {
  query<R>(sql: string, values?: unknown[]): Promise<R[]>;
  write(operations: WriteOperation[], mode?: WriteMode): Promise<WriteResult[]>;
}

const keyOf = (op: WriteOperation): ObjectKey => ('object' in op ? (op.object.metadata as ObjectKey) : op.key);

/** Writes in one group commit at most (one mr_write call, one transaction). */
const GROUP_COMMIT_MAX_BATCH = 64;

/**
 * Group commits of one replica on their way at once. Two, not one: a batch waiting on a key another
 * replica holds leaves the other free. Not more: concurrent small commits contend in PostgreSQL, and
 * fewer, larger ones did more writes per CPU (BENCHMARKS.md, 22:40 run: 1.25× the creates of five in flight).
 */
const GROUP_COMMITS_IN_FLIGHT = 2;

/** A fill (see mr_fill_gap) took the revision this write had drawn: the write rolled back, try again. */
const isRevisionTaken = (error: unknown) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'resource_changes_pkey';

/**
 * The only place that writes resources (every kind shares one table). Each write is one call of the
 * SQL function mr_write (prisma/migrations): one round trip that locks only the keys it writes, checks
 * preconditions, and appends the change log, so writers on every replica run concurrently. Concurrent
 * single writes of one replica share calls (group commit, see GroupCommit): one commit for many.
 */
@Injectable()
export class ResourceRepository {
  private readonly audit = new Logger('Audit');
  /** Single writes share transactions under load; the rest of the pool stays for reads, the feed and locks. */
  private readonly singles: GroupCommit<Record<string, unknown>, RawResult>;

  constructor(@Inject(Database) private readonly database: Database) {
    const inFlight = Math.max(1, Math.min(GROUP_COMMITS_IN_FLIGHT, Math.floor((database.pool.options.max ?? 10) / 2)));
    this.singles = new GroupCommit((payloads) => this.sendBatch(payloads), inFlight, GROUP_COMMIT_MAX_BATCH);
  }

  async write(operations: WriteOperation[], mode: WriteMode = {}): Promise<WriteResult[]> {
    // A delete that collects its dependents needs mr_write_collecting: it goes on its own.
    if (operations.length !== 1 || mode.atomic || mode.dryRun || ownersOf(operations, mode)) {
      return this.run((sql, values) => this.database.pool.query(sql, values), operations, mode);
    }
    const [op] = operations;
    const key = keyOf(op);
    const results = [fromRaw(await this.singles.submit(`${op.kind.kind}/${key.namespace}/${key.name}`, toPayload(op, mode.actor)))];
    this.logWrites(operations, results, mode.actor);
    return results;
  }

  /** One group commit: independent writes (not atomic) in one mr_write call. */
  private async sendBatch(payloads: Record<string, unknown>[], retryTakenRevision = true): Promise<RawResult[]> {
    try {
      const { rows } = await this.database.pool.query<{ results: RawResult[] }>(
        'SELECT mr_write($1::jsonb, false, false) AS results', [JSON.stringify(payloads)],
      );
      return rows[0].results;
    } catch (error) {
      if (retryTakenRevision && isRevisionTaken(error)) return this.sendBatch(payloads, false);
      throw error;
    }
  }

  /** The next batch of the collection owed for a deleted owner (its own transaction). */
  async collect(ownerUid: string, batch = COLLECT_BATCH, retryTakenRevision = true): Promise<CollectedBatch> {
    try {
      const { rows } = await this.database.pool.query<{ batch: { dependents: RawDependent[]; done: boolean } }>(
        'SELECT mr_collect($1::uuid, $2) AS batch', [ownerUid, batch],
      );
      const collected = { dependents: rows[0].batch.dependents.map(fromRawDependent), done: rows[0].batch.done };
      this.logCollected(ownerUid, collected.dependents);
      return collected;
    } catch (error) {
      if (retryTakenRevision && isRevisionTaken(error)) return this.collect(ownerUid, batch, false);
      throw error;
    }
  }

  /** Owners whose collection is still owed (a crash, or a group larger than a batch). */
  async pendingCollections(): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ uid: string }>('SELECT owner_uid AS uid FROM pending_collections ORDER BY created_at');
    return rows.map((row) => row.uid);
  }

  /**
   * Runs `work` inside a transaction holding the lock mr_write takes for this key, with the current row
   * as it is in the database: an update made there cannot lose a race. The lock ends with `work`.
   */
  async withKeyLocked<T>(kind: KindDefinition, key: ObjectKey, work: (locked: LockedKey) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      const [{ row }] = await tx.query<{ row: Record<string, unknown> | null }>('SELECT mr_lock($1, $2, $3) AS row', [kind.kind, key.namespace, key.name]);
      return work({ current: row ? jsonToRow(row) : undefined, write: tx.write });
    });
  }

  /**
   * Runs `work` in one transaction on one connection: its own queries and mr_write calls commit or roll
   * back together (the lease reaper marks and deletes entries together with their lease rows).
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.database.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const tx: Transaction = {
        query: async <R>(sql: string, values: unknown[] = []) => (await client.query(sql, values)).rows as R[],
        write: (operations, mode = {}) => this.run((sql, values) => client.query(sql, values), operations, mode, false),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async run(
    query: (sql: string, values: unknown[]) => Promise<{ rows: { results: RawResult[] }[] }>,
    operations: WriteOperation[], mode: WriteMode, retryTakenRevision = true,
  ): Promise<WriteResult[]> {
    const payload = JSON.stringify(operations.map((op) => toPayload(op, mode.actor)));
    const owners = ownersOf(operations, mode);
    const [sql, values] = owners
      ? ['SELECT mr_write_collecting($1::jsonb, $2, $3, $4, $5::jsonb, $6) AS results',
        [payload, !!mode.atomic, !!mode.dryRun, mode.propagation === 'Orphan', JSON.stringify(owners), COLLECT_BATCH]]
      : ['SELECT mr_write($1::jsonb, $2, $3) AS results', [payload, !!mode.atomic, !!mode.dryRun]];
    try {
      const { rows } = await query(sql, values);
      const results = rows[0].results.map(fromRaw);
      if (!mode.dryRun) this.logWrites(operations, results, mode.actor);
      return results;
    } catch (error) {
      // Only a write that is its own transaction can be retried here; inside withKeyLocked the caller's
      // transaction is aborted, and the error goes up.
      if (retryTakenRevision && isRevisionTaken(error)) return this.run(query, operations, mode, false);
      throw error;
    }
  }

  /** One structured line per stored write: who (token id and subject, never a secret), what, which revision. */
  private logWrites(operations: WriteOperation[], results: WriteResult[], actor: Actor | undefined): void {
    results.forEach((result, index) => {
      const op = operations[index];
      if (result.outcome !== 'ok' || op.op === 'verify') return;
      const { namespace, name } = keyOf(op);
      this.audit.log({ msg: 'audit', audit: { verb: op.op, kind: op.kind.kind, namespace, name, resourceVersion: result.resourceVersion, tokenId: actor?.tokenId, subject: actor?.subject } });
      this.logCollected(result.current?.uid ?? '', result.dependents ?? [], actor);
    });
  }

  /** Collected dependents are audited as writes of their own, naming the owner whose deletion made them. */
  private logCollected(ownerUid: string, dependents: DependentChange[], actor?: Actor): void {
    for (const { op, resourceVersion, current } of dependents) {
      const { kind, namespace, name } = current;
      this.audit.log({ msg: 'audit', audit: { verb: op, kind, namespace, name, resourceVersion, ownerUid, collected: true, tokenId: actor?.tokenId, subject: actor?.subject } });
    }
  }
}

interface RawDependent {
  op: DependentChange['op'];
  resourceVersion: string;
  current: Record<string, unknown>;
}

interface RawResult {
  outcome: WriteOutcome;
  resourceVersion: string | null;
  current: Record<string, unknown> | null;
  dependents?: RawDependent[];
  collected?: boolean;
}

const fromRawDependent = (d: RawDependent): DependentChange => ({ op: d.op, resourceVersion: d.resourceVersion, current: jsonToRow(d.current) });

function fromRaw(raw: RawResult): WriteResult {
  return {
    outcome: raw.outcome,
    ...(raw.resourceVersion ? { resourceVersion: raw.resourceVersion } : {}),
    ...(raw.current ? { current: jsonToRow(raw.current) } : {}),
    ...(raw.dependents ? { dependents: raw.dependents.map(fromRawDependent) } : {}),
    ...(raw.collected !== undefined ? { collected: raw.collected } : {}),
  };
}

/** The owner kinds among the deletes, with their dependent kinds; undefined when nothing is to be collected. */
function ownersOf(operations: WriteOperation[], mode: WriteMode): Record<string, string[]> | undefined {
  if (mode.propagation === undefined || mode.dryRun) return undefined;
  const owners = operations.filter((op) => op.op === 'delete' && op.kind.dependentKinds?.length);
  if (owners.length === 0) return undefined;
  return Object.fromEntries(owners.map((op) => [op.kind.kind, op.kind.dependentKinds!]));
}

/** The newest revision a write took, its dependents' included (they come after the owner's). */
export function newestRevision(result: WriteResult): string | undefined {
  const last = result.dependents?.[result.dependents.length - 1];
  return last?.resourceVersion ?? result.resourceVersion;
}

function toPayload(op: WriteOperation, actor: Actor | undefined): Record<string, unknown> {
  const key = keyOf(op);
  const base = { op: op.op, kind: op.kind.kind, namespace: key.namespace, name: key.name, ...(actor ? { actor } : {}) };
  switch (op.op) {
    case 'create':
      return { ...base, uid: op.object.metadata.uid, row: rowPayload(op.object) };
    case 'update':
      return { ...base, expectedVersion: op.expectedVersion, row: rowPayload(op.object) };
    case 'verify':
      return { ...base, expectedVersion: op.expectedVersion };
    case 'delete':
      return {
        ...base,
        ...(op.expectedVersion !== undefined ? { expectedVersion: op.expectedVersion } : {}),
        ...(op.expectedUid !== undefined ? { expectedUid: op.expectedUid } : {}),
      };
  }
}

function rowPayload(object: KubeObject) {
  const row = objectToRow(object);
  return {
    generation: Number(row.generation),
    creationTimestamp: row.creationTimestamp,
    labels: row.labels,
    annotations: row.annotations,
    ownerReferences: row.ownerReferences ?? null,
    spec: row.spec,
    status: row.status ?? null,
  };
}
