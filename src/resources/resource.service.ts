import { Inject, Injectable } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { KubeObject } from '../common/kube-object';
import { apiErrors, Status } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { ObjectKey, objectToRow, ResourceRow, rowToObject } from '../store/resource-row';
import { Actor, newestRevision, ResourceRepository, WriteOperation } from '../store/resource.repository';
import { decodeContinue, encodeContinue } from './continue-token';
import { DeleteOptions } from './delete-options';
import { deleteConflict, deleteOperation } from './delete-rules';
import {
  assertNamed, carryOverForUpdate, decodeObject, initialiseForCreate, isNoOp, refOf, validateForWrite, withGeneratedName, withStatusOf,
} from './object-rules';
import { Merge, Mutation, ObjectUpdater } from './object-updater';
import { applyObjectPatch, PatchType } from './patch';
import { awaitFreshness } from './read-freshness';
import { Freshness, ListOptions, WriteOptions } from './request-options';
import { WRITE_ADVISOR, WriteAdvisor } from './write-advisor';

export interface WriteOutcome {
  object: KubeObject;
  warnings: string[];
  created: boolean;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string };
  items: KubeObject[];
}

/** What applying one object would do (kubectl apply / import): computed first, written later with others. */
export interface ApplyPlan {
  action: 'created' | 'configured' | 'unchanged';
  kind: KindDefinition;
  /** The object as it would be stored. */
  object: KubeObject;
  /** resourceVersion the plan was made against; undefined for a create. */
  expected?: string;
  warnings: string[];
}

/** What the apiserver defaults to for custom resources: dependents are deleted. */
const DEFAULT_PROPAGATION = 'Background';

/** Deletes of a collection go to the database this many at a time. */
const DELETE_BATCH = 200;

/**
 * The Kubernetes API machinery for one kind at a time: generic over kinds, rules from KindDefinition.
 * Reads come from this replica's cache at the freshness asked for; writes go to the database, and a
 * dry run takes exactly the path of the write, checks included, and stores nothing.
 */
@Injectable()
export class ResourceService {
  private readonly updater: ObjectUpdater;

  constructor(
    @Inject(ResourceRepository) private readonly repository: ResourceRepository,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(WRITE_ADVISOR) private readonly advisor: WriteAdvisor,
  ) {
    this.updater = new ObjectUpdater(repository, feed, advisor);
  }

  async get(kind: KindDefinition, key: ObjectKey, freshness: Freshness = { kind: 'latest' }): Promise<KubeObject> {
    await awaitFreshness(this.feed, freshness);
    const object = this.feed.cache.get(kind.kind, key);
    if (!object) throw apiErrors.notFound(refOf(kind, key.name));
    return object;
  }

  async list(kind: KindDefinition, namespace: string | undefined, options: ListOptions): Promise<KubeList> {
    await awaitFreshness(this.feed, options.freshness);
    const page = this.feed.cache.list(kind.kind, {
      namespace,
      labels: options.labels,
      fields: options.fields,
      limit: options.limit,
      after: options.continueToken ? decodeContinue(options.continueToken) : undefined,
    });
    return {
      apiVersion: `${kind.group}/${kind.version}`,
      kind: kind.listKind,
      metadata: { resourceVersion: this.feed.resourceVersion, ...(page.last ? { continue: encodeContinue(page.last) } : {}) },
      items: page.items,
    };
  }

  /** Waits until this replica's cache holds every write acknowledged before the call. */
  sync(): Promise<void> {
    return awaitFreshness(this.feed, { kind: 'latest' });
  }

  async create(kind: KindDefinition, namespace: string, body: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const decoded = decodeObject(kind, body, namespace);
    return this.createDecoded(kind, decoded.object, decoded.warnings, options);
  }

  /** PUT: replaces the object, or creates it when missing (so a boot script can PUT its own entry). */
  async replace(kind: KindDefinition, key: ObjectKey, body: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const decoded = decodeObject(kind, body, key.namespace);
    assertNamed(decoded.object, key);
    const mutation: Mutation = () => ({ next: decoded.object, precondition: decoded.resourceVersion, warnings: decoded.warnings });
    for (;;) {
      const updated = await this.update(kind, key, mutation, carryOverForUpdate, options);
      if (updated) return updated;
      // A precondition names a version of an object that is not there.
      if (decoded.resourceVersion !== undefined) throw apiErrors.notFound(refOf(kind, key.name));
      const created = await this.createDecoded(kind, decoded.object, decoded.warnings, options, false);
      if (created) return created;
      // Created by someone else meanwhile: replace that one.
    }
  }

