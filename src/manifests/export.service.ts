import { Inject, Injectable } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { apiErrors } from '../common/status';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { KindDefinition } from '../kinds/kind-definition';
import { KINDS } from '../kinds/kinds';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { LabelRequirement } from '../resources/label-selector';
import { ResourceRepository } from '../store/resource.repository';
import { workloadManifest } from './workload-manifest';

export interface ExportFilter {
  namespace?: string;
  labels: LabelRequirement[];
  kinds: readonly KindDefinition[];
}

/** Manifests out of the registry: one workload's, or everything a filter matches (streamed). */
@Injectable()
export class ExportService {
  constructor(@Inject(ResourceRepository) private readonly repository: ResourceRepository) {}

  /** The WorkloadEntry and every ServiceEntry that selects it, as clean manifests. */
  async workloadManifest(namespace: string, name: string): Promise<KubeObject[]> {
    const workload = await this.repository.get(workloadEntryKind, { namespace, name });
    if (!workload) throw apiErrors.notFound({ group: workloadEntryKind.group, plural: workloadEntryKind.plural, kind: workloadEntryKind.kind, name });
    const services = this.repository.iterate(serviceEntryKind, { namespace, labels: [], fields: [] });
    const candidates: ServiceEntry[] = [];
    for await (const service of services) candidates.push(service as unknown as ServiceEntry);
    return workloadManifest(workload as unknown as WorkloadEntry, candidates);
  }

  /** Kind by kind (registry order), then namespace and name: the order is stable, so exports diff cleanly. */
  async *objects(filter: ExportFilter): AsyncGenerator<KubeObject> {
    for (const kind of KINDS.filter((k) => filter.kinds.includes(k))) {
      yield* this.repository.iterate(kind, { namespace: filter.namespace, labels: filter.labels, fields: [] });
    }
  }
}
