import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { matchesSelector, selectsWorkload } from '../kinds/istio-selection';
import { isWildcardHost, normalizeHost, wildcardCandidates } from './host-match';
import { labelKey, Postings } from './label-postings';
import { mergedLabels } from './merged-labels';
import { addressKey, compareNames, isOlder } from './registry-index-keys';

export type IndexedKind = 'ServiceEntry' | 'WorkloadEntry';
export type IndexedObject = ServiceEntry | WorkloadEntry;

export interface SelectedWorkload {
  workload: WorkloadEntry;
  /** `workloadLabels(workload)`, merged once for both selection and the endpoint. */
  labels: Record<string, string>;
}

/** ServiceEntries declaring one host; `host` is the declared (possibly wildcard) host. */
export interface HostMatch {
  host: string;
  entries: ServiceEntry[];
}

/**
 * In-memory view of the current ServiceEntries and WorkloadEntries, indexed so that resolving a
 * host costs O(entries for that host + workloads it selects), never O(registry size):
 * host → ServiceEntries, (namespace, label key, value) → WorkloadEntries (merged labels), and
 * address → WorkloadEntries (for the analyzers' duplicate-address check, see addressKey).
 * Objects are kept by reference and must be treated as immutable: change one by upserting a new
 * object (postings are removed using the stored object's labels, hosts and address).
 * Not thread-safe by design: Node runs it on one thread; callers apply watch events in order.
 */
export class RegistryIndex {
  private readonly serviceEntries = new Map<string, Map<string, ServiceEntry>>();
  private readonly workloadEntries = new Map<string, Map<string, WorkloadEntry>>();
  private readonly byHost = new Postings<ServiceEntry>();
  private readonly byLabel = new Postings<WorkloadEntry>();
  private readonly byAddress = new Postings<WorkloadEntry>();
  private wildcardHosts = 0;
  private version = '0';

  /** Highest resourceVersion applied (numeric compare when both are integers). */
  get resourceVersion(): string {
    return this.version;
  }

  /** Adds or replaces an object; old host/label postings are dropped first. Other kinds are ignored. */
  upsert(obj: IndexedObject): boolean {
    const kind = obj.kind;
    if (kind !== 'ServiceEntry' && kind !== 'WorkloadEntry') return false;
    const { namespace, name } = idOf(obj);
    const previous = this.bucket(kind, namespace).get(name);
    if (previous && isOlder(obj.metadata.resourceVersion, previous.metadata.resourceVersion)) return false;
    if (previous) this.unlink(previous);
    this.bucket(kind, namespace).set(name, obj);
    this.link(obj);
    this.bump(obj.metadata.resourceVersion);
    return true;
  }

  /** Deletes an object; `resourceVersion` is the deletion's version (Kubernetes bumps it on delete). */
  remove(kind: IndexedKind, namespace: string, name: string, resourceVersion?: string): boolean {
    const bucket = this.store(kind).get(namespace);
    const previous = bucket?.get(name);
    this.bump(resourceVersion);
    if (!bucket || !previous) return false;
    this.unlink(previous);
    bucket.delete(name);
    if (bucket.size === 0) this.store(kind).delete(namespace);
    return true;
  }

  /** Full reload (startup, relist after a watch gap): the index becomes exactly `objects`. */
  replaceAll(objects: Iterable<IndexedObject>, resourceVersion?: string): void {
    this.serviceEntries.clear();
    this.workloadEntries.clear();
    this.byHost.clear();
    this.byLabel.clear();
    this.byAddress.clear();
    this.wildcardHosts = 0;
    this.version = '0';
    for (const obj of objects) this.upsert(obj);
    this.bump(resourceVersion);
  }

  /** Exact-host entries, else those of the most specific matching wildcard host (see wildcardCandidates). */
  serviceEntriesForHost(host: string): ServiceEntry[] {
    for (const match of this.hostMatches(host)) return match.entries;
    return [];
  }

  /** Every host declaration matching `host`, exact first, then wildcards from most to least specific. */
  *hostMatches(host: string): Generator<HostMatch> {
    const exact = normalizeHost(host);
    if (this.byHost.has(exact)) yield { host: exact, entries: this.byHost.get(exact) };
    if (this.wildcardHosts === 0) return;
    for (const candidate of wildcardCandidates(exact)) {
      if (this.byHost.has(candidate)) yield { host: candidate, entries: this.byHost.get(candidate) };
    }
  }

  /**
   * WorkloadEntries the ServiceEntry's workloadSelector picks, sorted by name (istiod's order). Walks
   * the smallest posting among the selector's labels, then applies the shared selection rule.
   */
  workloadEntriesSelectedBy(service: ServiceEntry): WorkloadEntry[] {
    return this.selectionOf(service).map((s) => s.workload);
  }

  /**
   * Same, with each entry's merged labels (merged once per lookup: caching them all costs ~30 MB at 100k).
   * The resolver's hot path: selectsWorkload already checks the selector, so the candidates are not
   * also filtered by matchesSelector as in workloadEntriesMatching (same result, one check per entry).
   */
  selectionOf(service: ServiceEntry): SelectedWorkload[] {
    const selector = service.spec.workloadSelector?.labels ?? {};
    return this.smallestPosting(idOf(service).namespace, selector)
      .map((workload) => ({ workload, labels: mergedLabels(workload) }))
      .filter(({ workload, labels }) => selectsWorkload(service, workload, labels))
      .sort(byWorkloadName);
  }

