import { Inject, Injectable } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { apiErrors, Status } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { decodeContinue, encodeContinue } from './continue-token';
import {
  assertNamed, carryOverForUpdate, decodeObject, initialiseForCreate, isNoOp, refOf, validateForWrite, withGeneratedName, withStatusOf,
} from './object-rules';
import { applyObjectPatch, PatchType } from './patch';
import { ListOptions, WriteOptions } from './request-options';
import { ObjectKey } from '../store/resource-row';
import { PlannedWrite, ResourceRepository } from '../store/resource.repository';
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

/** Prepares the next state of an existing object from its current state (a replace body, a patch). */
type Mutation = (current: KubeObject) => { next: KubeObject; precondition?: string; warnings: string[] };

/** How many times an unconditional update re-reads and retries when a concurrent write got there first. */
const MAX_UPDATE_ATTEMPTS = 5;

/** The Kubernetes API machinery for one kind at a time: generic over kinds, rules from KindDefinition. */
@Injectable()
export class ResourceService {
  constructor(
    @Inject(ResourceRepository) private readonly repository: ResourceRepository,
    @Inject(WRITE_ADVISOR) private readonly advisor: WriteAdvisor,
  ) {}

  async get(kind: KindDefinition, key: ObjectKey): Promise<KubeObject> {
    const object = await this.repository.get(kind, key);
    if (!object) throw apiErrors.notFound(refOf(kind, key.name));
    return object;
  }

  async list(kind: KindDefinition, namespace: string | undefined, options: ListOptions): Promise<KubeList> {
    const page = await this.repository.list(kind, {
      namespace,
      labels: options.labels,
      fields: options.fields,
      limit: options.limit,
      after: options.continueToken ? decodeContinue(options.continueToken) : undefined,
    });
    return {
      apiVersion: `${kind.group}/${kind.version}`,
      kind: kind.listKind,
      metadata: { resourceVersion: page.resourceVersion, ...(page.last ? { continue: encodeContinue(page.last) } : {}) },
      items: page.items,
    };
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
    const updated = await this.update(kind, key, mutation, options, carryOverForUpdate);
    return updated ?? this.createDecoded(kind, decoded.object, decoded.warnings, options);
  }

  async patch(kind: KindDefinition, key: ObjectKey, type: PatchType, patch: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const outcome = await this.update(kind, key, this.patchMutation(kind, key, type, patch), options, carryOverForUpdate);
    if (!outcome) throw apiErrors.notFound(refOf(kind, key.name));
    return outcome;
  }

  async replaceStatus(kind: KindDefinition, key: ObjectKey, body: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const decoded = decodeObject(kind, body, key.namespace);
    assertNamed(decoded.object, key);
    const mutation: Mutation = () => ({ next: decoded.object, precondition: decoded.resourceVersion, warnings: [] });
    const outcome = await this.update(kind, key, mutation, options, (next, current) => withStatusOf(current, next));
    if (!outcome) throw apiErrors.notFound(refOf(kind, key.name));
    // Status writes come from health reporters: spec advice is not theirs to act on.
    return { ...outcome, warnings: [] };
  }

  async patchStatus(kind: KindDefinition, key: ObjectKey, type: PatchType, patch: unknown, options: WriteOptions): Promise<WriteOutcome> {
    const mutation = this.patchMutation(kind, key, type, patch);
    const outcome = await this.update(kind, key, mutation, options, (next, current) => withStatusOf(current, next));
    if (!outcome) throw apiErrors.notFound(refOf(kind, key.name));
    // Status writes come from health reporters: spec advice is not theirs to act on.
    return { ...outcome, warnings: [] };
  }

  async delete(kind: KindDefinition, key: ObjectKey, precondition: string | undefined, options: WriteOptions): Promise<Status> {
    const current = await this.get(kind, key);
    if (precondition !== undefined && precondition !== current.metadata.resourceVersion) {
      throw apiErrors.conflict(refOf(kind, key.name), `the ResourceVersion in the precondition (${precondition}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`);
    }
    if (!options.dryRun) {
      const deleted = await this.repository.delete(kind, key, precondition);
      if (deleted === 'conflict') throw apiErrors.conflict(refOf(kind, key.name));
      if (!deleted) throw apiErrors.notFound(refOf(kind, key.name));
    }
    return deletedStatus(kind, current);
  }

