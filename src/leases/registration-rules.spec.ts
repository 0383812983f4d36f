import { WorkloadGroup } from '../kinds/istio-types';
import { entryFromGroup, registeredEntryName, takeoverRefusal } from './registration-rules';

describe('registeredEntryName: istiod\'s <group>-<ip>[-<network>]', () => {
  it.each([
    ['details', '10.0.0.5', undefined, 'details-10.0.0.5', undefined],
    ['details', '10.0.0.5', 'n1', 'details-10.0.0.5-n1', undefined],
    ['details', '2001:db8::5', undefined, 'details-2001-db8--5', undefined],
    ['details', 'fe80::1%eth0', undefined, 'details-fe80--1%eth0', 'address'],
    ['details', 'vm_1.example.com', undefined, 'details-vm_1.example.com', 'address'],
    ['details', 'fe80::1%eth0', 'n1', 'details-fe80--1%eth0-n1', 'address'],
    ['details', '10.0.0.5', 'Net_1', 'details-10.0.0.5-Net_1', 'network'],
    ['g'.repeat(250), '10.0.0.5', undefined, `${'g'.repeat(250)}-10.0.0.5`.slice(-253), undefined],
    ['g'.repeat(250), '10.0.0.5', '-x', `${'g'.repeat(250)}-10.0.0.5--x`.slice(-253), undefined],
  ])('%s + %s + %s', (group, address, network, name, blamed) => {
    const result = registeredEntryName(group, address, network);
    expect(result.name).toBe(name);
    expect(result.name.length).toBeLessThanOrEqual(253);
    expect([...new Set(result.causes.map((c) => c.field))]).toEqual(blamed ? [blamed] : []);
  });
});

const group = (spec: WorkloadGroup['spec']): WorkloadGroup => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', metadata: { name: 'details', namespace: 'bookinfo', uid: 'u-1' }, spec,
});

describe('entryFromGroup: istiod\'s workloadEntryFromGroup', () => {
  it.each([
    ['template only', { template: { serviceAccount: 'sa', ports: { http: 80 } } }, { address: '10.0.0.5' },
      { labels: undefined, spec: { serviceAccount: 'sa', ports: { http: 80 }, address: '10.0.0.5' }, annotations: { 'istio.io/autoRegistrationGroup': 'details', x: 'ours' } }],
    ['labels: template < group metadata < request; istio-locality dropped',
      { metadata: { labels: { a: 'group', b: 'group' } }, template: { labels: { a: 'template', c: 'template', 'istio-locality': 'r.z' } } },
      { address: '10.0.0.5', labels: { b: 'request' } },
      { labels: { a: 'group', b: 'request', c: 'template' }, spec: { address: '10.0.0.5', labels: { a: 'group', b: 'request', c: 'template' } } }],
    ['annotations: autoRegistrationGroup < group metadata < the registry\'s own',
      { metadata: { annotations: { 'istio.io/autoRegistrationGroup': 'spoofed', team: 't', x: 'theirs' } }, template: {} }, { address: '10.0.0.5' },
      { annotations: { 'istio.io/autoRegistrationGroup': 'spoofed', team: 't', x: 'ours' } }],
    ['network, locality, ports and weight from the request',
      { template: { network: 'tn', ports: { http: 80, grpc: 90 } } }, { address: '10.0.0.5', network: 'n1', locality: 'r/z', ports: { http: 8080 }, weight: 2 },
      { spec: { address: '10.0.0.5', network: 'n1', locality: 'r/z', ports: { http: 8080, grpc: 90 }, weight: 2 } }],
  ])('%s', (_case, spec, input, expected) => {
    const entry = entryFromGroup(group(spec as WorkloadGroup['spec']), 'details-10.0.0.5', input, { x: 'ours' });
    const { labels, spec: entrySpec, annotations } = expected as Record<string, unknown>;
    if ('labels' in expected) expect(entry.metadata.labels).toEqual(labels);
    if (entrySpec) expect(entry.spec).toEqual(entrySpec);
    if (annotations) expect(entry.metadata.annotations).toEqual(annotations);
    expect(entry.metadata.ownerReferences).toEqual([{ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', name: 'details', uid: 'u-1', controller: true }]);
  });

  it('never changes the group it reads', () => {
    const g = group({ template: { labels: { a: '1' } } });
    entryFromGroup(g, 'n', { address: '10.0.0.5', labels: { b: '2' } }, {});
    expect(g.spec.template).toEqual({ labels: { a: '1' } });
  });
});

describe('takeoverRefusal: only the entry this registration made', () => {
  const g = group({ template: {} });
  const made = (annotations: Record<string, string>, owner?: { uid: string; kind?: string }) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', spec: {},
    metadata: { name: 'n', annotations, ...(owner ? { ownerReferences: [{ apiVersion: 'networking.istio.io/v1', kind: owner.kind ?? 'WorkloadGroup', name: 'details', uid: owner.uid, controller: true }] } : {}) },
  });
  it.each([
    ['hand-made', made({}), undefined, 'not made by a registration'],
    ['another group\'s (or an older incarnation of this one)', made({ 'istio.io/autoRegistrationGroup': 'details' }, { uid: 'u-0' }), undefined, 'belongs to workloadgroup'],
    ['another token\'s', made({ 'istio.io/autoRegistrationGroup': 'details', by: 't2' }, { uid: 'u-1' }), 't1', 'another token'],
    ['its own', made({ 'istio.io/autoRegistrationGroup': 'details', by: 't1' }, { uid: 'u-1' }), 't1', undefined],
    ['without a token (an admin re-registering)', made({ 'istio.io/autoRegistrationGroup': 'details', by: 't2' }, { uid: 'u-1' }), undefined, undefined],
  ])('%s', (_case, entry, token, refusal) => {
    const why = takeoverRefusal(entry, g, token, 'by');
    if (refusal === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(refusal);
  });
});