  /**
   * WorkloadEntries of `namespace` whose merged labels are a superset of a non-empty `selector`,
   * sorted by name, ignoring the resolution/address rule of selectsWorkload (the analyzers need the
   * entries a STATIC selector would pick if it could). Walks the smallest posting among the labels.
   */
  workloadEntriesMatching(namespace: string, selector: Record<string, string>): SelectedWorkload[] {
    return this.smallestPosting(namespace, selector)
      .map((workload) => ({ workload, labels: mergedLabels(workload) }))
      .filter(({ labels }) => matchesSelector(labels, selector))
      .sort(byWorkloadName);
  }

  /** The WorkloadEntries of the selector's rarest label in `namespace` (a superset of its matches); none for an empty selector. */
  private smallestPosting(namespace: string, selector: Record<string, string>): WorkloadEntry[] {
    const pairs = Object.entries(selector);
    if (pairs.length === 0) return [];
    const keys = pairs.map(([key, value]) => labelKey(namespace, key, value));
    const smallest = keys.reduce((a, b) => (this.byLabel.size(b) < this.byLabel.size(a) ? b : a));
    return this.byLabel.get(smallest);
  }

  /** ServiceEntries declaring exactly `host` (case-insensitive; a wildcard only matches itself). */
  serviceEntriesDeclaringHost(host: string): ServiceEntry[] {
    return this.byHost.get(normalizeHost(host));
  }

  /** WorkloadEntries of every namespace whose address is `address` under addressKey. */
  workloadEntriesWithAddress(address: string): WorkloadEntry[] {
    return address ? this.byAddress.get(addressKey(address)) : [];
  }

  /** Every namespace holding at least one indexed object, sorted. */
  namespaces(): string[] {
    return [...new Set([...this.serviceEntries.keys(), ...this.workloadEntries.keys()])].sort();
  }

  /** All WorkloadEntries of a namespace: O(namespace size), for explain output only. */
  workloadEntriesInNamespace(namespace: string): WorkloadEntry[] {
    return [...(this.workloadEntries.get(namespace)?.values() ?? [])];
  }

  serviceEntriesInNamespace(namespace: string): ServiceEntry[] {
    return [...(this.serviceEntries.get(namespace)?.values() ?? [])];
  }

  get counts(): { serviceEntries: number; workloadEntries: number } {
    const count = (store: Map<string, Map<string, unknown>>) =>
      [...store.values()].reduce((sum, bucket) => sum + bucket.size, 0);
    return { serviceEntries: count(this.serviceEntries), workloadEntries: count(this.workloadEntries) };
  }

  private link(obj: IndexedObject): void {
    if (obj.kind === 'ServiceEntry') return this.forHosts(obj as ServiceEntry, (h, se) => this.addHost(h, se));
    const we = obj as WorkloadEntry;
    this.forLabels(we, (key) => this.byLabel.add(key, we));
    if (we.spec.address) this.byAddress.add(addressKey(we.spec.address), we);
  }

  private unlink(obj: IndexedObject): void {
    if (obj.kind === 'ServiceEntry') return this.forHosts(obj as ServiceEntry, (h, se) => this.deleteHost(h, se));
    const we = obj as WorkloadEntry;
    this.forLabels(we, (key) => this.byLabel.delete(key, we));
    if (we.spec.address) this.byAddress.delete(addressKey(we.spec.address), we);
  }

  private forHosts(se: ServiceEntry, fn: (host: string, se: ServiceEntry) => void): void {
    for (const host of new Set((se.spec.hosts ?? []).map(normalizeHost))) fn(host, se);
  }

  private forLabels(we: WorkloadEntry, fn: (key: string) => void): void {
    const namespace = idOf(we).namespace;
    for (const [key, value] of Object.entries(mergedLabels(we))) fn(labelKey(namespace, key, value));
  }

  private addHost(host: string, se: ServiceEntry): void {
    if (isWildcardHost(host) && !this.byHost.has(host)) this.wildcardHosts++;
    this.byHost.add(host, se);
  }

  private deleteHost(host: string, se: ServiceEntry): void {
    this.byHost.delete(host, se);
    if (isWildcardHost(host) && !this.byHost.has(host)) this.wildcardHosts--;
  }

  private store(kind: IndexedKind): Map<string, Map<string, IndexedObject>> {
    return (kind === 'ServiceEntry' ? this.serviceEntries : this.workloadEntries) as Map<
      string,
      Map<string, IndexedObject>
    >;
  }

  private bucket(kind: IndexedKind, namespace: string): Map<string, IndexedObject> {
    const store = this.store(kind);
    let bucket = store.get(namespace);
    if (!bucket) store.set(namespace, (bucket = new Map()));
    return bucket;
  }

  private bump(resourceVersion: string | undefined): void {
    if (resourceVersion && !isOlder(resourceVersion, this.version)) this.version = resourceVersion;
  }
}

function byWorkloadName(a: SelectedWorkload, b: SelectedWorkload): number {
  return compareNames(a.workload.metadata.name, b.workload.metadata.name);
}

export function idOf(obj: IndexedObject): { namespace: string; name: string } {
  return { namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name ?? '' };
}