  /** Deletes every object the selectors match; returns them as a List, as the apiserver does. */
  async deleteCollection(kind: KindDefinition, namespace: string, options: ListOptions, write: WriteOptions): Promise<KubeList> {
    const list = await this.list(kind, namespace, { ...options, limit: undefined, continueToken: undefined });
    if (!write.dryRun) {
      for (const item of list.items) {
        await this.repository.delete(kind, { namespace, name: item.metadata.name! });
      }
    }
    return list;
  }

  /** Validates an object and decides create, replace or nothing, without writing (import's first phase). */
  async planApply(kind: KindDefinition, body: unknown, namespace: string, fieldValidation: WriteOptions['fieldValidation']): Promise<ApplyPlan> {
    const { object, warnings } = decodeObject(kind, body, namespace);
    const current = object.metadata.name ? await this.repository.get(kind, { namespace, name: object.metadata.name }) : undefined;
    const valid = validateForWrite(kind, current ? carryOverForUpdate(object, current) : initialiseForCreate(object, new Date()), fieldValidation);
    const candidate = withGeneratedName(valid.object);
    const allWarnings = [...warnings, ...valid.warnings, ...this.advisor.advise(candidate)];
    const action = !current ? 'created' : isNoOp(candidate, current) ? 'unchanged' : 'configured';
    return { action, kind, object: candidate, expected: current?.metadata.resourceVersion, warnings: allWarnings };
  }

  /** Writes the given plans in one transaction, all or none; see ResourceRepository.writeAll. */
  async commitPlans(plans: readonly ApplyPlan[]): Promise<KubeObject[] | { conflict: number }> {
    const writes: PlannedWrite[] = plans.map(({ kind, object, expected }) => ({ kind, object, expected }));
    return this.repository.writeAll(writes);
  }

  private async createDecoded(kind: KindDefinition, object: KubeObject, warnings: string[], options: WriteOptions): Promise<WriteOutcome> {
    const valid = validateForWrite(kind, initialiseForCreate(object, new Date()), options.fieldValidation);
    const prepared = withGeneratedName(valid.object);
    const allWarnings = [...warnings, ...valid.warnings, ...this.advisor.advise(prepared)];
    if (options.dryRun) return { object: prepared, warnings: allWarnings, created: true };
    const stored = await this.repository.create(kind, prepared);
    if (!stored) throw apiErrors.alreadyExists(refOf(kind, prepared.metadata.name!));
    return { object: stored, warnings: allWarnings, created: true };
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

  /**
   * Optimistic update: read, mutate, validate, compare-and-swap. A client precondition that no longer
   * holds is a 409; without one, losing a race to another writer means re-reading and trying again.
   * Returns undefined when the object does not exist.
   */
  private async update(
    kind: KindDefinition, key: ObjectKey, mutate: Mutation, options: WriteOptions,
    merge: (next: KubeObject, current: KubeObject) => KubeObject,
  ): Promise<WriteOutcome | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.repository.get(kind, key);
      if (!current) return undefined;
      const { next, precondition, warnings } = mutate(current);
      if (precondition !== undefined && precondition !== current.metadata.resourceVersion) {
        throw apiErrors.conflict(refOf(kind, key.name));
      }
      const valid = validateForWrite(kind, merge(next, current), options.fieldValidation);
      const candidate = valid.object;
      const allWarnings = [...warnings, ...valid.warnings, ...this.advisor.advise(candidate)];
      if (options.dryRun || isNoOp(candidate, current)) return { object: options.dryRun ? candidate : current, warnings: allWarnings, created: false };
      const stored = await this.repository.update(kind, candidate, current.metadata.resourceVersion!);
      if (stored === undefined) return undefined;
      if (stored !== 'conflict') return { object: stored, warnings: allWarnings, created: false };
      if (precondition !== undefined || attempt >= MAX_UPDATE_ATTEMPTS) throw apiErrors.conflict(refOf(kind, key.name));
    }
  }
}

function deletedStatus(kind: KindDefinition, object: KubeObject): Status {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
    details: { name: object.metadata.name, group: kind.group, kind: kind.plural, uid: object.metadata.uid },
  };
}
