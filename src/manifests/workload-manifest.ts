import { KubeObject } from '../common/kube-object';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { selectsWorkload, workloadLabels } from '../kinds/istio-selection';
import { AnyKubeObject, sortManifests, toCleanManifest } from './clean-manifest';

/**
 * The manifest of one workload: its WorkloadEntry and every ServiceEntry whose `workloadSelector`
 * picks it (istiod's rule, `selectsWorkload`), as clean manifests in `sortManifests` order, i.e. the
 * WorkloadEntry first, then the ServiceEntries by name. `candidates` may hold unrelated ServiceEntries
 * (a namespace's worth); those that do not select the workload are left out.
 */
export function workloadManifest(workload: WorkloadEntry, candidates: Iterable<ServiceEntry>): KubeObject[] {
  const labels = workloadLabels(workload);
  const selecting: AnyKubeObject[] = [];
  for (const service of candidates) {
    if (selectsWorkload(service, workload, labels)) selecting.push(service);
  }
  return sortManifests([workload, ...selecting]).map(toCleanManifest);
}