  async patch(kind: KindDefinition, key: ObjectKey, type: PatchType, patch: unknown, options: WriteOptions): Promise<WriteOutcome> {
    return this.updateExisting(kind, key, this.patchMutation(kind, key, type, patch), carryOverForUpdate, options);
  }

  async replaceStatus(kind: KindDefinition, key: ObjectKey, body: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const decoded = decodeObject(kind, body, key.namespace);
    assertNamed(decoded.object, key);
    const mutation: Mutation = () => ({ next: decoded.object, precondition: decoded.resourceVersion, warnings: [] });
    return this.statusOnly(await this.updateExisting(kind, key, mutation, (next, current) => withStatusOf(current, next), options));
  }

  async patchStatus(kind: KindDefinition, key: ObjectKey, type: PatchType, patch: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const mutation = this.patchMutation(kind, key, type, patch);
    return this.statusOnly(await this.updateExisting(kind, key, mutation, (next, current) => withStatusOf(current, next), options));
  }

  /**
   * Deletes exactly the object the preconditions name; answers with the one that was deleted. The objects
   * it owns (a WorkloadGroup's registered entries) go in the same transaction, unless the policy is Orphan.
   */
  async delete(kind: KindDefinition, key: ObjectKey, options: DeleteOptions, actor?: Actor): Promise<Status> {
    const mode = { dryRun: options.dryRun, actor, propagation: options.propagationPolicy ?? DEFAULT_PROPAGATION };
    const [result] = await this.repository.write([deleteOperation(kind, key, options.preconditions)], mode);
    if (result.outcome === 'notfound') throw apiErrors.notFound(refOf(kind, key.name));
    if (result.outcome === 'conflict') throw deleteConflict(kind, key, options.preconditions, result.current!);
    if (!options.dryRun) this.feed.announce(newestRevision(result)!);
    return deletedStatus(kind, result.current!);
  }

  /** Deletes every object the selectors match (each only in the incarnation listed); returns them as a List. */
  async deleteCollection(kind: KindDefinition, namespace: string, options: ListOptions, deleteOptions: DeleteOptions, actor?: Actor): Promise<KubeList> {
    const list = await this.list(kind, namespace, { ...options, limit: undefined, continueToken: undefined });
    const deleted: KubeObject[] = [];
    for (let start = 0; start < list.items.length; start += DELETE_BATCH) {
      const batch = list.items.slice(start, start + DELETE_BATCH);
      const operations: WriteOperation[] = batch.map((item) => deleteOperation(kind, item.metadata as ObjectKey, { uid: item.metadata.uid }));
      const propagation = deleteOptions.propagationPolicy ?? DEFAULT_PROPAGATION;
      const results = await this.repository.write(operations, { dryRun: deleteOptions.dryRun, actor, propagation });
      for (const result of results) {
        if (result.outcome !== 'ok') continue;
        deleted.push(rowToObject(kind, result.current!));
        if (!deleteOptions.dryRun) this.feed.announce(newestRevision(result)!);
      }
    }
    return { ...list, items: deleted };
  }

  /**
   * Validates an object and decides create, replace or nothing, without writing (import's first phase),
   * against this replica's cache (call sync() first). Synchronous: it waits on nothing.
   */
  planApply(kind: KindDefinition, body: unknown, namespace: string, fieldValidation: WriteOptions['fieldValidation']): ApplyPlan {
    const { object, warnings } = decodeObject(kind, body, namespace);
    const current = object.metadata.name ? this.feed.cache.get(kind.kind, { namespace, name: object.metadata.name }) : undefined;
    const valid = validateForWrite(kind, current ? carryOverForUpdate(object, current) : initialiseForCreate(object, new Date()), fieldValidation);
    const candidate = withGeneratedName(valid.object);
    const allWarnings = [...warnings, ...valid.warnings, ...this.advisor.advise(candidate)];
    const action = !current ? 'created' : isNoOp(candidate, current) ? 'unchanged' : 'configured';
    return { action, kind, object: candidate, expected: current?.metadata.resourceVersion, warnings: allWarnings };
  }

