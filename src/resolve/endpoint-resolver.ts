import { isExportedTo } from '../kinds/istio-selection';
import { ServiceEntry, ServicePort } from '../kinds/istio-types';
import { collectCandidates, filterCandidates } from './endpoint-pipeline';
import { resolutionOf } from './endpoint-source';
import { explainUnused, MergedGroup } from './explain';
import { HostMatch, idOf, RegistryIndex } from './registry-index';
import { ExplainReason, ResolvedEndpoint, ResolvedPort, ResolvedService, ResolveQuery, ResolveResult } from './resolve-types';
import { UsageLog } from './usage-log';

export * from './resolve-types';

/**
 * Endpoints of `query.host` as istiod computes them for a caller; undefined (→ 404) when no
 * visible ServiceEntry declares the host or a wildcard matching it. Cost: O(ServiceEntries for the
 * host + workloads they select); `explain` adds a scan of the involved namespaces.
 */
export function resolveHost(index: RegistryIndex, query: ResolveQuery): ResolveResult | undefined {
  const levels = [...index.hostMatches(query.host)];
  // A more specific host the caller cannot see does not shadow a visible wildcard (the sidecar never has it).
  const chosen = levels.findIndex((level) => level.entries.some((se) => isVisible(se, query)));
  if (chosen < 0) return undefined;
  const log = new UsageLog(query.explain === true);
  const groups = groupByNamespace(levels[chosen], query);
  const services = groups.flatMap((group) => buildService(index, group, query, log));
  const result: ResolveResult = { host: query.host, resourceVersion: index.resourceVersion, services };
  if (query.explain) {
    logOtherLevels(levels, chosen, log);
    result.explain = explainUnused(index, { query, levels, groups, log });
  }
  return result;
}

function isVisible(service: ServiceEntry, query: ResolveQuery): boolean {
  return !query.namespace || isExportedTo(service, query.namespace);
}

/**
 * Same host in one namespace: one merged service, oldest first (then name); the oldest visible
 * entry's attributes win while all members feed endpoints (istiod shares one endpoint shard per
 * host and namespace). Caller's namespace first, then oldest: the order a sidecar picks in.
 */
function groupByNamespace(match: HostMatch, query: ResolveQuery): MergedGroup[] {
  const byNamespace = new Map<string, ServiceEntry[]>();
  for (const se of match.entries) {
    const ns = idOf(se).namespace;
    const members = byNamespace.get(ns);
    if (members) members.push(se);
    else byNamespace.set(ns, [se]);
  }
  const groups = [...byNamespace].map(([namespace, members]): MergedGroup => {
    members.sort(mergeOrder);
    return { namespace, host: match.host, members, primary: members.find((m) => isVisible(m, query)) };
  });
  return groups.sort(
    (a, b) =>
      Number(b.namespace === query.namespace) - Number(a.namespace === query.namespace) ||
      mergeOrder(a.primary ?? a.members[0], b.primary ?? b.members[0]) ||
      compare(a.namespace, b.namespace),
  );
}

function buildService(index: RegistryIndex, group: MergedGroup, query: ResolveQuery, log: UsageLog): ResolvedService[] {
  const primary = group.primary;
  if (!primary) return dropGroup(group, log, 'not-exported', `not exported to namespace ${query.namespace}`);
  const portFilter = query.port === '' ? undefined : query.port;
  const ports = selectPorts(primary.spec.ports ?? [], portFilter);
  if (portFilter !== undefined && ports.length === 0) {
    return dropGroup(group, log, 'no-matching-port', `no service port has number or name ${query.port}`);
  }
  group.members.forEach((member) => log.use({ kind: 'ServiceEntry', ...idOf(member) }));
  const resolution = resolutionOf(primary);
  const candidates = collectCandidates(index, group.members, group.host);
  let endpoints: ResolvedEndpoint[] = [];
  if (resolution === 'NONE') {
    candidates.forEach((c) => log.drop(c.source, 'resolution-none', 'resolution NONE: traffic passes through, no endpoints'));
  } else {
    endpoints = filterCandidates(candidates, ports, query, log);
  }
  return [
    {
      namespace: group.namespace,
      host: group.host,
      serviceEntries: group.members.map((m) => idOf(m).name),
      location: primary.spec.location ?? 'MESH_EXTERNAL',
      resolution,
      ports: ports.map(toResolvedPort),
      endpoints,
    },
  ];
}

function dropGroup(group: MergedGroup, log: UsageLog, reason: ExplainReason, message: string): ResolvedService[] {
  group.members.forEach((m) => log.drop({ kind: 'ServiceEntry', ...idOf(m) }, reason, message));
  return [];
}

/** Hosts more specific than the chosen one were all invisible; less specific ones lost. */
function logOtherLevels(levels: HostMatch[], chosen: number, log: UsageLog): void {
  levels.forEach((level, i) => {
    if (i === chosen) return;
    const reason: ExplainReason = i < chosen ? 'not-exported' : 'less-specific-host';
    const message =
      i < chosen
        ? `host ${level.host} is not exported to the caller's namespace`
        : `host ${level.host} matches, but ${levels[chosen].host} is more specific`;
    level.entries.forEach((se) => log.drop({ kind: 'ServiceEntry', ...idOf(se) }, reason, message));
  });
}

/** `?port` matches a service port's number or its name. */
function selectPorts(ports: readonly ServicePort[], port: number | string | undefined): ServicePort[] {
  if (port === undefined) return [...ports];
  const wanted = String(port);
  return ports.filter((p) => String(p.number) === wanted || p.name === wanted);
}

function toResolvedPort(port: ServicePort): ResolvedPort {
  return {
    number: port.number,
    name: port.name,
    ...(port.protocol ? { protocol: port.protocol } : {}),
    ...(port.targetPort ? { targetPort: port.targetPort } : {}),
  };
}

/** Oldest creationTimestamp first (a missing one counts as oldest, like Go's zero time), then name. */
export function mergeOrder(a: ServiceEntry, b: ServiceEntry): number {
  const time = (se: ServiceEntry) => Date.parse(se.metadata.creationTimestamp ?? '') || 0;
  return time(a) - time(b) || compare(idOf(a).name, idOf(b).name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
