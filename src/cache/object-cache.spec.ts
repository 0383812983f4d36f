import { KubeObject } from '../common/kube-object';
import { parseFieldSelector } from '../resources/field-selector';
import { parseLabelSelector } from '../resources/label-selector';
import { CacheEvent, ObjectCache } from './object-cache';

const we = (namespace: string, name: string, resourceVersion: number, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { namespace, name, resourceVersion: String(resourceVersion), ...(labels ? { labels } : {}) },
  spec: { address: '10.0.0.1' },
});
const event = (type: CacheEvent['type'], object: KubeObject): CacheEvent => ({ type, object });
const names = (objects: KubeObject[]) => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

function cacheWith(...objects: KubeObject[]): ObjectCache {
  const cache = new ObjectCache();
  cache.reset(objects);
  return cache;
}

describe(ObjectCache.name, () => {
  describe('apply', () => {
    it.each([
      ['adds a new object', [], event('ADDED', we('a', 'x', 5)), true, ['a/x@5']],
      ['replaces an older version', [we('a', 'x', 5)], event('MODIFIED', we('a', 'x', 6)), true, ['a/x@6']],
      ['ignores a replayed version', [we('a', 'x', 6)], event('MODIFIED', we('a', 'x', 6)), false, ['a/x@6']],
      ['ignores an older version', [we('a', 'x', 7)], event('MODIFIED', we('a', 'x', 6)), false, ['a/x@7']],
      ['removes on a newer delete', [we('a', 'x', 6)], event('DELETED', we('a', 'x', 7)), true, []],
      ['ignores a delete older than the stored version (deleted, then created again)', [we('a', 'x', 9)], event('DELETED', we('a', 'x', 7)), false, ['a/x@9']],
      ['ignores a delete of what is not there', [], event('DELETED', we('a', 'x', 7)), false, []],
    ])('%s', (_name, initial, change, applied, after) => {
      const sut = cacheWith(...initial);
      expect(sut.apply(change)).toBe(applied);
      expect([...sut.all('WorkloadEntry')].map((o) => `${names([o])[0]}@${o.metadata.resourceVersion}`)).toEqual(after);
    });
  });

  describe('list', () => {
    const sut = cacheWith(
      we('b', 'two', 1, { app: 'x' }), we('a', 'zeta', 1, { app: 'y' }), we('a', 'alpha', 1, { app: 'x' }),
      we('a-b', 'one', 1, { app: 'x' }), we('b', 'one', 1),
    );
    const list = (query: Partial<Parameters<ObjectCache['list']>[1]>) => sut.list('WorkloadEntry', { labels: [], fields: [], ...query });

    it.each([
      ['every namespace, by namespace then name', {}, ['a/alpha', 'a/zeta', 'a-b/one', 'b/one', 'b/two']],
      ['one namespace (not its prefix-mates)', { namespace: 'a' }, ['a/alpha', 'a/zeta']],
      ['a namespace with nothing in it', { namespace: 'c' }, []],
      ['a label selector', { labels: parseLabelSelector('app=x') }, ['a/alpha', 'a-b/one', 'b/two']],
      ['a field selector', { fields: parseFieldSelector('metadata.name=one', ['metadata.name']) }, ['a-b/one', 'b/one']],
      ['after a key', { after: { namespace: 'a', name: 'zeta' } }, ['a-b/one', 'b/one', 'b/two']],
      ['after a key that is gone', { after: { namespace: 'a', name: 'b' } }, ['a/zeta', 'a-b/one', 'b/one', 'b/two']],
      ['after a key, in one namespace', { namespace: 'b', after: { namespace: 'b', name: 'one' } }, ['b/two']],
    ])('%s', (_name, query, expected) => {
      expect(names(list(query).items)).toEqual(expected);
    });

    it('pages with limit, naming the last key only when it cut the list short', () => {
      const first = list({ limit: 2 });
      expect(names(first.items)).toEqual(['a/alpha', 'a/zeta']);
      expect(first.last).toEqual({ namespace: 'a', name: 'zeta' });
      const rest = list({ limit: 3, after: first.last });
      expect(names(rest.items)).toEqual(['a-b/one', 'b/one', 'b/two']);
      expect(rest.last).toBeUndefined();
    });

    it('pages through a filtered list', () => {
      const first = list({ limit: 1, labels: parseLabelSelector('app=x') });
      expect(names(first.items)).toEqual(['a/alpha']);
      expect(names(list({ limit: 5, labels: parseLabelSelector('app=x'), after: first.last }).items)).toEqual(['a-b/one', 'b/two']);
    });
  });

  it('lists the namespaces that hold objects', () => {
    const sut = cacheWith(we('b', 'x', 1), we('a', 'x', 1), we('a', 'y', 1));
    expect(sut.namespaces()).toEqual(['a', 'b']);
  });
});
