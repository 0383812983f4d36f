import { isDnsOnlyAddress, isDnsResolution, selectsWorkload } from '../kinds/istio-selection';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { idOf, RegistryIndex } from '../resolve/registry-index';
import { duplicateAddressFindings, duplicateAddressFor } from './duplicate-address';
import { compareFindings, Finding, involves, involvesNamespace, sameObject } from './finding';
import { protocolConflictFindings, protocolConflictsFor } from './protocol-conflicts';
import {
  classify,
  emptyNeighbourhood,
  neighbourhoodOf,
  serviceEntryFindings,
  WorkloadNeighbourhood,
  workloadFindings,
} from './selection-checks';

/**
 * Cross-object checks that neither istiod nor `istioctl analyze` make (codes MR0001–MR0007, see
 * RULES). Pure functions over a RegistryIndex, which they never mutate.
 */
export { findingToWarning, RULES } from './finding';
export type { Finding, FindingObject, Rule, Severity } from './finding';

export interface AnalyzeOptions {
  /** Only findings involving at least one object of this namespace. */
  namespace?: string;
}

/** All findings (or those touching `options.namespace`), sorted by code, then namespace/name. */
export function analyzeRegistry(index: RegistryIndex, options: AnalyzeOptions = {}): Finding[] {
  const scope = options.namespace ? [options.namespace] : index.namespaces();
  const workloads = scope.flatMap((ns) => index.workloadEntriesInNamespace(ns));
  const services = scope.flatMap((ns) => index.serviceEntriesInNamespace(ns));
  const findings = [
    ...scope.flatMap((ns) => selectionFindings(index, ns)),
    ...duplicateAddressFindings(index, workloads),
    ...protocolConflictFindings(index, services),
  ];
  const wanted = options.namespace;
  return (wanted ? findings.filter((f) => involvesNamespace(f, wanted)) : findings).sort(compareFindings);
}

/**
 * MR0001–MR0005 of one namespace in O(entries + label matches): each selector walks the label
 * postings once, instead of testing every (ServiceEntry, WorkloadEntry) pair.
 */
function selectionFindings(index: RegistryIndex, namespace: string): Finding[] {
  const hoods = new Map<WorkloadEntry, WorkloadNeighbourhood>();
  const out: Finding[] = [];
  for (const service of index.serviceEntriesInNamespace(namespace)) {
    let selected = 0;
    for (const { workload, labels } of index.workloadEntriesMatching(namespace, selectorOf(service))) {
      const hood = hoods.get(workload) ?? emptyNeighbourhood();
      hoods.set(workload, hood);
      if (classify(hood, service, workload, labels)) selected++;
    }
    out.push(...serviceEntryFindings(service, selected));
  }
  for (const workload of index.workloadEntriesInNamespace(namespace)) {
    out.push(...workloadFindings(workload, hoods.get(workload) ?? emptyNeighbourhood()));
  }
  return out;
}

/**
 * Findings involving `candidate`, as if it replaced the stored object of the same kind, namespace and
 * name (the index is not touched). Cost follows the candidate's neighbourhood: its namespace's
 * ServiceEntries, the entries it selects, and those sharing its hosts or address.
 */
export function analyzeWrite(index: RegistryIndex, candidate: ServiceEntry | WorkloadEntry): Finding[] {
  const findings =
    candidate.kind === 'ServiceEntry'
      ? serviceEntryWrite(index, candidate as ServiceEntry)
      : candidate.kind === 'WorkloadEntry'
        ? workloadWrite(index, candidate as WorkloadEntry)
        : [];
  return findings.filter((f) => involves(f, candidate)).sort(compareFindings);
}

function workloadWrite(index: RegistryIndex, candidate: WorkloadEntry): Finding[] {
  const services = index.serviceEntriesInNamespace(idOf(candidate).namespace);
  return [...workloadFindings(candidate, neighbourhoodOf(candidate, services)), ...duplicateAddressFor(index, candidate)];
}

function serviceEntryWrite(index: RegistryIndex, candidate: ServiceEntry): Finding[] {
  const { namespace } = idOf(candidate);
  const stored = index.serviceEntriesInNamespace(namespace).filter((s) => !sameObject(s, candidate));
  const services = [...stored.filter((s) => Object.keys(selectorOf(s)).length > 0), candidate];
  const ownPorts = new Set((candidate.spec.ports ?? []).map((p) => p.name));
  const out: Finding[] = [];
  let selected = 0;
  for (const { workload, labels } of index.workloadEntriesMatching(namespace, selectorOf(candidate))) {
    const selects = selectsWorkload(candidate, workload, labels);
    if (selects) selected++;
    if (!mayName(candidate, workload, selects, ownPorts)) continue;
    out.push(...workloadFindings(workload, neighbourhoodOf(workload, services, labels)));
  }
  return [...serviceEntryFindings(candidate, selected), ...out, ...protocolConflictsFor(index, candidate)];
}

/**
 * Whether a workload matching the candidate's selector can have a finding naming the candidate: MR0003
 * (it skips an FQDN/unix:// entry) or MR0005 (a ports key it does not declare). Everything else skips
 * the namespace scan, so a typical write costs O(selection).
 */
function mayName(candidate: ServiceEntry, workload: WorkloadEntry, selects: boolean, ownPorts: Set<string>): boolean {
  if (!selects) return isDnsOnlyAddress(workload.spec.address) && !isDnsResolution(candidate);
  return Object.keys(workload.spec.ports ?? {}).some((key) => !ownPorts.has(key));
}

const selectorOf = (service: ServiceEntry): Record<string, string> => service.spec.workloadSelector?.labels ?? {};
