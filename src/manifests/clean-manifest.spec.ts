import { KubeObject } from '../common/kube-object';
import { compareKeys, sortKeysDeep, sortManifests, toCleanManifest } from './clean-manifest';
import { detailsService, detailsWorkload, trickyService, trickyWorkload } from './test-fixtures';

const SERVER_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'generateName'];

describe('toCleanManifest', () => {
  it.each([
    ['details-svc WorkloadEntry', detailsWorkload()],
    ['details-svc ServiceEntry', detailsService()],
    ['tricky WorkloadEntry', trickyWorkload()],
    ['tricky ServiceEntry', trickyService()],
  ])('keeps only apiVersion, kind, clean metadata and spec: %s', (_name, obj) => {
    const clean = toCleanManifest(obj);
    expect(Object.keys(clean)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(clean).not.toHaveProperty('status');
    for (const field of SERVER_FIELDS) expect(clean.metadata).not.toHaveProperty(field);
    expect(clean.metadata.name).toBe(obj.metadata.name);
    expect(clean.metadata.namespace).toBe(obj.metadata.namespace);
  });

  it('orders metadata name, namespace, labels, annotations and omits empty maps', () => {
    const full = toCleanManifest(trickyWorkload());
    expect(Object.keys(full.metadata)).toEqual(['name', 'namespace', 'labels', 'annotations']);
    const empty = toCleanManifest(detailsWorkload());
    expect(Object.keys(empty.metadata)).toEqual(['name', 'namespace']);
  });

  it('sorts keys recursively, integer-like keys first as JavaScript iterates them', () => {
    const clean = toCleanManifest(trickyWorkload());
    expect(Object.keys(clean.spec)).toEqual(['address', 'labels', 'locality', 'network', 'ports', 'serviceAccount', 'weight']);
    expect(Object.keys(clean.spec.ports as object)).toEqual(['10', '9090', 'grpc', 'http']);
    expect(Object.keys(clean.metadata.labels ?? {})).toEqual(['app', 'build', 'enabled', 'legacy', 'ratio', 'version', 'zone']);
    const ports = toCleanManifest(trickyService()).spec.ports as object[];
    expect(ports.map((p) => Object.keys(p))).toEqual([['name', 'number', 'protocol'], ['name', 'number', 'protocol', 'targetPort']]);
  });

  it('keeps array order (hosts, ports, endpoints are ordered)', () => {
    const clean = toCleanManifest(trickyService());
    expect(clean.spec.hosts).toEqual(['ledger.example.com', 'ledger-b.example.com']);
    expect((clean.spec.ports as { number: number }[]).map((p) => p.number)).toEqual([443, 80]);
  });

  it('drops null and undefined properties and defaults a missing spec to {}', () => {
    const obj = { ...detailsWorkload(), spec: { address: '1.1.1.1', network: null, weight: undefined } } as unknown as KubeObject;
    expect(toCleanManifest(obj).spec).toEqual({ address: '1.1.1.1' });
    expect(toCleanManifest({ ...obj, spec: undefined } as unknown as KubeObject).spec).toEqual({});
  });

  it('is idempotent and leaves its input alone', () => {
    const obj = trickyWorkload();
    const before = JSON.stringify(obj);
    const once = toCleanManifest(obj);
    expect(JSON.stringify(toCleanManifest(once))).toBe(JSON.stringify(once));
    expect(JSON.stringify(obj)).toBe(before);
  });
});

describe('compareKeys and sortKeysDeep', () => {
  it.each([
    [['b', 'a', 'B', '_x'], ['B', '_x', 'a', 'b']],
    [['10', '9', 'a', '01'], ['9', '10', '01', 'a']],
    [['é', 'z', 'Z'], ['Z', 'z', 'é']],
  ])('sorts %j as %j', (keys, expected) => {
    expect([...keys].sort(compareKeys)).toEqual(expected);
    const obj = Object.fromEntries(keys.map((k) => [k, 1]));
    expect(Object.keys(sortKeysDeep(obj) as object)).toEqual(expected);
  });

  it('keeps a __proto__ key as data', () => {
    const sorted = sortKeysDeep(JSON.parse('{"__proto__": {"x": 1}, "a": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
    expect(Object.keys(sorted)).toEqual(['__proto__', 'a']);
  });
});

describe('sortManifests', () => {
  const obj = (kind: string, namespace: string, name: string): KubeObject => ({
    apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace }, spec: {},
  });
  const ids = (objs: KubeObject[]) => objs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);

  it.each([
    [
      'WorkloadEntry before ServiceEntry, then namespace, then name',
      [obj('ServiceEntry', 'a', 'x'), obj('WorkloadEntry', 'b', 'a'), obj('WorkloadEntry', 'a', 'b'), obj('WorkloadEntry', 'a', 'a')],
      ['WorkloadEntry/a/a', 'WorkloadEntry/a/b', 'WorkloadEntry/b/a', 'ServiceEntry/a/x'],
    ],
    [
      'unknown kinds last, by kind name; code-unit order for names',
      [obj('Zeta', 'a', 'a'), obj('Alpha', 'a', 'a'), obj('ServiceEntry', 'a', 'b-2'), obj('ServiceEntry', 'a', 'B'), obj('ServiceEntry', 'a', 'b')],
      ['ServiceEntry/a/B', 'ServiceEntry/a/b', 'ServiceEntry/a/b-2', 'Alpha/a/a', 'Zeta/a/a'],
    ],
  ])('%s', (_name, input, expected) => {
    const copy = [...input];
    expect(ids(sortManifests(input))).toEqual(expected);
    expect(input).toEqual(copy);
  });
});
