import { parseLabelSelector } from '../resources/label-selector';
import { decide, desiredObject, differences, inScope, MANAGED_BY, MANAGED_BY_LABEL, MirrorObject, MirrorScope, ORIGIN_ANNOTATION, replacement, sourceNamespace, targetNamespace } from './mirror-rules';

const ORIGIN = 'registry-a';
const source = (name: string, namespace = 'bookinfo', labels: Record<string, string> = { app: 'details' }, spec: unknown = { address: '10.0.0.1' }): MirrorObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
  metadata: { name, namespace, labels, annotations: { note: 'x' }, uid: 'src-uid', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z',
    // The registry's uids mean nothing in a cluster: copied, they would make its garbage collector delete the entry.
    ownerReferences: [{ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', name: 'details', uid: 'registry-uid' }] },
  spec, status: { conditions: [] },
});
const scope = (over: Partial<MirrorScope> = {}): MirrorScope => ({ selector: [], namespaceMapping: {}, ...over });
const ours = (object: MirrorObject, origin = ORIGIN): MirrorObject => ({
  ...object,
  metadata: { ...object.metadata, labels: { ...object.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: { ...object.metadata.annotations, [ORIGIN_ANNOTATION]: origin } },
});

describe('desiredObject', () => {
  it('keeps name, labels, annotations and spec, marks the object, maps the namespace, and drops server-owned fields, ownerReferences and status', () => {
    const sut = desiredObject(source('vm-1'), scope({ namespaceMapping: { bookinfo: 'bookinfo-vms' } }), ORIGIN);
    expect(sut).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name: 'vm-1', namespace: 'bookinfo-vms', labels: { app: 'details', [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: { note: 'x', [ORIGIN_ANNOTATION]: ORIGIN } },
      spec: { address: '10.0.0.1' },
    });
  });
});

describe('scope', () => {
  it.each([
    ['every namespace, no selector', scope(), source('a'), true],
    ['a listed namespace', scope({ namespaces: ['bookinfo'] }), source('a'), true],
    ['an unlisted namespace', scope({ namespaces: ['payments'] }), source('a'), false],
    ['a matching selector', scope({ selector: parseLabelSelector('app in (details,ratings)') }), source('a'), true],
    ['a selector that does not match', scope({ selector: parseLabelSelector('app=ratings') }), source('a'), false],
    ['a selector on a label the object lacks', scope({ selector: parseLabelSelector('sync') }), source('a', 'bookinfo', {}), false],
  ])('%s', (_what, s, object, expected) => expect(inScope(s, object)).toBe(expected));

  it.each([
    [{}, undefined, 'bookinfo', 'bookinfo'],
    [{ bookinfo: 'vms' }, undefined, 'vms', 'bookinfo'],
    // bookinfo itself is mapped away, so nothing lands in a target namespace of that name.
    [{ bookinfo: 'vms' }, undefined, 'bookinfo', undefined],
    [{}, ['payments'], 'bookinfo', undefined],
    [{ bookinfo: 'vms' }, ['bookinfo'], 'vms', 'bookinfo'],
  ])('mapping %j over %j: target namespace %s comes from %s', (namespaceMapping, namespaces, target, expected) => {
    const s = scope({ namespaceMapping, namespaces });
    expect(sourceNamespace(s, target)).toBe(expected);
    if (expected) expect(targetNamespace(s, expected)).toBe(target);
  });
});

describe('decide', () => {
  const desired = desiredObject(source('vm-1'), scope(), ORIGIN);
  const inCluster = (over: Partial<MirrorObject> = {}) => ({ ...desired, ...over, metadata: { ...desired.metadata, uid: 'c-uid', resourceVersion: '99', ...over.metadata } }) as MirrorObject;
  it.each<[string, MirrorObject | undefined, MirrorObject | undefined, string, RegExp]>([
    ['nothing anywhere', undefined, undefined, 'none', /absent/],
    ['missing from the cluster', desired, undefined, 'create', /missing/],
    ['equal, server fields aside', desired, inCluster({ status: { conditions: [{ type: 'Healthy' }] } }), 'none', /in sync/],
    ['spec differs', desired, inCluster({ spec: { address: '10.0.0.2' } }), 'replace', /^spec differ/],
    ['labels differ', desired, inCluster({ metadata: { ...desired.metadata, labels: { ...desired.metadata.labels, extra: '1' } } }), 'replace', /^labels differ/],
    ['annotations differ', desired, inCluster({ metadata: { ...desired.metadata, annotations: { [ORIGIN_ANNOTATION]: ORIGIN } } }), 'replace', /^annotations differ/],
    ['made by hand', desired, source('vm-1'), 'clash', /someone else/],
    ['made by another tool', desired, source('vm-1', 'bookinfo', { [MANAGED_BY_LABEL]: 'helm' }), 'clash', /"helm"/],
    ['made by the sync of another registry', desired, ours(source('vm-1'), 'registry-b'), 'clash', /registry "registry-b"/],
    ['ours, gone from the registry', undefined, ours(source('vm-1')), 'delete', /no longer/],
    ['someone else\'s, not in the registry', undefined, source('vm-1'), 'none', /not the sync's/],
    ['another registry\'s sync, not in ours', undefined, ours(source('vm-1'), 'registry-b'), 'none', /not the sync's/],
  ])('%s', (_what, want, have, action, reason) => {
    const sut = decide(want, have, ORIGIN);
    expect(sut.action).toBe(action);
    expect(sut.reason).toMatch(reason);
  });

  it('names every part that differs', () => {
    const have = inCluster({ spec: {}, metadata: { ...desired.metadata, labels: {}, annotations: {} } });
    expect(differences(have, desired)).toEqual(['spec', 'labels', 'annotations']);
  });
});

describe('replacement', () => {
  it('replaces spec, labels and annotations and keeps what the cluster owns', () => {
    const desired = desiredObject(source('vm-1', 'bookinfo', { app: 'new' }, { address: '10.0.0.9' }), scope(), ORIGIN);
    const actual = ours({ ...source('vm-1'), metadata: { ...source('vm-1').metadata, uid: 'c-uid', resourceVersion: '41', finalizers: ['f'], ownerReferences: [{ uid: 'o' }] } });
    const sut = replacement(actual, desired);
    expect(sut.spec).toEqual({ address: '10.0.0.9' });
    expect(sut.metadata).toMatchObject({ uid: 'c-uid', resourceVersion: '41', finalizers: ['f'], ownerReferences: [{ uid: 'o' }], labels: desired.metadata.labels, annotations: desired.metadata.annotations });
    expect(sut.status).toEqual(actual.status);
  });
});
