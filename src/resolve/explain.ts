import { isDnsOnlyAddress, matchesSelector, selectsWorkload, workloadLabels } from '../kinds/istio-selection';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { HostMatch, idOf, RegistryIndex } from './registry-index';
import { ExplainEntry, ExplainReason, ResolveQuery } from './resolve-types';
import { UsageLog } from './usage-log';

/** ServiceEntries of one namespace declaring the chosen host, merged into one service. */
export interface MergedGroup {
  namespace: string;
  host: string;
  /** Merge order: oldest first, then name. */
  members: ServiceEntry[];
  /** Oldest member visible to the caller; absent → the whole group is invisible. */
  primary?: ServiceEntry;
}

export interface ExplainContext {
  query: ResolveQuery;
  levels: HostMatch[];
  groups: MergedGroup[];
  log: UsageLog;
}

/**
 * Why each ServiceEntry and WorkloadEntry of the involved namespaces (any declaring a matching host,
 * plus the caller's) was not used. O(size of those namespaces): explain is a debugging aid.
 */
export function explainUnused(index: RegistryIndex, ctx: ExplainContext): ExplainEntry[] {
  const matching = new Map<string, ServiceEntry[]>();
  for (const se of ctx.levels.flatMap((level) => level.entries)) {
    const ns = idOf(se).namespace;
    matching.set(ns, [...(matching.get(ns) ?? []), se]); // few entries per host: copying is fine
  }
  if (ctx.query.namespace && !matching.has(ctx.query.namespace)) matching.set(ctx.query.namespace, []);
  const out: ExplainEntry[] = [];
  for (const [ns, services] of [...matching].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const group = ctx.groups.find((g) => g.namespace === ns);
    for (const se of byName(index.serviceEntriesInNamespace(ns))) out.push(...explainServiceEntry(se, ctx));
    for (const we of byName(index.workloadEntriesInNamespace(ns))) {
      out.push(...explainWorkload(we, { group, services, log: ctx.log }));
    }
  }
  return out;
}

/** A workload's namespace: its merged service (if any) and every entry there matching the host. */
interface WorkloadScope {
  group?: MergedGroup;
  services: ServiceEntry[];
  log: UsageLog;
}

function explainServiceEntry(se: ServiceEntry, ctx: ExplainContext): ExplainEntry[] {
  const ref = { kind: 'ServiceEntry' as const, ...idOf(se) };
  if (ctx.log.isUsed(ref)) return ctx.log.droppedEndpointsOf(ref.namespace, ref.name);
  const dropped = ctx.log.dropOf(ref);
  if (dropped) return [dropped];
  const hosts = (se.spec.hosts ?? []).join(', ');
  return [{ ...ref, reason: 'host-mismatch', message: `declares [${hosts}], none matches ${ctx.query.host}` }];
}

function explainWorkload(we: WorkloadEntry, scope: WorkloadScope): ExplainEntry[] {
  const ref = { kind: 'WorkloadEntry' as const, ...idOf(we) };
  if (scope.log.isUsed(ref)) return [];
  const dropped = scope.log.dropOf(ref);
  if (dropped) return [dropped];
  const { reason, message } = inheritedReason(we, scope) ?? unselectedReason(we, scope.group);
  return [{ ...ref, reason, message }];
}

/** A workload selected only by dropped entries (hidden, less specific, wrong port) shares their reason. */
function inheritedReason(we: WorkloadEntry, scope: WorkloadScope): { reason: ExplainReason; message: string } | undefined {
  for (const se of scope.services) {
    const dropped = selectsWorkload(se, we) ? scope.log.dropOf({ kind: 'ServiceEntry', ...idOf(se) }) : undefined;
    if (dropped) return { reason: dropped.reason, message: `selected by ${idOf(se).name}: ${dropped.message}` };
  }
  return undefined;
}

/** Reasons for a workload that no ServiceEntry of the host selected. */
function unselectedReason(we: WorkloadEntry, group: MergedGroup | undefined): { reason: ExplainReason; message: string } {
  if (!group) return { reason: 'no-service-in-namespace', message: 'no ServiceEntry for this host in the namespace' };
  const selectors = group.members.filter((m) => m.spec.workloadSelector);
  if (selectors.length === 0) {
    return { reason: 'no-workload-selector', message: 'the ServiceEntries for this host use inline endpoints or the host' };
  }
  const labels = workloadLabels(we);
  const labelMatch = selectors.find((m) => nonEmptySelectorMatches(m, labels));
  if (labelMatch && isDnsOnlyAddress(we.spec.address)) {
    const resolution = labelMatch.spec.resolution ?? 'NONE';
    return {
      reason: 'dns-only-address',
      message: `address ${we.spec.address} is an FQDN or unix socket: used by DNS/DNS_ROUND_ROBIN only, not ${resolution}`,
    };
  }
  const wanted = selectors.map((m) => `${idOf(m).name}: ${formatLabels(m.spec.workloadSelector?.labels ?? {})}`);
  return { reason: 'selector-mismatch', message: `labels match no workloadSelector (${wanted.join('; ')})` };
}

function nonEmptySelectorMatches(se: ServiceEntry, labels: Record<string, string>): boolean {
  const selector = se.spec.workloadSelector?.labels ?? {};
  return Object.keys(selector).length > 0 && matchesSelector(labels, selector);
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : '{} (selects nothing)';
}

function byName<T extends ServiceEntry | WorkloadEntry>(objects: T[]): T[] {
  return objects.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}
