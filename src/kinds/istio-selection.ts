import { isIP } from 'node:net';
import { ServiceEntry, WorkloadEntry } from './istio-types';

/**
 * How istiod relates ServiceEntries to WorkloadEntries (istio-semantics.md (b)): shared by the
 * resolver, the analyzers and the manifest builder so they never disagree.
 */

/** Spec labels merged with metadata labels, metadata winning, as in Istio's `ConvertWorkloadEntry`. */
export function workloadLabels(entry: WorkloadEntry): Record<string, string> {
  return { ...(entry.spec.labels ?? {}), ...(entry.metadata.labels ?? {}) };
}

/** FQDN and `unix://` addresses are only used by DNS and DNS_ROUND_ROBIN ServiceEntries. */
export function isDnsOnlyAddress(address: string | undefined): boolean {
  return !!address && isIP(address) === 0;
}

export function isDnsResolution(entry: ServiceEntry): boolean {
  return entry.spec.resolution === 'DNS' || entry.spec.resolution === 'DNS_ROUND_ROBIN';
}

export function matchesSelector(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * Whether the ServiceEntry's `workloadSelector` picks this WorkloadEntry: same namespace only, labels a
 * superset of the selector, and FQDN/UDS workloads only for DNS resolutions. An empty selector matches
 * nothing here (istio/istio PR #44159 made "select everything" a documented non-goal).
 */
export function selectsWorkload(
  service: ServiceEntry,
  workload: WorkloadEntry,
  /** Precomputed `workloadLabels(workload)`: the resolver merges once and reuses it for the endpoint. */
  labels?: Record<string, string>,
): boolean {
  const selector = service.spec.workloadSelector?.labels;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (service.metadata.namespace !== workload.metadata.namespace) return false;
  if (isDnsOnlyAddress(workload.spec.address) && !isDnsResolution(service)) return false;
  return matchesSelector(labels ?? workloadLabels(workload), selector);
}

/**
 * `exportTo` visibility from a caller's namespace. Unset means exported everywhere (mesh default `*`);
 * `.` is the ServiceEntry's own namespace; `~` hides it from everyone.
 */
export function isExportedTo(service: ServiceEntry, callerNamespace: string): boolean {
  const exportTo = service.spec.exportTo;
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some(
    (target) =>
      target === '*' ||
      (target === '.' && callerNamespace === service.metadata.namespace) ||
      target === callerNamespace,
  );
}
