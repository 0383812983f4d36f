import { KindDefinition } from '../kinds/kind-definition';
import { KINDS } from '../kinds/kinds';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedApis, aggregatedCoreApi } from './aggregated-discovery';
import {
  apiGroupDocument, apiGroupList, apiResourceList, coreApiVersions, coreResourceList, versionInfo,
} from './discovery-documents';
import { findGroupVersion, reverseDomain, servedGroups } from './group-versions';

/** A kind of another group-version, to show that every document follows the kinds it is given. */
const widget = {
  ...KINDS[0],
  group: 'example.com',
  version: 'v1alpha1',
  kind: 'Widget',
  listKind: 'WidgetList',
  plural: 'widgets',
  singular: 'widget',
  shortNames: [],
  categories: [],
} as KindDefinition;

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('servedGroups', () => {
  it('groups the kinds by group and version, in the order they are declared', () => {
    const groups = servedGroups([...KINDS, widget]);
    expect(groups.map((g) => [g.name, g.versions.map((v) => v.groupVersion)])).toEqual([
      ['networking.istio.io', ['networking.istio.io/v1']],
      ['example.com', ['example.com/v1alpha1']],
    ]);
    expect(groups[0].versions[0].kinds.map((k) => k.kind)).toEqual(['WorkloadEntry', 'ServiceEntry', 'WorkloadGroup']);
  });

  it('finds a group-version, or nothing', () => {
    expect(findGroupVersion(KINDS, 'networking.istio.io', 'v1')?.kinds).toHaveLength(3);
    expect(findGroupVersion(KINDS, 'networking.istio.io', 'v1beta1')).toBeUndefined();
  });

  it.each([
    ['networking.istio.io', 'io.istio.networking'],
    ['apps', 'apps'],
    ['example.com', 'com.example'],
  ])('reverses %s to %s', (group, reversed) => expect(reverseDomain(group)).toBe(reversed));
});

describe('legacy discovery documents', () => {
  it('/version names the Kubernetes API level served, and nothing of the runtime', () => {
    expect(versionInfo()).toEqual({
      major: '1', minor: '32', gitVersion: 'v1.32.0-mesh-registry', gitCommit: '', gitTreeState: '', buildDate: '', goVersion: '', compiler: '', platform: '',
    });
  });

  it('/api and /api/v1 declare core v1 with read-only namespaces', () => {
    expect(coreApiVersions()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(coreResourceList()).toEqual({
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] }],
    });
  });

  it('/apis lists every group with its preferred version', () => {
    expect(apiGroupList([...KINDS, widget])).toEqual({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        {
          name: 'networking.istio.io',
          versions: [{ groupVersion: 'networking.istio.io/v1', version: 'v1' }],
          preferredVersion: { groupVersion: 'networking.istio.io/v1', version: 'v1' },
        },
        {
          name: 'example.com',
          versions: [{ groupVersion: 'example.com/v1alpha1', version: 'v1alpha1' }],
          preferredVersion: { groupVersion: 'example.com/v1alpha1', version: 'v1alpha1' },
        },
      ],
    });
  });

  it('/apis/{group} is one APIGroup', () => {
    expect(apiGroupDocument(servedGroups(KINDS)[0])).toMatchObject({ kind: 'APIGroup', apiVersion: 'v1', name: 'networking.istio.io' });
  });

  it('/apis/{group}/{version} lists each kind with its short names, then its status subresource', () => {
    const list = apiResourceList(findGroupVersion(KINDS, 'networking.istio.io', 'v1')!);
    expect(list).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'networking.istio.io/v1' });
    expect(list.resources).toEqual([
      {
        name: 'workloadentries', singularName: 'workloadentry', namespaced: true, kind: 'WorkloadEntry',
        verbs: ALL_VERBS, shortNames: ['we'], categories: ['istio-io', 'networking-istio-io'],
      },
      { name: 'workloadentries/status', singularName: '', namespaced: true, kind: 'WorkloadEntry', verbs: ['get', 'patch', 'update'] },
      {
        name: 'serviceentries', singularName: 'serviceentry', namespaced: true, kind: 'ServiceEntry',
        verbs: ALL_VERBS, shortNames: ['se'], categories: ['istio-io', 'networking-istio-io'],
      },
      { name: 'serviceentries/status', singularName: '', namespaced: true, kind: 'ServiceEntry', verbs: ['get', 'patch', 'update'] },
      {
        name: 'workloadgroups', singularName: 'workloadgroup', namespaced: true, kind: 'WorkloadGroup',
        verbs: ALL_VERBS, shortNames: ['wg'], categories: ['istio-io', 'networking-istio-io'],
      },
      { name: 'workloadgroups/status', singularName: '', namespaced: true, kind: 'WorkloadGroup', verbs: ['get', 'patch', 'update'] },
    ]);
  });
});

describe('aggregated discovery (apidiscovery.k8s.io/v2)', () => {
  it('has the content type client-go compares', () => {
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  });

  it('/apis carries every resource with its GVK, scope and status subresource', () => {
    const list = aggregatedApis(KINDS);
    expect(list).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    expect(list.items).toHaveLength(1);
    const [group] = list.items;
    expect(group.metadata.name).toBe('networking.istio.io');
    expect(group.versions.map((v) => [v.version, v.freshness])).toEqual([['v1', 'Current']]);
    expect(group.versions[0].resources[0]).toEqual({
      resource: 'workloadentries',
      responseKind: { group: 'networking.istio.io', version: 'v1', kind: 'WorkloadEntry' },
      scope: 'Namespaced',
      singularResource: 'workloadentry',
      verbs: ALL_VERBS,
      shortNames: ['we'],
      categories: ['istio-io', 'networking-istio-io'],
      subresources: [
        { subresource: 'status', responseKind: { group: 'networking.istio.io', version: 'v1', kind: 'WorkloadEntry' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    expect(group.versions[0].resources[1]).toMatchObject({ resource: 'serviceentries', shortNames: ['se'] });
    expect(group.versions[0].resources[2]).toMatchObject({
      resource: 'workloadgroups', shortNames: ['wg'], subresources: [{ subresource: 'status', responseKind: { kind: 'WorkloadGroup' } }],
    });
  });

  it('/api is the core group, named "", whose v1 serves cluster-scoped, read-only namespaces', () => {
    const namespaces = {
      resource: 'namespaces',
      responseKind: { group: '', version: 'v1', kind: 'Namespace' },
      scope: 'Cluster',
      singularResource: 'namespace',
      verbs: ['get', 'list'],
      shortNames: ['ns'],
    };
    expect(aggregatedCoreApi().items).toEqual([{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [namespaces], freshness: 'Current' }] }]);
  });
});
