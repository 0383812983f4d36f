import { WorkloadEntry } from '../kinds/istio-types';
import { RegistryIndex } from '../resolve/registry-index';
import { addressKey } from '../resolve/registry-index-keys';
import { UNIX_PREFIX } from '../validation/primitives';
import { Finding, finding, nameOf, refOf, RULES, sameObject, sortObjects } from './finding';

/**
 * MR0006: WorkloadEntries with the same address on the same network, across namespaces (istiod
 * identifies a proxy by network and IP mesh-wide). An unset network only equals another unset one:
 * istiod may derive both from mesh networks, which this registry cannot see.
 */

/** Names a finding's text lists; the rest are counted (every one stays in the finding's objects). */
const NAMED_MEMBERS = 10;

const networkOf = (workload: WorkloadEntry): string => workload.spec.network ?? '';

/** Socket paths are local to each VM, so two entries may well use the same one. */
const isComparable = (address: string | undefined): address is string => !!address && !address.startsWith(UNIX_PREFIX);

/** `workload` and the indexed entries sharing its address and network; its stored version is left out. */
function groupOf(index: RegistryIndex, workload: WorkloadEntry): WorkloadEntry[] {
  const address = workload.spec.address;
  if (!isComparable(address)) return [];
  const others = index
    .workloadEntriesWithAddress(address)
    .filter((other) => networkOf(other) === networkOf(workload) && !sameObject(other, workload));
  return [workload, ...others];
}

function groupFinding(group: WorkloadEntry[]): Finding | undefined {
  if (group.length < 2) return undefined;
  const members = sortObjects(group);
  const network = networkOf(members[0]);
  const where = network ? `on network ${network}` : 'with no spec.network set';
  const address = addressKey(members[0].spec.address ?? '');
  const named = members.slice(0, NAMED_MEMBERS).map(nameOf).join(', ');
  const more = members.length > NAMED_MEMBERS ? ` and ${members.length - NAMED_MEMBERS} more` : '';
  const text = `WorkloadEntries ${named}${more} share spec.address ${address} ${where}`;
  return finding(RULES.DuplicateWorkloadAddress, text, members.map((m) => refOf(m, 'spec.address')));
}

/** The group of a candidate, as if it replaced its stored version: O(entries with that address). */
export function duplicateAddressFor(index: RegistryIndex, candidate: WorkloadEntry): Finding[] {
  const found = groupFinding(groupOf(index, candidate));
  return found ? [found] : [];
}

/** Every group containing one of `workloads` (stored entries), each reported once. */
export function duplicateAddressFindings(index: RegistryIndex, workloads: Iterable<WorkloadEntry>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const workload of workloads) {
    if (!isComparable(workload.spec.address)) continue;
    const key = `${networkOf(workload)}\u0000${addressKey(workload.spec.address)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...duplicateAddressFor(index, workload));
  }
  return out;
}
