import {
  isDnsOnlyAddress,
  isDnsResolution,
  matchesSelector,
  selectsWorkload,
  workloadLabels,
} from '../kinds/istio-selection';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { idOf } from '../resolve/registry-index';
import { Finding, finding, nameOf, refOf, RULES, sortObjects } from './finding';

/** MR0001–MR0005: how workloadSelectors relate the entries of one namespace. */

/** The ServiceEntries of a WorkloadEntry's namespace that concern it. */
export interface WorkloadNeighbourhood {
  /** Their workloadSelector picks it (selectsWorkload). */
  selecting: ServiceEntry[];
  /** Non-DNS resolution whose selector labels match, but which skip it for its FQDN/unix:// address. */
  skipping: ServiceEntry[];
}

export const emptyNeighbourhood = (): WorkloadNeighbourhood => ({ selecting: [], skipping: [] });

/** Files `service` into the neighbourhood of `workload` (or nowhere); true when it selects it. */
export function classify(
  hood: WorkloadNeighbourhood,
  service: ServiceEntry,
  workload: WorkloadEntry,
  labels: Record<string, string>,
): boolean {
  if (selectsWorkload(service, workload, labels)) {
    hood.selecting.push(service);
    return true;
  }
  const selector = service.spec.workloadSelector?.labels ?? {};
  const skips =
    Object.keys(selector).length > 0 &&
    idOf(service).namespace === idOf(workload).namespace &&
    isDnsOnlyAddress(workload.spec.address) &&
    !isDnsResolution(service) &&
    matchesSelector(labels, selector);
  if (skips) hood.skipping.push(service);
  return false;
}

/** Scans `services` (the workload's namespace): O(services), for single-object checks. */
export function neighbourhoodOf(
  workload: WorkloadEntry,
  services: readonly ServiceEntry[],
  labels = workloadLabels(workload),
): WorkloadNeighbourhood {
  const hood = emptyNeighbourhood();
  for (const service of services) classify(hood, service, workload, labels);
  return hood;
}

/** MR0001 and MR0004 for one ServiceEntry; `selected` = how many WorkloadEntries it selects. */
export function serviceEntryFindings(service: ServiceEntry, selected: number): Finding[] {
  const selector = service.spec.workloadSelector;
  if (!selector) return [];
  const out: Finding[] = [];
  const { namespace } = idOf(service);
  const ref = refOf(service, 'spec.workloadSelector');
  if (selected === 0) {
    const empty = Object.keys(selector.labels ?? {}).length === 0 ? ' has no labels and' : '';
    const text = `ServiceEntry ${nameOf(service)} spec.workloadSelector${empty} selects no WorkloadEntry in namespace ${namespace}`;
    out.push(finding(RULES.ServiceEntrySelectsNothing, text, [ref]));
  }
  if ((service.spec.resolution ?? 'NONE') === 'NONE') {
    const resolution = service.spec.resolution ? 'NONE' : 'unset (NONE)';
    const text =
      `ServiceEntry ${nameOf(service)} spec.workloadSelector is ignored: with resolution ${resolution} traffic goes ` +
      'to the original destination address, never to the selected WorkloadEntries';
    out.push(finding(RULES.SelectorIgnoredWithResolutionNone, text, [ref]));
  }
  return out;
}

/** MR0002, MR0003 (instead of MR0002 when it explains why) and MR0005 for one WorkloadEntry. */
export function workloadFindings(workload: WorkloadEntry, hood: WorkloadNeighbourhood): Finding[] {
  if (hood.selecting.length > 0) return unknownPortFindings(workload, hood.selecting);
  if (isDnsOnlyAddress(workload.spec.address) && hood.skipping.length > 0) return [dnsOnlyFinding(workload, hood.skipping)];
  return [notSelectedFinding(workload)];
}

function notSelectedFinding(workload: WorkloadEntry): Finding {
  const labels = Object.entries(workloadLabels(workload)).map(([k, v]) => `${k}=${v}`);
  const shown = labels.length > 0 ? `labels: ${labels.sort().join(', ')}` : 'it has no labels';
  const text =
    `WorkloadEntry ${nameOf(workload)} is selected by no ServiceEntry in namespace ${idOf(workload).namespace} ` +
    `(${shown})`;
  return finding(RULES.WorkloadEntryNotSelected, text, [refOf(workload, 'spec.labels')]);
}

function dnsOnlyFinding(workload: WorkloadEntry, skipping: ServiceEntry[]): Finding {
  const services = sortObjects(skipping);
  const list = services.map((s) => `${nameOf(s)} (${s.spec.resolution ?? 'NONE'})`).join(', ');
  const text =
    `WorkloadEntry ${nameOf(workload)} spec.address ${workload.spec.address} is never used: only ServiceEntries ` +
    `with resolution DNS or DNS_ROUND_ROBIN use FQDN and unix:// addresses, and its labels match only the workloadSelector of ${list}`;
  const objects = [refOf(workload, 'spec.address'), ...services.map((s) => refOf(s, 'spec.workloadSelector'))];
  return finding(RULES.DnsOnlyWorkloadNeverUsed, text, objects);
}

/** istiod ignores a ports key naming no port of the selecting services (Go map lookup: case-sensitive). */
function unknownPortFindings(workload: WorkloadEntry, selecting: ServiceEntry[]): Finding[] {
  const services = sortObjects(selecting);
  const known = new Set(services.flatMap((s) => (s.spec.ports ?? []).map((p) => p.name)));
  const declared = services.map((s) => `${nameOf(s)} declares ${portNames(s)}`).join('; ');
  return Object.keys(workload.spec.ports ?? {})
    .filter((key) => !known.has(key))
    .sort()
    .map((key) => {
      const field = `spec.ports.${key}`;
      const text =
        `WorkloadEntry ${nameOf(workload)} ${field} is ignored: no ServiceEntry selecting it declares a port ` +
        `named ${key} (${declared})`;
      const objects = [refOf(workload, field), ...services.map((s) => refOf(s, 'spec.ports'))];
      return finding(RULES.UnknownWorkloadPortName, text, objects);
    });
}

function portNames(service: ServiceEntry): string {
  const names = (service.spec.ports ?? []).map((p) => p.name);
  return names.length > 0 ? names.join(', ') : 'no ports';
}
