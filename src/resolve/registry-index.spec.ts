import { RegistryIndex } from './registry-index';
import { indexWith, se, staticSe, we } from './test-fixtures';

const names = (objs: { metadata: { name?: string } }[]) => objs.map((o) => o.metadata.name).sort();

describe('RegistryIndex host lookup', () => {
  const index = indexWith(
    se('exact', { hosts: ['details.bookinfo.com'] }),
    se('one-label', { hosts: ['*.com'] }),
    se('two-labels', { hosts: ['*.bookinfo.com'] }),
    se('partial', { hosts: ['*-api.bookinfo.com'] }),
    se('other-ns', { hosts: ['*.bookinfo.com'] }, { ns: 'other' }),
    se('multi', { hosts: ['a.example.org', 'b.example.org'] }),
  );

  it.each([
    ['exact host wins over every wildcard', 'details.bookinfo.com', ['exact']],
    ['most specific wildcard (more labels), in every namespace', 'reviews.bookinfo.com', ['other-ns', 'two-labels']],
    ['longer literal suffix beats more general wildcard', 'pay-api.bookinfo.com', ['partial']],
    ['the wildcard needs at least one character', '-api.bookinfo.com', ['two-labels', 'other-ns'].sort()],
    ['falls back to the broadest wildcard', 'foo.com', ['one-label']],
    ['hosts compare case-insensitively', 'Details.BookInfo.com', ['exact']],
    ['a wildcard query matches itself exactly', '*.bookinfo.com', ['other-ns', 'two-labels']],
    ['a wildcard query falls back to broader wildcards', '*.x.com', ['one-label']],
    ['any of several hosts', 'b.example.org', ['multi']],
    ['no match', 'details.bookinfo.org', []],
    ['a wildcard does not match its own bare domain', 'bookinfo.com', ['one-label']],
  ])('%s: %s', (_title, host, expected) => {
    expect(names(index.serviceEntriesForHost(host))).toEqual(expected);
  });

  it('lists every matching declaration from most to least specific', () => {
    expect([...index.hostMatches('pay-api.bookinfo.com')].map((m) => m.host)).toEqual([
      '*-api.bookinfo.com',
      '*.bookinfo.com',
      '*.com',
    ]);
  });

  it('drops old host postings when the hosts change, and on delete', () => {
    const idx = indexWith(se('s', { hosts: ['a.example.com', '*.wild.com'] }));
    idx.upsert(se('s', { hosts: ['b.example.com'] }));
    expect(idx.serviceEntriesForHost('a.example.com')).toEqual([]);
    expect(idx.serviceEntriesForHost('x.wild.com')).toEqual([]);
    expect(names(idx.serviceEntriesForHost('b.example.com'))).toEqual(['s']);
    idx.remove('ServiceEntry', 'default', 's');
    expect(idx.serviceEntriesForHost('b.example.com')).toEqual([]);
    expect(idx.serviceEntriesInNamespace('default')).toEqual([]);
  });
});

