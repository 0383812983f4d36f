import { IndexedObject } from '../resolve/registry-index';
import { indexWith, se, we } from '../resolve/test-fixtures';
import { HTTP, sel, svc, wl } from './analyze-test-kit';
import { analyzeRegistry, analyzeWrite, Finding, findingToWarning, RULES } from './analyzers';
import { involves } from './finding';

const codes = (findings: Finding[]) => findings.map((f) => f.code);

/** A small mesh with at least one finding of every code, over three namespaces. */
const mesh: IndexedObject[] = [
  sel('web', 'web', { hosts: ['web.example.com'] }, 'a'),
  wl('web-1', 'web', { address: '10.0.0.1', ports: { htp: 8080 } }, 'a'),
  wl('orphan', 'db', { address: '10.0.0.1' }, 'b'),
  sel('lonely', 'nobody', { resolution: 'NONE' }, 'b'),
  wl('vm', 'web', { address: 'vm1.corp.net' }, 'a'),
  svc('api-http', 'api.example.com', 'HTTP', {}, 'a'),
  svc('api-tcp', 'api.example.com', 'TCP', {}, 'c'),
  wl('quiet', 'q', { address: '10.9.9.9' }, 'c'),
  sel('quiet', 'q', {}, 'c'),
];

describe('analyzeRegistry', () => {
  const all = analyzeRegistry(indexWith(...mesh));

  it('finds every code, sorted by code then namespace/name', () => {
    expect(all.map((f) => `${f.code} ${f.objects[0].namespace}/${f.objects[0].name}`)).toEqual([
      'MR0001 b/lonely',
      'MR0002 b/orphan',
      'MR0003 a/vm',
      'MR0004 b/lonely',
      'MR0005 a/web-1',
      'MR0006 a/web-1',
      'MR0007 a/api-http',
    ]);
  });

  it('does not depend on insertion order', () => {
    expect(analyzeRegistry(indexWith(...[...mesh].reverse()))).toEqual(all);
  });

  it.each([
    ['a', ['MR0003', 'MR0005', 'MR0006', 'MR0007']],
    ['b', ['MR0001', 'MR0002', 'MR0004', 'MR0006']],
    ['c', ['MR0007']],
    ['nowhere', []],
  ])('namespace %s: only findings involving an object there, cross-namespace ones included', (namespace, expected) => {
    const scoped = analyzeRegistry(indexWith(...mesh), { namespace });
    expect(codes(scoped)).toEqual(expected);
    expect(scoped).toEqual(all.filter((f) => f.objects.some((o) => o.namespace === namespace)));
  });

  it('returns nothing for an empty registry', () => {
    expect(analyzeRegistry(indexWith())).toEqual([]);
  });

  it('reports the objects and fields involved', () => {
    const byCode = new Map(all.map((f) => [f.code, f]));
    expect(byCode.get('MR0005')).toMatchObject({
      name: 'UnknownWorkloadPortName',
      severity: 'Warning',
      field: 'spec.ports.htp',
      objects: [
        { kind: 'WorkloadEntry', namespace: 'a', name: 'web-1', field: 'spec.ports.htp' },
        { kind: 'ServiceEntry', namespace: 'a', name: 'web', field: 'spec.ports' },
      ],
    });
    expect(byCode.get('MR0006')?.objects.map((o) => `${o.namespace}/${o.name} ${o.field}`)).toEqual([
      'a/web-1 spec.address',
      'b/orphan spec.address',
    ]);
    expect(byCode.get('MR0007')).toMatchObject({ severity: 'Error', field: 'spec.ports[0].protocol' });
    expect(byCode.get('MR0003')?.objects.map((o) => o.kind)).toEqual(['WorkloadEntry', 'ServiceEntry']);
  });

  it('gives every stored object the same findings as writing it again (analyzeWrite)', () => {
    const index = indexWith(...mesh);
    for (const obj of mesh) {
      expect(analyzeWrite(index, obj as never)).toEqual(all.filter((f) => involves(f, obj)));
    }
  });
});

