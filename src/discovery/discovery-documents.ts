import { KindDefinition } from '../kinds/kind-definition';
import { NAMESPACE_RESOURCE } from '../namespaces/namespace-object';
import { NAMESPACE_VERBS, RESOURCE_VERBS, ServedGroup, ServedGroupVersion, servedGroups, STATUS_VERBS } from './group-versions';

/**
 * The "legacy" (unaggregated) discovery documents of a Kubernetes API server, built from the kinds:
 * what kubectl reads to map `we` or `workloadentries` to a group, version and path.
 */

/** The Kubernetes API level whose semantics this registry serves (and the kubectl it is tested with). */
export const KUBERNETES_API_LEVEL = { major: '1', minor: '32' } as const;

/**
 * `/version`: kubectl prints gitVersion as the server version and warns on minor-version skew. Anyone
 * may read it, so it names the API level served and nothing of the runtime (Node version, platform)
 * that would tell an attacker which vulnerabilities to try.
 */
export function versionInfo() {
  const { major, minor } = KUBERNETES_API_LEVEL;
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.0-mesh-registry`,
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: '',
    platform: '',
  };
}

/** `/api`: the core group has only v1 (namespaces). */
export function coreApiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
}

/** `/api/v1`: namespaces only, read-only (derived from the objects that name them). */
export function coreResourceList() {
  const { plural, singular, kind, shortNames } = NAMESPACE_RESOURCE;
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [{ name: plural, singularName: singular, namespaced: false, kind, verbs: NAMESPACE_VERBS, shortNames }],
  };
}

const versionForDiscovery = (v: ServedGroupVersion) => ({ groupVersion: v.groupVersion, version: v.version });

function apiGroup(group: ServedGroup) {
  return {
    name: group.name,
    versions: group.versions.map(versionForDiscovery),
    preferredVersion: versionForDiscovery(group.versions[0]),
  };
}

/** `/apis`. */
export function apiGroupList(kinds: readonly KindDefinition[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(kinds).map(apiGroup) };
}

/** `/apis/{group}`. */
export function apiGroupDocument(group: ServedGroup) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

/** The resources of one kind: the collection, then its status subresource. */
export function apiResourcesOf(kind: KindDefinition) {
  return [
    {
      name: kind.plural,
      singularName: kind.singular,
      namespaced: true,
      kind: kind.kind,
      verbs: RESOURCE_VERBS,
      shortNames: kind.shortNames,
      categories: kind.categories,
    },
    { name: `${kind.plural}/status`, singularName: '', namespaced: true, kind: kind.kind, verbs: STATUS_VERBS },
  ];
}

/** `/apis/{group}/{version}`. */
export function apiResourceList(groupVersion: ServedGroupVersion) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion.groupVersion,
    resources: groupVersion.kinds.flatMap(apiResourcesOf),
  };
}