describe('RegistryIndex workload selection', () => {
  const service = staticSe('svc', 'web');

  it.each([
    ['matching spec labels', we('w', { address: '1.1.1.1', labels: { app: 'web' } }), true],
    ['metadata labels win over spec labels', we('w', { address: '1.1.1.1', labels: { app: 'web' } }, { labels: { app: 'db' } }), false],
    ['metadata labels alone select', we('w', { address: '1.1.1.1' }, { labels: { app: 'web' } }), true],
    ['other namespaces are never selected', we('w', { address: '1.1.1.1', labels: { app: 'web' } }, { ns: 'other' }), false],
    ['FQDN workloads only for DNS resolutions', we('w', { address: 'vm.corp.net', labels: { app: 'web' } }), false],
    ['unix sockets only for DNS resolutions', we('w', { address: 'unix:///var/run/a.sock', labels: { app: 'web' } }), false],
    ['network-only entries are selectable', we('w', { network: 'n2', labels: { app: 'web' } }), true],
  ])('%s', (_title, workload, selected) => {
    expect(indexWith(service, workload).workloadEntriesSelectedBy(service).length).toBe(selected ? 1 : 0);
  });

  it('requires every selector label, walking the smallest posting, sorted by name', () => {
    const multi = staticSe('svc', 'web', {}, { workloadSelector: { labels: { app: 'web', tier: 'gold' } } });
    const idx = indexWith(
      multi,
      ...['c', 'a', 'b'].map((n) => we(n, { address: '1.1.1.1', labels: { app: 'web', tier: 'gold' } })),
      ...Array.from({ length: 20 }, (_, i) => we(`x${i}`, { address: '1.1.1.1', labels: { app: 'web' } })),
    );
    expect(names(idx.workloadEntriesSelectedBy(multi))).toEqual(['a', 'b', 'c']);
    expect(idx.workloadEntriesSelectedBy(multi).map((w) => w.metadata.name)).toEqual(['a', 'b', 'c']);
  });

  it('selects nothing for an empty selector or a missing label', () => {
    const idx = indexWith(we('w', { address: '1.1.1.1', labels: { app: 'web' } }));
    expect(idx.workloadEntriesSelectedBy(staticSe('s', 'web', {}, { workloadSelector: { labels: {} } }))).toEqual([]);
    expect(idx.workloadEntriesSelectedBy(staticSe('s', 'nope'))).toEqual([]);
  });

  it('moves an entry between selections when its labels change, and forgets it on delete', () => {
    const web = staticSe('web', 'web');
    const db = staticSe('db', 'db');
    const idx = indexWith(web, db, we('w', { address: '1.1.1.1', labels: { app: 'web' } }));
    expect(names(idx.workloadEntriesSelectedBy(web))).toEqual(['w']);
    idx.upsert(we('w', { address: '1.1.1.1', labels: { app: 'db' } }));
    expect(idx.workloadEntriesSelectedBy(web)).toEqual([]);
    expect(names(idx.workloadEntriesSelectedBy(db))).toEqual(['w']);
    expect(idx.remove('WorkloadEntry', 'default', 'w')).toBe(true);
    expect(idx.workloadEntriesSelectedBy(db)).toEqual([]);
    expect(idx.workloadEntriesInNamespace('default')).toEqual([]);
    expect(idx.remove('WorkloadEntry', 'default', 'w')).toBe(false);
  });

  it('keeps a shared posting intact when one of its entries leaves', () => {
    const idx = indexWith(staticSe('s', 'web'), ...['a', 'b', 'c'].map((n) => we(n, { address: '1.1.1.1', labels: { app: 'web' } })));
    idx.remove('WorkloadEntry', 'default', 'b');
    idx.remove('WorkloadEntry', 'default', 'c');
    expect(names(idx.workloadEntriesSelectedBy(staticSe('s', 'web')))).toEqual(['a']);
  });
});

describe('RegistryIndex versions and reloads', () => {
  it.each([
    ['highest applied wins (numeric, not lexical)', ['9', '10', '2'], '10'],
    ['unset versions leave it alone', [undefined, '5'], '5'],
  ])('%s', (_title, versions, expected) => {
    const idx = new RegistryIndex();
    versions.forEach((rv, i) => idx.upsert(we(`w${i}`, { address: '1.1.1.1' }, { rv })));
    expect(idx.resourceVersion).toBe(expected);
  });

  it('ignores a replayed older version of an object, but counts deletes', () => {
    const idx = indexWith(we('w', { address: '1.1.1.1', labels: { app: 'new' } }, { rv: '7' }));
    expect(idx.upsert(we('w', { address: '1.1.1.1', labels: { app: 'old' } }, { rv: '6' }))).toBe(false);
    expect(idx.workloadEntriesInNamespace('default')[0].spec.labels).toEqual({ app: 'new' });
    idx.remove('WorkloadEntry', 'default', 'w', '8');
    expect(idx.resourceVersion).toBe('8');
  });

  it('replaceAll makes the index exactly the given objects', () => {
    const idx = indexWith(se('gone', { hosts: ['gone.example.com'] }, { rv: '3' }), we('old', { address: '1.1.1.1', labels: { app: 'web' } }));
    idx.replaceAll([staticSe('web', 'web', { rv: '4' }), we('new', { address: '2.2.2.2', labels: { app: 'web' } }, { rv: '5' })], '9');
    expect(idx.serviceEntriesForHost('gone.example.com')).toEqual([]);
    expect(names(idx.workloadEntriesSelectedBy(staticSe('web', 'web')))).toEqual(['new']);
    expect(idx.counts).toEqual({ serviceEntries: 1, workloadEntries: 1 });
    expect(idx.resourceVersion).toBe('9');
  });

  it('ignores kinds it does not index', () => {
    const idx = new RegistryIndex();
    expect(idx.upsert({ ...se('x', {}), kind: 'Gateway' } as never)).toBe(false);
    expect(idx.counts).toEqual({ serviceEntries: 0, workloadEntries: 0 });
  });
});
