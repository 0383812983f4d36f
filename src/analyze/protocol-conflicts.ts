import { isExportedTo } from '../kinds/istio-selection';
import { ServiceEntry, ServicePort } from '../kinds/istio-types';
import { normalizeHost } from '../resolve/host-match';
import { idOf, RegistryIndex } from '../resolve/registry-index';
import { parseProtocol } from '../validation/primitives';
import { compareText, Finding, finding, nameOf, refOf, RULES, sameObject, sortObjects } from './finding';

/**
 * MR0007: two ServiceEntries declaring the same host (exact, case-insensitive) and port number with
 * different protocols, both visible in some namespace. Same-namespace pairs are merged by istiod;
 * cross-namespace ones compete for the host; either way one protocol loses.
 */

/** Namespaces an entry is exported to: `*` (unset or `*`) or a finite list (`.` resolved, `~` = none). */
function exportTargets(service: ServiceEntry): '*' | string[] {
  const list = service.spec.exportTo ?? [];
  if (list.length === 0 || list.includes('*')) return '*';
  const own = idOf(service).namespace;
  return [...new Set(list.filter((t) => t !== '~').map((t) => (t === '.' ? own : t)))];
}

/** Namespaces seeing both entries (sorted), or `*` when both are exported everywhere. */
export function sharedVisibility(a: ServiceEntry, b: ServiceEntry): '*' | string[] {
  const [ta, tb] = [exportTargets(a), exportTargets(b)];
  if (ta !== '*') return ta.filter((ns) => isExportedTo(b, ns)).sort(compareText);
  if (tb !== '*') return tb.filter((ns) => isExportedTo(a, ns)).sort(compareText);
  return '*';
}

/** Canonical protocol via the parser (case-insensitive); empty is its own value. */
export function protocolOf(port: ServicePort): string {
  const raw = port.protocol ?? '';
  if (raw === '') return 'unset';
  return parseProtocol(raw) ?? raw.toUpperCase();
}

function sharedHosts(a: ServiceEntry, b: ServiceEntry): string[] {
  const theirs = new Set((b.spec.hosts ?? []).map(normalizeHost));
  return [...new Set((a.spec.hosts ?? []).map(normalizeHost))].filter((h) => theirs.has(h)).sort(compareText);
}

/** Findings for one pair, independent of argument order. */
export function conflictsBetween(x: ServiceEntry, y: ServiceEntry): Finding[] {
  const [a, b] = sortObjects([x, y]);
  const hosts = sharedHosts(a, b);
  const visible = sharedVisibility(a, b);
  if (hosts.length === 0 || visible.length === 0) return [];
  const out: Finding[] = [];
  (a.spec.ports ?? []).forEach((pa, i) =>
    (b.spec.ports ?? []).forEach((pb, j) => {
      if (pa.number !== pb.number || protocolOf(pa) === protocolOf(pb)) return;
      const [fa, fb] = [`spec.ports[${i}].protocol`, `spec.ports[${j}].protocol`];
      const seenBy = visible === '*' ? 'every namespace' : `namespace${visible.length > 1 ? 's' : ''} ${visible.join(', ')}`;
      const text =
        `ServiceEntries ${nameOf(a)} and ${nameOf(b)} both declare host ${hosts.join(', ')} port ${pa.number} with ` +
        `different protocols: ${protocolOf(pa)} (${nameOf(a)} ${fa}) and ${protocolOf(pb)} (${nameOf(b)} ${fb}); ` +
        `clients in ${seenBy} see both`;
      out.push(finding(RULES.ConflictingPortProtocols, text, [refOf(a, fa), refOf(b, fb)]));
    }),
  );
  return out;
}

/** Other indexed entries declaring one of `service`'s hosts; its stored version is left out. */
function partnersOf(index: RegistryIndex, service: ServiceEntry): ServiceEntry[] {
  const partners = new Map<string, ServiceEntry>();
  for (const host of service.spec.hosts ?? []) {
    for (const other of index.serviceEntriesDeclaringHost(host)) {
      if (!sameObject(other, service)) partners.set(nameOf(other), other);
    }
  }
  return [...partners.values()];
}

/** As if `candidate` replaced its stored version: O(entries sharing one of its hosts). */
export function protocolConflictsFor(index: RegistryIndex, candidate: ServiceEntry): Finding[] {
  return partnersOf(index, candidate).flatMap((other) => conflictsBetween(candidate, other));
}

/** Every conflicting pair with at least one member in `services` (stored entries), each pair once. */
export function protocolConflictFindings(index: RegistryIndex, services: Iterable<ServiceEntry>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const service of services) {
    for (const other of partnersOf(index, service)) {
      const key = sortObjects([service, other]).map(nameOf).join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(...conflictsBetween(service, other));
    }
  }
  return out;
}
