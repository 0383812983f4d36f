import { ApiError } from '../common/status';
import { checkNamespaceName, namespaceObject, namespaceUid } from './namespace-object';
import { namespaceTable } from './namespace-table';

const statusOf = (name: string) => {
  try {
    checkNamespaceName(name);
    return 'ok';
  } catch (error) {
    const { code, reason, message } = (error as ApiError).status;
    return `${code} ${reason}: ${message}`;
  }
};

describe('checkNamespaceName', () => {
  it.each([
    ['bookinfo', 'ok'],
    ['a', 'ok'],
    ['x'.repeat(63), 'ok'],
    ['Bookinfo', '404 NotFound: namespaces "Bookinfo" not found'],
    ['book.info', '404 NotFound: namespaces "book.info" not found'],
    ['x'.repeat(64), `404 NotFound: namespaces "${'x'.repeat(64)}" not found`],
    ['-bad', '404 NotFound: namespaces "-bad" not found'],
    ['a/b', `400 BadRequest: invalid resource name "a/b": [may not contain '/']`],
    ['a%b/', `400 BadRequest: invalid resource name "a%b/": [may not contain '/', may not contain '%']`],
    ['..', `400 BadRequest: invalid resource name "..": [may not be '..']`],
  ])('%s: %s', (name, expected) => expect(statusOf(name)).toBe(expected));

  it('names the resource in the NotFound details as the apiserver does (no group for the core group)', () => {
    expect(() => checkNamespaceName('Bad')).toThrow(expect.objectContaining({ status: expect.objectContaining({ details: { name: 'Bad', kind: 'namespaces' } }) }));
  });
});

describe('namespaceObject', () => {
  it('is an Active core v1 Namespace whose age is that of its oldest object', () => {
    expect(namespaceObject('bookinfo', new Date('2024-05-01T10:00:00.123Z'))).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        name: 'bookinfo',
        uid: namespaceUid('bookinfo'),
        creationTimestamp: '2024-05-01T10:00:00Z',
        labels: { 'kubernetes.io/metadata.name': 'bookinfo' },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('has no creation time while it holds nothing', () => expect(namespaceObject('empty').metadata.creationTimestamp).toBeNull());

  it('has a stable, name-based RFC 4122 uid', () => {
    expect(namespaceUid('bookinfo')).toBe(namespaceUid('bookinfo'));
    expect(namespaceUid('bookinfo')).not.toBe(namespaceUid('default'));
    expect(namespaceUid('bookinfo')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('namespaceTable', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it.each([
    ['with objects', namespaceObject('bookinfo', new Date('2024-05-01T10:00:00Z')), ['bookinfo', 'Active', '120m']],
    ['empty', namespaceObject('empty'), ['empty', 'Active', '<unknown>']],
  ])('prints NAME STATUS AGE %s', (_name, namespace, cells) => {
    const table = namespaceTable([namespace], '7', 'None', now);
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.rows).toEqual([{ cells }]);
    expect(table.metadata).toEqual({ resourceVersion: '7' });
  });

  it('carries the metadata kubectl reads by default', () => {
    const namespace = namespaceObject('bookinfo');
    expect(namespaceTable([namespace], undefined, 'Metadata', now).rows[0].object).toEqual({
      kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: namespace.metadata,
    });
  });
});
