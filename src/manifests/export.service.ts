import { Inject, Injectable } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { KubeObject } from '../common/kube-object';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { KindDefinition } from '../kinds/kind-definition';
import { KINDS } from '../kinds/kinds';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { LabelRequirement } from '../resources/label-selector';
import { ResourceService } from '../resources/resource.service';
import { ObjectKey } from '../store/resource-row';
import { workloadManifest } from './workload-manifest';

export interface ExportFilter {
  namespace?: string;
  labels: LabelRequirement[];
  kinds: readonly KindDefinition[];
}

/** An export is rendered this many objects at a time, so a large one never sits in memory whole. */
const PAGE_SIZE = 500;

/** Manifests out of the registry: one workload's, or everything a filter matches (streamed). */
@Injectable()
export class ExportService {
  constructor(
    @Inject(ResourceService) private readonly resources: ResourceService,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
  ) {}

  /** The WorkloadEntry and every ServiceEntry that selects it, as clean manifests. */
  async workloadManifest(namespace: string, name: string): Promise<KubeObject[]> {
    const workload = await this.resources.get(workloadEntryKind, { namespace, name });
    const services = this.feed.cache.list(serviceEntryKind.kind, { namespace, labels: [], fields: [] }).items;
    return workloadManifest(workload as unknown as WorkloadEntry, services as unknown as ServiceEntry[]);
  }

  /** Kind by kind (registry order), then namespace and name: the order is stable, so exports diff cleanly. */
  async *objects(filter: ExportFilter): AsyncGenerator<KubeObject> {
    await this.resources.sync();
    for (const kind of KINDS.filter((k) => filter.kinds.includes(k))) {
      let after: ObjectKey | undefined;
      do {
        const page = this.feed.cache.list(kind.kind, { namespace: filter.namespace, labels: filter.labels, fields: [], limit: PAGE_SIZE, after });
        yield* page.items;
        after = page.last;
      } while (after);
    }
  }
}