  /** Writes the given plans in one transaction, all or none: the position of the first stale plan, or the commit's revision. */
  async commitPlans(plans: readonly ApplyPlan[], actor?: Actor): Promise<{ resourceVersion?: string } | { conflict: number }> {
    const operations: WriteOperation[] = plans.map(({ kind, object, expected }) =>
      expected === undefined ? { op: 'create', kind, object } : { op: 'update', kind, object, expectedVersion: expected });
    const results = await this.repository.write(operations, { atomic: true, actor });
    const failed = results.findIndex((result) => result.outcome !== 'ok');
    if (failed >= 0) return { conflict: failed };
    // Revisions rise through one call of mr_write: the last is the commit's.
    const resourceVersion = results[results.length - 1]?.resourceVersion;
    if (resourceVersion) this.feed.announce(resourceVersion);
    return { resourceVersion };
  }

  /** Undefined when the name is taken and `failIfTaken` is false. */
  private async createDecoded(kind: KindDefinition, object: KubeObject, warnings: string[], options: WriteOptions, failIfTaken?: true): Promise<WriteOutcome>;
  private async createDecoded(kind: KindDefinition, object: KubeObject, warnings: string[], options: WriteOptions, failIfTaken: false): Promise<WriteOutcome | undefined>;
  private async createDecoded(kind: KindDefinition, object: KubeObject, warnings: string[], options: WriteOptions, failIfTaken = true): Promise<WriteOutcome | undefined> {
    const valid = validateForWrite(kind, initialiseForCreate(object, new Date()), options.fieldValidation);
    const prepared = withGeneratedName(valid.object);
    const allWarnings = [...warnings, ...valid.warnings, ...this.advisor.advise(prepared)];
    const [result] = await this.repository.write([{ op: 'create', kind, object: prepared }], { dryRun: options.dryRun, actor: options.actor });
    if (result.outcome === 'exists') {
      if (!failIfTaken) return undefined;
      throw apiErrors.alreadyExists(refOf(kind, prepared.metadata.name!));
    }
    // A dry run answers the object as it would be stored, without the revision it has not taken.
    const resourceVersion = options.dryRun ? '' : result.resourceVersion!;
    if (!options.dryRun) this.feed.announce(resourceVersion);
    return { object: rowToObject(kind, objectToRow(prepared, resourceVersion)), warnings: allWarnings, created: true };
  }

  private async update(kind: KindDefinition, key: ObjectKey, mutate: Mutation, merge: Merge, options: WriteOptions): Promise<WriteOutcome | undefined> {
    const outcome = await this.updater.update(kind, key, mutate, merge, options);
    return outcome && { ...outcome, created: false };
  }

  private async updateExisting(kind: KindDefinition, key: ObjectKey, mutate: Mutation, merge: Merge, options: WriteOptions): Promise<WriteOutcome> {
    const outcome = await this.update(kind, key, mutate, merge, options);
    if (!outcome) throw apiErrors.notFound(refOf(kind, key.name));
    return outcome;
  }

  /** Status writes come from health reporters: spec advice is not theirs to act on. */
  private statusOnly(outcome: WriteOutcome): WriteOutcome {
    return { ...outcome, warnings: [] };
  }

  private patchMutation(kind: KindDefinition, key: ObjectKey, type: PatchType, patch: unknown): Mutation {
    return (current) => {
      const decoded = decodeObject(kind, applyObjectPatch(current, type, patch), key.namespace);
      assertNamed(decoded.object, key);
      // A resourceVersion the patch sets (or leaves) that differs from the current one is a precondition.
      const precondition = decoded.resourceVersion !== current.metadata.resourceVersion ? decoded.resourceVersion : undefined;
      return { next: decoded.object, precondition, warnings: decoded.warnings };
    };
  }
}

function deletedStatus(kind: KindDefinition, row: ResourceRow): Status {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
    details: { name: row.name, group: kind.group, kind: kind.plural, uid: row.uid },
  };
}