describe('analyzeWrite as if the candidate replaced the stored object', () => {
  const web = sel('web', 'web');

  it('clears MR0002 when new labels make the entry selected', () => {
    const index = indexWith(web, wl('w', 'db'));
    expect(codes(analyzeWrite(index, wl('w', 'db')))).toEqual(['MR0002']);
    expect(analyzeWrite(index, wl('w', 'web'))).toEqual([]);
  });

  it('clears MR0001 when the new selector selects, and raises it when it stops selecting', () => {
    const index = indexWith(sel('web', 'nobody'), wl('w', 'web'));
    expect(analyzeWrite(index, web)).toEqual([]);
    expect(codes(analyzeWrite(indexWith(web, wl('w', 'web')), sel('web', 'nobody')))).toEqual(['MR0001']);
  });

  it('judges a ServiceEntry edit against the other entries of the namespace, not its stored self', () => {
    const fqdn = wl('vm', 'web', { address: 'vm1.corp.net' });
    const index = indexWith(sel('web', 'web', { resolution: 'DNS' }), fqdn);
    expect(codes(analyzeWrite(index, web))).toEqual(['MR0001', 'MR0003']);
    expect(analyzeWrite(indexWith(web, fqdn), sel('web', 'web', { resolution: 'DNS' }))).toEqual([]);
  });

  it('moves a duplicate address with the candidate', () => {
    const index = indexWith(sel('x', 'x'), wl('a', 'x', { address: '10.0.0.1' }), wl('b', 'x', { address: '10.0.0.1' }));
    expect(codes(analyzeWrite(index, wl('a', 'x', { address: '10.0.0.1' })))).toEqual(['MR0006']);
    expect(analyzeWrite(index, wl('a', 'x', { address: '10.0.0.2' }))).toEqual([]);
    expect(analyzeWrite(index, wl('a', 'x', { address: '10.0.0.1', network: 'n' }))).toEqual([]);
  });

  it('never conflicts with the stored version of itself', () => {
    const index = indexWith(svc('a', 'h.com', 'TCP'));
    expect(analyzeWrite(index, svc('a', 'h.com', 'HTTP'))).toEqual([]);
  });

  it('returns only findings involving the candidate, and leaves the index untouched', () => {
    const index = indexWith(...mesh);
    const before = analyzeRegistry(index);
    expect(analyzeWrite(index, wl('new', 'web', { address: '10.1.1.1' }, 'a'))).toEqual([]);
    expect(analyzeWrite(index, sel('web', 'other', {}, 'a')).map((f) => f.code)).toEqual(['MR0001']);
    expect(analyzeRegistry(index)).toEqual(before);
    expect(index.counts).toEqual({ serviceEntries: 5, workloadEntries: 4 });
  });

  it('ignores kinds it does not analyze', () => {
    expect(analyzeWrite(indexWith(), { ...se('x', {}), kind: 'Gateway' } as never)).toEqual([]);
  });
});

