import { ServiceEntry, ServicePort } from '../kinds/istio-types';
import { isDnsResolution } from '../kinds/istio-selection';
import { Candidate, fromHost, fromInlineEndpoint, fromWorkloadEntry } from './endpoint-source';
import { Locality, parseLocality, priorityFor } from './locality';
import { RegistryIndex } from './registry-index';
import { ResolvedEndpoint, ResolveQuery } from './resolve-types';
import { entryKey, UsageLog } from './usage-log';

/**
 * Endpoints of the merged ServiceEntries (oldest first), before caller filtering. Each member
 * contributes from exactly one source: its selector, else its inline endpoints, else (DNS only)
 * its host. A workload selected by two members is listed once.
 */
export function collectCandidates(index: RegistryIndex, members: ServiceEntry[], host: string): Candidate[] {
  // One member never lists an entry twice (distinct workloads, distinct inline indexes): no keys to build.
  if (members.length === 1) return memberCandidates(index, members[0], host);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const member of members) {
    for (const candidate of memberCandidates(index, member, host)) {
      const key = entryKey(candidate.source);
      if (!seen.has(key)) out.push(candidate);
      seen.add(key);
    }
  }
  return out;
}

function memberCandidates(index: RegistryIndex, member: ServiceEntry, host: string): Candidate[] {
  // Presence, not emptiness, of the selector decides (an empty selector selects nothing).
  if (member.spec.workloadSelector) {
    return index.selectionOf(member).map(({ workload, labels }) => fromWorkloadEntry(member, workload, labels));
  }
  const inline = member.spec.endpoints ?? [];
  if (inline.length > 0) return inline.map((spec, i) => fromInlineEndpoint(member, spec, i));
  return isDnsResolution(member) ? [fromHost(member, host)] : [];
}

/** Caller-specific filters in istiod's order: health, DNS_ROUND_ROBIN trimming, ports, network. */
export function filterCandidates(
  candidates: Candidate[],
  ports: readonly ServicePort[],
  query: ResolveQuery,
  log: UsageLog,
): ResolvedEndpoint[] {
  const healthy = candidates.filter((c) => keepByHealth(c, query, log));
  const trimmed = trimRoundRobin(healthy, log);
  const names = new Set(ports.map((p) => p.name));
  const caller = query.locality ? parseLocality(query.locality) : undefined;
  // Plain loops rather than flatMap (slow in V8); each pass still runs over all candidates before the
  // next, so drops are logged in the same order (explain lists dropped inline endpoints in that order).
  const narrowed: Candidate[] = [];
  for (const c of trimmed) {
    const kept = narrowPorts(c, names, log);
    if (kept) narrowed.push(kept);
  }
  const endpoints: ResolvedEndpoint[] = [];
  for (const c of narrowed) {
    const endpoint = toEndpoint(c, query, caller, log);
    if (endpoint) endpoints.push(endpoint);
  }
  return endpoints.sort(compareEndpoints);
}

function keepByHealth(c: Candidate, query: ResolveQuery, log: UsageLog): boolean {
  if (c.healthy || query.includeUnhealthy) return true;
  log.drop(c.source, 'unhealthy', 'health checks are enabled and there is no Healthy=True condition');
  return false;
}

/**
 * DNS_ROUND_ROBIN (Envoy LOGICAL_DNS) keeps only the first endpoint per service port number across
 * the merged entries; a port already served by an earlier endpoint is removed from later ones.
 * Unhealthy endpoints shown on request never take a slot (istiod never saw them).
 */
function trimRoundRobin(candidates: Candidate[], log: UsageLog): Candidate[] {
  // Only a healthy DNS_ROUND_ROBIN candidate can lose ports; without one, every candidate stays as it is.
  if (!candidates.some((c) => c.healthy && c.resolution === 'DNS_ROUND_ROBIN')) return candidates;
  const taken = new Set<number>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (!c.healthy) {
      out.push(c);
      continue;
    }
    const names = Object.keys(c.ports);
    const free = c.resolution === 'DNS_ROUND_ROBIN' ? names.filter((n) => !taken.has(c.portNumbers[n])) : names;
    names.forEach((n) => taken.add(c.portNumbers[n]));
    if (free.length === 0 && names.length > 0) {
      log.drop(c.source, 'dns-round-robin-not-first', 'DNS_ROUND_ROBIN keeps only the first endpoint per port');
      continue;
    }
    out.push(free.length === names.length ? c : { ...c, ports: pick(c.ports, free) });
  }
  return out;
}

/** Ports of the winning (oldest) ServiceEntry, narrowed by `?port`, decide what an endpoint serves. */
function narrowPorts(c: Candidate, names: Set<string>, log: UsageLog): Candidate | undefined {
  const all = Object.keys(c.ports);
  if (all.length > 0 && all.every((n) => names.has(n))) return c;
  const kept = all.filter((n) => names.has(n));
  if (kept.length > 0) return { ...c, ports: pick(c.ports, kept) };
  log.drop(c.source, 'port-not-in-service', `serves none of the service ports [${[...names].join(', ')}]`);
  return undefined;
}

/**
 * Network-only (address-less) entries are dropped for callers in their network or without a
 * network (istiod: no multi-network view); otherwise they, like any endpoint in another network,
 * are reached through that network's gateway. An endpoint without a network is local to everyone.
 */
function toEndpoint(c: Candidate, query: ResolveQuery, caller: Locality | undefined, log: UsageLog): ResolvedEndpoint | undefined {
  const remote = !!query.network && !!c.network && c.network !== query.network;
  if (c.address === null && !remote) {
    if (query.network) log.drop(c.source, 'network-only-same-network', `network-only entry in the caller's network ${query.network}`);
    else log.drop(c.source, 'network-only-no-caller-network', 'network-only entry and the caller gave no network');
    return undefined;
  }
  log.use(c.source);
  return {
    address: c.address,
    ports: c.ports,
    weight: c.weight,
    locality: c.locality,
    network: c.network,
    serviceAccount: c.serviceAccount,
    labels: c.labels,
    healthy: c.healthy,
    priority: caller ? priorityFor(caller, c.locality) : 0,
    viaGateway: remote,
    source: c.source,
  };
}

function compareEndpoints(a: ResolvedEndpoint, b: ResolvedEndpoint): number {
  return (
    a.priority - b.priority ||
    compare(a.source.name, b.source.name) ||
    compare(a.source.kind, b.source.kind) ||
    (a.source.index ?? -1) - (b.source.index ?? -1)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pick(ports: Record<string, number>, names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, ports[n]]));
}
