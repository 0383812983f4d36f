import { addressKey, compareNames, isOlder } from './registry-index-keys';
import { indexWith, se, staticSe, we } from './test-fixtures';

// The read-only queries added for the analyzers (src/analyze).

const names = (objs: { metadata: { name?: string } }[]) => objs.map((o) => o.metadata.name);

describe('RegistryIndex.workloadEntriesMatching', () => {
  const idx = indexWith(
    we('b-fqdn', { address: 'vm.corp.net', labels: { app: 'web' } }),
    we('a-ip', { address: '1.1.1.1', labels: { app: 'web', tier: 'gold' } }),
    we('c-meta', { address: '1.1.1.2' }, { labels: { app: 'web' } }),
    we('other-ns', { address: '1.1.1.1', labels: { app: 'web' } }, { ns: 'other' }),
    we('db', { address: '1.1.1.3', labels: { app: 'db' } }),
  );

  it('matches labels only, FQDN entries included, sorted by name, with merged labels', () => {
    const matches = idx.workloadEntriesMatching('default', { app: 'web' });
    expect(matches.map((m) => m.workload.metadata.name)).toEqual(['a-ip', 'b-fqdn', 'c-meta']);
    expect(matches[2].labels).toEqual({ app: 'web' });
  });

  it.each([
    ['every selector label is required', { app: 'web', tier: 'gold' }, ['a-ip']],
    ['an empty selector matches nothing', {}, []],
    ['an unknown label matches nothing', { app: 'nope' }, []],
  ])('%s', (_title, selector, expected) => {
    expect(idx.workloadEntriesMatching('default', selector).map((m) => m.workload.metadata.name)).toEqual(expected);
  });

  it('leaves selectionOf unchanged: it still applies the resolution rule', () => {
    expect(names(idx.workloadEntriesSelectedBy(staticSe('s', 'web')))).toEqual(['a-ip', 'c-meta']);
  });
});

describe('RegistryIndex.serviceEntriesDeclaringHost', () => {
  it('finds exact declarations only, case-insensitively, and follows edits', () => {
    const idx = indexWith(se('a', { hosts: ['API.example.com'] }), se('w', { hosts: ['*.example.com'] }));
    expect(names(idx.serviceEntriesDeclaringHost('api.EXAMPLE.com'))).toEqual(['a']);
    expect(names(idx.serviceEntriesDeclaringHost('*.example.com'))).toEqual(['w']);
    expect(idx.serviceEntriesDeclaringHost('x.example.com')).toEqual([]);
    idx.upsert(se('a', { hosts: ['b.example.com'] }));
    expect(idx.serviceEntriesDeclaringHost('api.example.com')).toEqual([]);
  });
});

describe('RegistryIndex.workloadEntriesWithAddress', () => {
  it('finds entries of every namespace under the address key, and follows edits and deletes', () => {
    const idx = indexWith(
      we('a', { address: '2001:DB8::1' }),
      we('b', { address: '2001:db8:0:0::1' }, { ns: 'other' }),
      we('c', { network: 'n1' }),
    );
    expect(names(idx.workloadEntriesWithAddress('2001:db8::1')).sort()).toEqual(['a', 'b']);
    idx.upsert(we('a', { address: '10.0.0.1' }));
    expect(names(idx.workloadEntriesWithAddress('2001:db8::1'))).toEqual(['b']);
    expect(names(idx.workloadEntriesWithAddress('10.0.0.1'))).toEqual(['a']);
    idx.remove('WorkloadEntry', 'default', 'a');
    expect(idx.workloadEntriesWithAddress('10.0.0.1')).toEqual([]);
    expect(idx.workloadEntriesWithAddress('')).toEqual([]);
  });

  it('is emptied by replaceAll', () => {
    const idx = indexWith(we('a', { address: '10.0.0.1' }));
    idx.replaceAll([we('b', { address: '10.0.0.2' })]);
    expect(idx.workloadEntriesWithAddress('10.0.0.1')).toEqual([]);
    expect(names(idx.workloadEntriesWithAddress('10.0.0.2'))).toEqual(['b']);
  });
});

describe('RegistryIndex.namespaces', () => {
  it('lists namespaces of both kinds, sorted, and drops emptied ones', () => {
    const idx = indexWith(we('w', { address: '1.1.1.1' }, { ns: 'zeta' }), se('s', {}, { ns: 'alpha' }), se('t', {}, { ns: 'zeta' }));
    expect(idx.namespaces()).toEqual(['alpha', 'zeta']);
    idx.remove('ServiceEntry', 'alpha', 's');
    expect(idx.namespaces()).toEqual(['zeta']);
  });
});

describe('registry index keys', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['FE80::1%eth0', 'fe80::1%eth0'],
    ['VM1.Corp.NET.', 'vm1.corp.net'],
    ['unix:///Run/App.sock', 'unix:///Run/App.sock'],
  ])('addressKey(%s) = %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('keeps the version and name orderings', () => {
    expect([isOlder('9', '10'), isOlder('10', '9'), isOlder('a', '1')]).toEqual([true, false, false]);
    expect(['b', 'a', 'b'].sort(compareNames)).toEqual(['a', 'b', 'b']);
    expect([compareNames(undefined, ''), compareNames(undefined, 'a')]).toEqual([0, -1]);
  });
});
