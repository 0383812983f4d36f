import { KindDefinition } from '../kinds/kind-definition';
import { NAMESPACE_RESOURCE } from '../namespaces/namespace-object';
import { NAMESPACE_VERBS, RESOURCE_VERBS, ServedGroupVersion, servedGroups, STATUS_VERBS } from './group-versions';

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2): every group, version and resource in the one answer
 * to `/api` or `/apis`, which kubectl asks for first. Clients only read it as aggregated when the
 * response's Content-Type says so (AGGREGATED_DISCOVERY_CONTENT_TYPE); any other type is read as the
 * legacy APIVersions / APIGroupList.
 */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const LIST_ENVELOPE = { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {} } as const;

function resourceDiscovery(kind: KindDefinition) {
  const responseKind = { group: kind.group, version: kind.version, kind: kind.kind };
  return {
    resource: kind.plural,
    responseKind,
    scope: 'Namespaced',
    singularResource: kind.singular,
    verbs: RESOURCE_VERBS,
    shortNames: kind.shortNames,
    categories: kind.categories,
    subresources: [{ subresource: 'status', responseKind, verbs: STATUS_VERBS }],
  };
}

const versionDiscovery = (v: ServedGroupVersion) => ({
  version: v.version,
  resources: v.kinds.map(resourceDiscovery),
  freshness: 'Current',
});

/** `/apis` as an APIGroupDiscoveryList. */
export function aggregatedApis(kinds: readonly KindDefinition[]) {
  return {
    ...LIST_ENVELOPE,
    items: servedGroups(kinds).map((group) => ({
      metadata: { name: group.name },
      versions: group.versions.map(versionDiscovery),
    })),
  };
}

const namespaceDiscovery = () => {
  const { group, version, kind, plural, singular, shortNames } = NAMESPACE_RESOURCE;
  return { resource: plural, responseKind: { group, version, kind }, scope: 'Cluster', singularResource: singular, verbs: NAMESPACE_VERBS, shortNames };
};

/** `/api` as an APIGroupDiscoveryList: the core group (named "") with v1, which serves namespaces. */
export function aggregatedCoreApi() {
  return {
    ...LIST_ENVELOPE,
    items: [{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [namespaceDiscovery()], freshness: 'Current' }] }],
  };
}
