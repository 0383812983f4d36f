import { KubeObject } from '../common/kube-object';
import { sortManifests } from './clean-manifest';
import { KINDS } from '../kinds/kinds';
import { kindNamesOf } from './import-errors';
import { parseImportStream } from './import-stream';
import { renderJsonList } from './json-list';
import { renderYamlStream } from './yaml-stream';
import { allFixtures, DETAILS_YAML } from './test-fixtures';

const OPTIONS = { maxDocumentBytes: 1 << 20, maxDocuments: 1000, maxAliases: 100, kinds: KINDS.map(kindNamesOf) };

/** Imports into an empty in-memory registry the way the apply path would: the server adds its fields. */
function importIntoEmptyRegistry(text: string): KubeObject[] {
  const docs = parseImportStream(text, OPTIONS);
  expect(docs.filter((d) => d.error)).toEqual([]);
  return docs.map((d, i) => ({
    ...(d.object as KubeObject),
    metadata: { ...d.object?.metadata, uid: `uid-${i}`, resourceVersion: `${100 + i}`, generation: 1, creationTimestamp: '2025-01-01T00:00:00Z' },
    status: {},
  }));
}

const exportYaml = (objs: KubeObject[]) => renderYamlStream(sortManifests(objs));
const exportJson = (objs: KubeObject[]) => renderJsonList(sortManifests(objs));

/** The Istio docs' details-svc pair as a person writes it: comments, docs key order, no namespace. */
const DOCS_STYLE = `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: details-svc
spec:
  hosts:
  - details.bookinfo.com
  location: MESH_INTERNAL
  ports:
  - number: 80
    name: http
    protocol: HTTP
    targetPort: 8080
  resolution: STATIC
  workloadSelector:
    labels:
      app: details-legacy
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: details-svc
spec:
  # use of the service account indicates that the workload has a
  # sidecar proxy bootstrapped with this service account.
  serviceAccount: details-legacy
  address: 2.2.2.2
  labels:
    app: details-legacy
    instance-id: vm1
---
`;

describe('round trips', () => {
  it('YAML export → import into an empty registry → export is byte-identical', () => {
    const first = exportYaml(allFixtures());
    expect(exportYaml(importIntoEmptyRegistry(first))).toBe(first);
  });

  it('JSON List export → import → export is byte-identical', () => {
    const first = exportJson(allFixtures());
    expect(exportJson(importIntoEmptyRegistry(first))).toBe(first);
  });

  it.each([
    ['YAML to JSON', exportYaml, exportJson],
    ['JSON to YAML', exportJson, exportYaml],
  ])('%s and back gives the same bytes', (_name, from, to) => {
    const original = from(allFixtures());
    const other = to(importIntoEmptyRegistry(original));
    expect(from(importIntoEmptyRegistry(other))).toBe(original);
  });

  it('a hand-written docs-style stream normalizes to the clean form, which then parses and renders unchanged', () => {
    const normalized = exportYaml(importIntoEmptyRegistry(DOCS_STYLE.replace(/name: details-svc\n/g, 'name: details-svc\n  namespace: bookinfo\n')));
    expect(normalized).toBe(DETAILS_YAML);
    const docs = parseImportStream(normalized, OPTIONS).map((d) => d.object as KubeObject);
    expect(renderYamlStream(docs)).toBe(normalized);
  });

  it('gives a namespace-less stream the default namespace, then round-trips', () => {
    const exported = exportYaml(importIntoEmptyRegistry(DOCS_STYLE));
    expect(exported).toBe(DETAILS_YAML.replace(/namespace: bookinfo/g, 'namespace: default'));
    expect(exportYaml(importIntoEmptyRegistry(exported))).toBe(exported);
  });
});
