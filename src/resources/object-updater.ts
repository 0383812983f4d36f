import { ChangeFeed } from '../cache/change-feed.service';
import { KubeObject } from '../common/kube-object';
import { ApiError, apiErrors } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { ObjectKey, objectToRow, rowToObject } from '../store/resource-row';
import { ResourceRepository, WriteResult } from '../store/resource.repository';
import { isNoOp, refOf, validateForWrite } from './object-rules';
import { WriteOptions } from './request-options';
import { WriteAdvisor } from './write-advisor';

/** Prepares the next state of an existing object from its current state (a replace body, a patch). */
export type Mutation = (current: KubeObject) => { next: KubeObject; precondition?: string; warnings: string[] };
/** Combines the mutation's result with the current object (what an update may change, what it keeps). */
export type Merge = (next: KubeObject, current: KubeObject) => KubeObject;

export interface UpdateOutcome {
  object: KubeObject;
  warnings: string[];
}

interface Prepared {
  candidate: KubeObject;
  warnings: string[];
  unchanged: boolean;
}

/** The client's resourceVersion does not match the version the update was computed against. */
const PRECONDITION_FAILED = Symbol('precondition failed');

/**
 * Read-modify-write of one object, as the apiserver's GuaranteedUpdate: an update without a client
 * precondition always succeeds (last writer wins), whatever the concurrency; one with a precondition
 * succeeds only against that version.
 *
 * First optimistically, from this replica's cached copy, in one round trip that writes only if the
 * stored version is still the cached one. When that loses (a concurrent writer, a cache behind another
 * replica), once more under the object's key lock, from the stored row: that attempt cannot lose.
 */
export class ObjectUpdater {
  constructor(
    private readonly repository: ResourceRepository,
    private readonly feed: ChangeFeed,
    private readonly advisor: WriteAdvisor,
  ) {}

  /** Undefined when the object does not exist. */
  async update(kind: KindDefinition, key: ObjectKey, mutate: Mutation, merge: Merge, options: WriteOptions): Promise<UpdateOutcome | undefined> {
    const cached = this.feed.cache.get(kind.kind, key);
    if (cached) {
      const outcome = await this.fromCached(kind, key, cached, mutate, merge, options);
      if (outcome !== 'retry') return outcome;
    }
    return this.underLock(kind, key, mutate, merge, options);
  }

  private async fromCached(
    kind: KindDefinition, key: ObjectKey, cached: KubeObject, mutate: Mutation, merge: Merge, options: WriteOptions,
  ): Promise<UpdateOutcome | undefined | 'retry'> {
    let prepared: Prepared | typeof PRECONDITION_FAILED;
    try {
      prepared = this.prepare(kind, cached, mutate, merge, options);
    } catch (error) {
      // Computed from this replica's copy: the error stands only if that copy is still what is stored.
      if (error instanceof ApiError && (await this.isStored(kind, key, cached))) throw error;
      return 'retry';
    }
    // The cache may be behind the version the client read elsewhere: the stored row decides.
    if (prepared === PRECONDITION_FAILED) return 'retry';
    const expectedVersion = cached.metadata.resourceVersion!;
    const [result] = await this.repository.write(
      [prepared.unchanged ? { op: 'verify', kind, key, expectedVersion } : { op: 'update', kind, object: prepared.candidate, expectedVersion }],
      { dryRun: options.dryRun, actor: options.actor },
    );
    if (result.outcome === 'notfound') return undefined;
    if (result.outcome !== 'ok' && result.outcome !== 'unchanged') return 'retry';
    return this.outcome(kind, prepared, cached, result, options);
  }

  private underLock(kind: KindDefinition, key: ObjectKey, mutate: Mutation, merge: Merge, options: WriteOptions): Promise<UpdateOutcome | undefined> {
    return this.repository.withKeyLocked(kind, key, async (locked) => {
      if (!locked.current) return undefined;
      const current = rowToObject(kind, locked.current);
      const prepared = this.prepare(kind, current, mutate, merge, options);
      if (prepared === PRECONDITION_FAILED) throw apiErrors.conflict(refOf(kind, key.name));
      if (prepared.unchanged || options.dryRun) return this.outcome(kind, prepared, current, { outcome: 'unchanged' }, options);
      const expectedVersion = current.metadata.resourceVersion!;
      const [result] = await locked.write([{ op: 'update', kind, object: prepared.candidate, expectedVersion }], { actor: options.actor });
      if (result.outcome !== 'ok') throw new Error(`update under the key lock answered ${result.outcome}`);
      return this.outcome(kind, prepared, current, result, options);
    });
  }

  private prepare(kind: KindDefinition, current: KubeObject, mutate: Mutation, merge: Merge, options: WriteOptions): Prepared | typeof PRECONDITION_FAILED {
    const { next, precondition, warnings } = mutate(current);
    if (precondition !== undefined && precondition !== current.metadata.resourceVersion) return PRECONDITION_FAILED;
    const valid = validateForWrite(kind, merge(next, current), options.fieldValidation);
    return {
      candidate: valid.object,
      warnings: [...warnings, ...valid.warnings, ...this.advisor.advise(valid.object)],
      unchanged: isNoOp(valid.object, current),
    };
  }

  private outcome(kind: KindDefinition, prepared: Prepared, current: KubeObject, result: WriteResult, options: WriteOptions): UpdateOutcome {
    if (prepared.unchanged) return { object: current, warnings: prepared.warnings };
    if (options.dryRun) return { object: rowToObject(kind, objectToRow(prepared.candidate, current.metadata.resourceVersion)), warnings: prepared.warnings };
    this.feed.announce(result.resourceVersion!);
    return { object: rowToObject(kind, objectToRow(prepared.candidate, result.resourceVersion)), warnings: prepared.warnings };
  }

  private async isStored(kind: KindDefinition, key: ObjectKey, cached: KubeObject): Promise<boolean> {
    const [result] = await this.repository.write([{ op: 'verify', kind, key, expectedVersion: cached.metadata.resourceVersion! }]);
    return result.outcome === 'unchanged';
  }
}
