import { Inject, Injectable } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { actorOf, Principal } from '../auth/principal';
import { RegistrationGuard } from '../auth/registration-guard.service';
import { REGISTERED_BY_ANNOTATION } from '../auth/registration-scope';
import { KubeObject } from '../common/kube-object';
import { apiErrors, ResourceRef } from '../common/status';
import { HEALTH_CHECKS_ENABLED_ANNOTATION, IstioStatus, WorkloadEntry } from '../kinds/istio-types';
import { kindByName } from '../kinds/kinds';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { Metrics } from '../observability/metrics';
import { carryOverForUpdate, initialiseForCreate, isNoOp, refOf, validateForWrite } from '../resources/object-rules';
import { rowToObject, objectToRow } from '../store/resource-row';
import { ResourceRepository } from '../store/resource.repository';
import { LeaseService, LeaseView } from './lease.service';
import { reportedHealth, withHealth } from './lease-rules';
import { parseRegistrationBody } from './registration-body';
import { entryFromGroup, registeredEntryName, takeoverRefusal, WorkloadGroup } from './registration-rules';

export interface RegistrationAnswer {
  apiVersion: 'registry.mesh.io/v1';
  kind: 'Registration';
  /** created: a new entry; updated: the entry changed; unchanged: the same entry, only a fresh lease. */
  result: 'created' | 'updated' | 'unchanged';
  workloadEntry: KubeObject;
  lease: LeaseView;
}

const GROUP_REF = (name: string): ResourceRef => ({ group: 'networking.istio.io', plural: 'workloadgroups', kind: 'WorkloadGroup', name });
const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Registration on boot: one request builds the WorkloadEntry from the group's template as istiod does,
 * creates it or finds the one this registration made before (same name, same entry), and takes a fresh
 * lease. Under the entry's key lock, so concurrent registrations of one VM make one entry.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @Inject(ResourceRepository) private readonly repository: ResourceRepository,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(RegistrationGuard) private readonly guard: RegistrationGuard,
    @Inject(LeaseService) private readonly leases: LeaseService,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async register(namespace: string, groupName: string, body: unknown, callerAddress: string, principal: Principal | null): Promise<RegistrationAnswer> {
    const request = parseRegistrationBody(body, refOf(workloadEntryKind, `${groupName}-…`));
    const group = await this.findGroup(namespace, groupName);
    const input = { ...request, address: request.address ?? callerAddress };
    this.checkAllowedByGroup(group, input);
    const { name, causes } = registeredEntryName(groupName, input.address, input.network);
    if (causes.length > 0) throw apiErrors.invalid(refOf(workloadEntryKind, name), causes);
    this.guard.check(principal, { namespace, group: groupName, address: input.address, labels: input.labels, name });
    const desired = entryFromGroup(group, name, input, { [HEALTH_CHECKS_ENABLED_ANNOTATION]: 'true', ...this.guard.annotations(principal) });
    const { entry, result } = await this.store(desired, group, principal, reportedHealth(request.healthy, request.message));
    this.metrics.leases.registrations.labels(result).inc();
    const renewed = await this.leases.renew(entry, principal, group);
    // Deleted between the write and the lease (a DELETE raced it): the caller registers again.
    if (!renewed) throw apiErrors.conflict(refOf(workloadEntryKind, name), 'the entry was deleted while it was being registered; register again');
    return { apiVersion: 'registry.mesh.io/v1', kind: 'Registration', result, workloadEntry: entry, lease: this.leases.view(entry, renewed.renewMs, principal, group) };
  }

  private async findGroup(namespace: string, name: string): Promise<WorkloadGroup> {
    if (!kindByName('WorkloadGroup')) throw apiErrors.notFound(GROUP_REF(name));
    let group = this.feed.cache.get('WorkloadGroup', { namespace, name });
    if (!group) {
      await this.feed.sync(1000);
      group = this.feed.cache.get('WorkloadGroup', { namespace, name });
    }
    if (!group) throw apiErrors.notFound(GROUP_REF(name));
    return group as WorkloadGroup;
  }

  /** What a body may say beyond the template: its serviceAccount is the group's (istiod's identity rule), its ports the group's names. */
  private checkAllowedByGroup(group: WorkloadGroup, input: { serviceAccount?: string; ports?: Record<string, number> }): void {
    const template = group.spec.template ?? {};
    const ref = refOf(workloadEntryKind, `${group.metadata.name}-…`);
    if (input.serviceAccount && template.serviceAccount && input.serviceAccount !== template.serviceAccount) {
      throw apiErrors.invalid(ref, [{ field: 'serviceAccount', reason: 'FieldValueForbidden', message: `Forbidden: must be the group's serviceAccount ${JSON.stringify(template.serviceAccount)}` }]);
    }
    const named = Object.keys(template.ports ?? {});
    const extra = Object.keys(input.ports ?? {}).filter((port) => named.length > 0 && !named.includes(port));
    if (extra.length > 0) {
      throw apiErrors.invalid(ref, extra.map((port) => ({ field: `ports.${port}`, reason: 'FieldValueForbidden', message: `Forbidden: the group's template names only the ports ${named.join(', ')}` })));
    }
  }

  private store(desired: WorkloadEntry, group: WorkloadGroup, principal: Principal | null, health: ReturnType<typeof reportedHealth>): Promise<{ entry: KubeObject; result: RegistrationAnswer['result'] }> {
    const key = { namespace: desired.metadata.namespace!, name: desired.metadata.name! };
    const nowIso = timestamp(this.leases.clock.now());
    const actor = actorOf(principal);
    return this.repository.withKeyLocked(workloadEntryKind, key, async (locked) => {
      if (!locked.current) {
        const fresh = initialiseForCreate(desired as KubeObject, new Date(this.leases.clock.now()));
        const candidate = validateForWrite(workloadEntryKind, { ...fresh, status: withHealth(undefined, health, nowIso) }, 'Strict').object;
        const [written] = await locked.write([{ op: 'create', kind: workloadEntryKind, object: candidate }], { actor });
        this.feed.announce(written.resourceVersion!);
        return { entry: rowToObject(workloadEntryKind, objectToRow(candidate, written.resourceVersion)), result: 'created' as const };
      }
      const current = rowToObject(workloadEntryKind, locked.current);
      const refusal = takeoverRefusal(current, group, principal?.tokenId, REGISTERED_BY_ANNOTATION);
      if (refusal) throw apiErrors.conflict(refOf(workloadEntryKind, key.name), `registration never takes over an entry it did not make: ${refusal}`);
      const merged = carryOverForUpdate(desired as KubeObject, current);
      const status = withHealth(current.status as IstioStatus | undefined, health, nowIso) ?? current.status;
      const candidate = validateForWrite(workloadEntryKind, { ...merged, ...(status ? { status } : {}) }, 'Strict').object;
      if (isNoOp(candidate, current)) return { entry: current, result: 'unchanged' as const };
      const [written] = await locked.write([{ op: 'update', kind: workloadEntryKind, object: candidate, expectedVersion: current.metadata.resourceVersion! }], { actor });
      this.feed.announce(written.resourceVersion!);
      return { entry: rowToObject(workloadEntryKind, objectToRow(candidate, written.resourceVersion)), result: 'updated' as const };
    });
  }
}
