import { KindDefinition } from '../kinds/kind-definition';

/** The kinds served under one `group/version`, in the order KINDS lists them. */
export interface ServedGroupVersion {
  group: string;
  version: string;
  /** `group/version`, as in apiVersion. */
  groupVersion: string;
  kinds: KindDefinition[];
}

export interface ServedGroup {
  name: string;
  /** Most preferred first (the first version a kind of the group declares). */
  versions: ServedGroupVersion[];
}

/** Groups and their versions, derived from the kinds: never listed by hand. */
export function servedGroups(kinds: readonly KindDefinition[]): ServedGroup[] {
  const groups = new Map<string, ServedGroup>();
  for (const kind of kinds) {
    const group = groups.get(kind.group) ?? { name: kind.group, versions: [] };
    groups.set(kind.group, group);
    let version = group.versions.find((v) => v.version === kind.version);
    if (!version) {
      version = { group: kind.group, version: kind.version, groupVersion: `${kind.group}/${kind.version}`, kinds: [] };
      group.versions.push(version);
    }
    version.kinds.push(kind);
  }
  return [...groups.values()];
}

export function findGroupVersion(kinds: readonly KindDefinition[], group: string, version: string): ServedGroupVersion | undefined {
  return servedGroups(kinds)
    .find((g) => g.name === group)
    ?.versions.find((v) => v.version === version);
}

/** `networking.istio.io` → `io.istio.networking`: the prefix of OpenAPI schema names, as the apiserver forms it. */
export function reverseDomain(group: string): string {
  return group.split('.').reverse().join('.');
}

/** The verbs every resource of this registry serves (no watch yet). */
export const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The verbs of the `/status` subresource. */
export const STATUS_VERBS = ['get', 'patch', 'update'];
/** Namespaces are read-only: derived from the objects, never written. */
export const NAMESPACE_VERBS = ['get', 'list'];
