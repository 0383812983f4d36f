import { indexWith } from '../resolve/test-fixtures';
import { HTTP, sel, svc, wl } from './analyze-test-kit';
import { findingsAfterImport } from './import-findings';

const codes = async (stored: Parameters<typeof indexWith>, candidates: Parameters<typeof findingsAfterImport>[1]) =>
  (await findingsAfterImport(indexWith(...stored), candidates)).map((findings) => findings.map((f) => f.code));

describe('findingsAfterImport: each candidate as the registry will be after the import', () => {
  it('a ServiceEntry and the WorkloadEntry it selects, imported together, find each other', async () => {
    expect(await codes([], [sel('se', 'app1'), wl('we', 'app1')])).toEqual([[], []]);
  });

  it('still reports what stays wrong afterwards', async () => {
    expect(await codes([], [sel('se', 'nobody'), wl('we', 'app1')])).toEqual([['MR0001'], ['MR0002']]);
  });

  it('sees stored objects of the same namespace', async () => {
    expect(await codes([wl('stored', 'app1')], [sel('se', 'app1')])).toEqual([[]]);
  });

  it('lets a candidate replace its stored version', async () => {
    // Stored: se selects app1, and only `we` has it. The import moves `we` to app2 and se with it.
    expect(await codes([sel('se', 'app1'), wl('we', 'app1')], [sel('se', 'app2'), wl('we', 'app2')])).toEqual([[], []]);
    expect(await codes([sel('se', 'app1'), wl('we', 'app1')], [wl('we', 'app2')])).toEqual([['MR0002']]);
  });

  it('finds duplicate addresses and protocol conflicts with entries of other namespaces', async () => {
    const stored = [wl('there', 'x', { address: '10.9.9.9' }, 'other'), sel('sx', 'x', {}, 'other')];
    expect(await codes(stored, [wl('here', 'y', { address: '10.9.9.9' }), sel('sy', 'y')])).toEqual([['MR0006'], []]);
    const hosts = [svc('a', 'shared.example.com', 'HTTP', {}, 'other')];
    expect(await codes(hosts, [svc('b', 'shared.example.com', 'TCP', { ports: [{ ...HTTP, protocol: 'TCP', name: 'p' }] })])).toEqual([['MR0007']]);
  });
});
