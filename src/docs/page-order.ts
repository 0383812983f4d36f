import { OpenAPIObject, PathItemObject, TagObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { KindDefinition } from '../kinds/kind-definition';

/**
 * The page in the order a person comes to do things: register workloads and services, ask where
 * traffic goes, move YAML in and out, look for mistakes; then what kubectl reads and what operators
 * watch. Swagger UI shows tags in the order of the document's `tags`.
 */
const KIND_PURPOSE: Record<string, string> = {
  WorkloadEntry: 'Register a VM or bare-metal server in the mesh: its address, labels and service account. Start here: create the example.',
  ServiceEntry: 'Declare a service (hosts, ports, resolution) and select the WorkloadEntries that serve it.',
};

export function pageTags(kinds: readonly KindDefinition[]): TagObject[] {
  return [
    ...kinds.map((kind) => ({
      name: kind.kind,
      description: `${KIND_PURPOSE[kind.kind] ?? kind.kind} Served as ${kind.group}/${kind.version} with the Kubernetes API's paths, verbs and errors.`,
    })),
    { name: 'onboarding', description: 'VM onboarding: a VM registers itself into a WorkloadGroup on boot (one POST, no body needed), heartbeats its lease with its health, and deregisters with DELETE; lapsed leases expire.' },
    { name: 'resolve', description: 'Where does traffic for a host go: the endpoints istiod would compute, answered from memory.' },
    { name: 'manifests', description: "YAML out and in: a workload's manifest for kubectl apply, export, and all-or-nothing import." },
    { name: 'analyze', description: 'Cross-object problems istiod never reports (MR0001 to MR0007).' },
    { name: 'kubectl', description: 'What kubectl reads: version, discovery, OpenAPI v3, read-only namespaces, and kubectl auth can-i and whoami.' },
    { name: 'tokens', description: 'Bearer tokens: create one with a role or rules (its secret is shown once), list, revoke; registration tokens for one WorkloadGroup.' },
    { name: 'operations', description: 'Liveness, readiness, Prometheus metrics and the audit trail, for the platform running the registry.' },
  ];
}

/** A kind's paths: the collection (create, list), one object, its status, then the list across namespaces. */
const RESOURCE_PATH_RANK: [RegExp, number][] = [
  [/^\/apis\/[^/]+\/[^/]+\/namespaces\/\{namespace\}\/[^/]+$/, 0],
  [/^\/apis\/[^/]+\/[^/]+\/namespaces\/\{namespace\}\/[^/]+\/\{name\}$/, 1],
  [/^\/apis\/[^/]+\/[^/]+\/namespaces\/\{namespace\}\/[^/]+\/\{name\}\/status$/, 2],
  [/^\/apis\/[^/]+\/[^/]+\/[^/]+$/, 3],
];
const rankOf = (path: string) => RESOURCE_PATH_RANK.find(([pattern]) => pattern.test(path))?.[1] ?? 0;

/** Within a path: write one, read it, change it, remove it. */
const METHOD_ORDER = ['post', 'get', 'put', 'patch', 'delete', 'head', 'options', 'trace'];

function orderMethods(item: PathItemObject): PathItemObject {
  const entries = Object.entries(item);
  const rank = ([key]: [string, unknown]) => (METHOD_ORDER.includes(key) ? METHOD_ORDER.indexOf(key) : -1);
  return Object.fromEntries(entries.sort((a, b) => rank(a) - rank(b))) as PathItemObject;
}

const tagOf = (item: PathItemObject) => Object.values(item).find((op) => Array.isArray(op?.tags))?.tags?.[0];

/**
 * Orders the paths as the page shows them (by tag, and a kind's paths as above, the rest as declared)
 * and the operations of each path; Swagger UI lists each tag's operations in path order.
 */
export function orderPage(document: OpenAPIObject, tags: TagObject[]): void {
  const tagRank = (item: PathItemObject) => {
    const index = tags.findIndex((tag) => tag.name === tagOf(item));
    return index < 0 ? tags.length : index;
  };
  const paths = Object.entries(document.paths).map(([path, item], index) => ({ path, item, index, tag: tagRank(item) }));
  paths.sort((a, b) => a.tag - b.tag || rankOf(a.path) - rankOf(b.path) || a.index - b.index);
  document.paths = Object.fromEntries(paths.map(({ path, item }) => [path, orderMethods(item)]));
  document.tags = tags;
}
