import { KINDS } from '../kinds/kinds';
import { findGroupVersion } from './group-versions';
import { META_SCHEMA } from './openapi-meta-schemas';
import { groupVersionId, groupVersionTag } from './openapi-paths';
import { contentHash, groupVersionDocument, openApiIndex, publishedDocuments } from './openapi-v3';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, unknown> }; 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: unknown }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const gv = findGroupVersion(KINDS, 'networking.istio.io', 'v1')!;
const doc = groupVersionDocument(gv, 'mesh-registry') as unknown as Doc;
const BASE = '/apis/networking.istio.io/v1';
const WE_ITEM = `${BASE}/namespaces/{namespace}/workloadentries/{name}`;

describe('group-version OpenAPI v3 document', () => {
  it('is OpenAPI 3.0 with the four paths of each kind', () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(Object.keys(doc.paths)).toEqual([
      `${BASE}/workloadentries`,
      `${BASE}/namespaces/{namespace}/workloadentries`,
      WE_ITEM,
      `${WE_ITEM}/status`,
      `${BASE}/serviceentries`,
      `${BASE}/namespaces/{namespace}/serviceentries`,
      `${BASE}/namespaces/{namespace}/serviceentries/{name}`,
      `${BASE}/namespaces/{namespace}/serviceentries/{name}/status`,
      `${BASE}/workloadgroups`,
      `${BASE}/namespaces/{namespace}/workloadgroups`,
      `${BASE}/namespaces/{namespace}/workloadgroups/{name}`,
      `${BASE}/namespaces/{namespace}/workloadgroups/{name}/status`,
    ]);
  });

  it('marks every operation with its action and GVK', () => {
    const actions = Object.values(doc.paths).flatMap((item) =>
      Object.entries(item).filter(([method]) => method !== 'parameters').map(([, op]) => op['x-kubernetes-action']),
    );
    expect(new Set(actions)).toEqual(new Set(['list', 'post', 'deletecollection', 'get', 'put', 'patch', 'delete']));
    expect(doc.paths[WE_ITEM].patch['x-kubernetes-group-version-kind']).toEqual({ group: 'networking.istio.io', version: 'v1', kind: 'WorkloadEntry' });
    expect(doc.paths[WE_ITEM].get.operationId).toBe('readNetworkingIstioIoV1NamespacedWorkloadEntry');
  });

  it('lists dryRun and fieldValidation inline on every write, as kubectl looks for them on PATCH', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['post', 'put', 'patch'].filter((m) => item[m])) {
        const names = item[method].parameters!.filter((p) => p.in === 'query').map((p) => p.name);
        expect({ path, method, names }).toEqual({ path, method, names: expect.arrayContaining(['dryRun', 'fieldValidation']) });
      }
    }
  });

  it('offers no strategic merge patch, so kubectl apply computes a JSON merge patch', () => {
    expect(Object.keys(doc.paths[WE_ITEM].patch.requestBody!.content)).toEqual(['application/json-patch+json', 'application/merge-patch+json']);
  });

  it('names the schemas as the API server does, with the CRD schema and the GVK', () => {
    const we = doc.components.schemas['io.istio.networking.v1.WorkloadEntry'];
    expect(we['x-kubernetes-group-version-kind']).toEqual([{ group: 'networking.istio.io', kind: 'WorkloadEntry', version: 'v1' }]);
    expect(Object.keys(we.properties as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect((we.properties as Record<string, unknown>).spec).toEqual((KINDS[0].schema.properties as Record<string, unknown>).spec);
    expect(we.required).toEqual(['spec']);
    expect(doc.components.schemas['io.istio.networking.v1.ServiceEntryList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'networking.istio.io', kind: 'ServiceEntryList', version: 'v1' },
    ]);
    for (const name of Object.values(META_SCHEMA)) expect(doc.components.schemas[name]).toBeDefined();
  });

  it('refers only to schemas it defines', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref]).toBeDefined();
  });

  it('spells group-versions as operation ids and tags do', () => {
    expect(groupVersionId('networking.istio.io', 'v1')).toBe('NetworkingIstioIoV1');
    expect(groupVersionTag(gv)).toBe('networkingIstioIo_v1');
  });
});

describe('OpenAPI v3 index', () => {
  it('points to each group-version document at a URL carrying its content hash', () => {
    const documents = publishedDocuments(KINDS, 'mesh-registry');
    expect(documents.map((d) => d.key)).toEqual(['apis/networking.istio.io/v1']);
    expect(documents[0].hash).toBe(contentHash(documents[0].body));
    expect(documents[0].hash).toMatch(/^[0-9A-F]{128}$/);
    expect(openApiIndex(documents)).toEqual({
      paths: { 'apis/networking.istio.io/v1': { serverRelativeURL: `/openapi/v3/apis/networking.istio.io/v1?hash=${documents[0].hash}` } },
    });
  });

  it('is stable: the same kinds give the same hash', () => {
    expect(publishedDocuments(KINDS, 'mesh-registry')[0].hash).toBe(publishedDocuments(KINDS, 'mesh-registry')[0].hash);
  });
});