describe('findingToWarning', () => {
  it('renders the issue example', () => {
    const index = indexWith(
      se('details-svc', { resolution: 'STATIC', ports: [HTTP], workloadSelector: { labels: { app: 'details-legacy' } } }),
    );
    expect(analyzeRegistry(index).map(findingToWarning)).toEqual([
      'MR0001 ServiceEntrySelectsNothing: ServiceEntry default/details-svc spec.workloadSelector selects no WorkloadEntry in namespace default',
    ]);
  });

  it('renders each code in plain English', () => {
    expect(analyzeRegistry(indexWith(...mesh)).map(findingToWarning)).toEqual([
      'MR0001 ServiceEntrySelectsNothing: ServiceEntry b/lonely spec.workloadSelector selects no WorkloadEntry in namespace b',
      'MR0002 WorkloadEntryNotSelected: WorkloadEntry b/orphan is selected by no ServiceEntry in namespace b (labels: app=db)',
      'MR0003 DnsOnlyWorkloadNeverUsed: WorkloadEntry a/vm spec.address vm1.corp.net is never used: only ServiceEntries ' +
        'with resolution DNS or DNS_ROUND_ROBIN use FQDN and unix:// addresses, and its labels match only the ' +
        'workloadSelector of a/web (STATIC)',
      'MR0004 SelectorIgnoredWithResolutionNone: ServiceEntry b/lonely spec.workloadSelector is ignored: with resolution ' +
        'NONE traffic goes to the original destination address, never to the selected WorkloadEntries',
      'MR0005 UnknownWorkloadPortName: WorkloadEntry a/web-1 spec.ports.htp is ignored: no ServiceEntry selecting it ' +
        'declares a port named htp (a/web declares http)',
      'MR0006 DuplicateWorkloadAddress: WorkloadEntries a/web-1, b/orphan share spec.address 10.0.0.1 with no spec.network set',
      'MR0007 ConflictingPortProtocols: ServiceEntries a/api-http and c/api-tcp both declare host api.example.com port 80 ' +
        'with different protocols: HTTP (a/api-http spec.ports[0].protocol) and TCP (c/api-tcp spec.ports[0].protocol); ' +
        'clients in every namespace see both',
    ]);
  });

  it.each([
    ['an empty selector', sel('s', 'x', { workloadSelector: {} }), 'spec.workloadSelector has no labels and selects no'],
    ['unset resolution', sel('s', 'x', { resolution: undefined }), 'with resolution unset (NONE) traffic'],
    ['an unlabelled entry', we('w', { address: '10.0.0.1' }), '(it has no labels)'],
    ['a network', wl('w', 'x', { network: 'n1' }), 'share spec.address 10.0.0.1 on network n1'],
    ['namespace lists', svc('a', 'h', 'HTTP', { exportTo: ['y', 'x'] }), 'clients in namespaces x, y see both'],
  ])('words %s', (_title, subject, text) => {
    const others = [wl('z', 'x', { network: 'n1' }), svc('b', 'h', 'TCP', { exportTo: ['x', 'y'] }, 'other')];
    expect(analyzeWrite(indexWith(...others), subject as never).map(findingToWarning).join('\n')).toContain(text);
  });

  it('names ten entries sharing an address and counts the rest, keeping all of them as objects', () => {
    const shared = Array.from({ length: 25 }, (_, i) => we(`vm-${String(i).padStart(2, '0')}`, { address: '10.9.9.9' }));
    const [finding] = analyzeWrite(indexWith(...shared.slice(1)), shared[0] as never).filter((f) => f.code === 'MR0006');
    const line = findingToWarning(finding);
    expect(line).toContain('default/vm-09 and 15 more share spec.address 10.9.9.9');
    expect(line).not.toContain('vm-10');
    expect(finding.objects).toHaveLength(25);
  });

  it('keeps every warning of the mesh on one line naming its objects', () => {
    for (const f of analyzeRegistry(indexWith(...mesh))) {
      const line = findingToWarning(f);
      expect(line).toMatch(new RegExp(`^${f.code} ${f.name}: \\S`));
      expect(line).not.toMatch(/[\r\n\t]/);
      for (const o of f.objects) expect(line).toContain(`${o.namespace}/${o.name}`);
    }
  });

  it('folds control characters and whitespace runs', () => {
    const f = { ...analyzeRegistry(indexWith(we('w', { address: '10.0.0.1' })))[0], message: 'a\r\n  b\u0007c' };
    expect(findingToWarning(f)).toBe('MR0002 WorkloadEntryNotSelected: a b c');
  });
});

describe('RULES', () => {
  it('has unique, stable codes whose names are their keys', () => {
    const rules = Object.entries(RULES);
    expect(rules.map(([, r]) => r.code)).toEqual(['MR0001', 'MR0002', 'MR0003', 'MR0004', 'MR0005', 'MR0006', 'MR0007']);
    for (const [key, rule] of rules) expect(rule.name).toBe(key);
  });
});
