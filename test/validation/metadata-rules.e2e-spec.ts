/**
 * ObjectMeta rules through the HTTP API, for both kinds: Kubernetes' name, namespace, label and
 * annotation rules (paths `metadata.labels`, `metadata.annotations`, with Kubernetes' wording), and
 * the annotations istiod refuses before it looks at the spec (istio.io/dry-run and the internal ones).
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bodyOf, collectionOf, expectCreated, ExpectedCause, expectInvalid, itemOf, Kind, Meta, namespaces } from './rule-helpers';

const KINDS: Kind[] = ['WorkloadEntry', 'ServiceEntry'];
const ANNOTATION_LIMIT = 256 * 1024;

describe.each(KINDS)('%s metadata rules over HTTP', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces(kind === 'WorkloadEntry' ? 'mw' : 'ms');
  const listIn = async (namespace: string) => (await request(t.url).get(collectionOf(kind, namespace)).expect(200)).body.items;
  /** The factory's valid body with this metadata instead of just a name. */
  const withMeta = (metadata: Meta) => ({ ...bodyOf(kind, 'x'), metadata });

  describe('names and namespaces', () => {
    it.each<[string, string]>([
      ['a plain name', 'details-svc'],
      ['a dotted name', 'vm1.corp.example'],
      ['a 253-character name', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
      ['digits only', '123'],
    ])('accepts %s', async (_title, name) => {
      const namespace = nextNamespace();
      expectCreated(await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, name)));
      await request(t.url).get(itemOf(kind, name, namespace)).expect(200);
    });

    it('generates a name from generateName', async () => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({ generateName: 'vm-' }));
      expectCreated(res);
      expect(res.body.metadata.name).toMatch(/^vm-[a-z0-9]{5}$/);
      await request(t.url).get(itemOf(kind, res.body.metadata.name, namespace)).expect(200);
    });

    it.each<[string, Meta, ExpectedCause]>([
      ['upper case', { name: 'Details' }, { reason: 'FieldValueInvalid', field: 'metadata.name', words: "Invalid value: \"Details\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is" }],
      ['an underscore', { name: 'vm_1' }, { reason: 'FieldValueInvalid', field: 'metadata.name', words: 'a lowercase RFC 1123 subdomain' }],
      ['a leading "-"', { name: '-vm' }, { reason: 'FieldValueInvalid', field: 'metadata.name', words: 'a lowercase RFC 1123 subdomain' }],
      ['254 characters', { name: 'a'.repeat(254) }, { reason: 'FieldValueInvalid', field: 'metadata.name', words: 'must be no more than 253 characters' }],
      ['a bad generateName', { generateName: 'VM-' }, { reason: 'FieldValueInvalid', field: 'metadata.generateName', words: 'a lowercase RFC 1123 subdomain' }],
    ])('rejects a name with %s', async (_title, metadata, cause) => {
      const namespace = nextNamespace();
      expectInvalid(await request(t.url).post(collectionOf(kind, namespace)).send(withMeta(metadata)), cause);
      expect(await listIn(namespace)).toEqual([]);
    });

    it('rejects an object with neither name nor generateName, with one cause', async () => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({}));
      expect(expectInvalid(res, [])).toEqual([
        { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
      ]);
      expect(await listIn(namespace)).toEqual([]);
    });

    it('rejects a bad name given on the URL of a PUT', async () => {
      const namespace = nextNamespace();
      const { metadata: _ignored, ...nameless } = bodyOf(kind, 'x');
      const res = await request(t.url).put(itemOf(kind, 'Bad', namespace)).send({ ...nameless, metadata: {} });
      expectInvalid(res, { reason: 'FieldValueInvalid', field: 'metadata.name', words: 'Invalid value: "Bad": a lowercase RFC 1123 subdomain' }, 'Bad');
      await request(t.url).get(itemOf(kind, 'Bad', namespace)).expect(404);
    });

    it.each<[string, string, string]>([
      ['upper case', 'My-ns', "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"],
      ['a dot', 'a.b', 'must not contain dots'],
      ['64 characters', 'n'.repeat(64), 'must be no more than 63 characters'],
    ])('rejects a namespace with %s', async (_title, namespace, words) => {
      expectInvalid(await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, 'x')), {
        reason: 'FieldValueInvalid', field: 'metadata.namespace', words: [`Invalid value: ${JSON.stringify(namespace)}`, words],
      });
      // Nothing can live there, and a list of it says why instead of answering an empty list.
      const listed = await request(t.url).get(collectionOf(kind, namespace)).expect(400);
      expect(listed.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', details: { causes: [{ field: 'namespace', reason: 'FieldValueInvalid' }] } });
      expect(listed.body.message).toContain(words);
    });
  });

  describe('labels and annotations', () => {
    it.each<[string, Meta]>([
      ['plain and prefixed labels, an empty value', { labels: { app: 'x', 'example.com/Tier': '', 'a.b/c_d-E.f': 'V_1.2-x' } }],
      ['a 63-character label key name and value', { labels: { ['k'.repeat(63)]: 'v'.repeat(63) } }],
      ['annotations with any text, keys compared in lower case', { annotations: { 'Example.com/Note': 'any text: "quoted" and\nmultiline', note: '' } }],
      ['annotations of exactly 256 KiB', { annotations: { big: 'x'.repeat(ANNOTATION_LIMIT - 3) } }],
      ['ordinary istio.io annotations', { annotations: { 'istio.io/autoRegistrationGroup': 'g', 'sidecar.istio.io/inject': 'false' } }],
    ])('accepts %s', async (_title, metadata) => {
      const namespace = nextNamespace();
      expectCreated(await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({ name: 'x', ...metadata })));
      const stored = await request(t.url).get(itemOf(kind, 'x', namespace)).expect(200);
      expect(stored.body.metadata).toMatchObject(metadata);
    });

    it.each<[string, Meta, ExpectedCause]>([
      ['a label key with a space', { labels: { 'bad key': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: "Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.'" }],
      ['an upper-case label key prefix', { labels: { 'Example.com/app': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: 'prefix part a lowercase RFC 1123 subdomain' }],
      ['an empty label key prefix', { labels: { '/app': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: 'prefix part must be non-empty' }],
      ['a label key with two "/"', { labels: { 'a/b/c': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: "a qualified name must consist of alphanumeric characters, '-', '_' or '.'" }],
      ['a 64-character label key name', { labels: { ['k'.repeat(64)]: 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: 'name part must be no more than 63 characters' }],
      ['a label value starting with "-"', { labels: { app: '-v' } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: "Invalid value: \"-v\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'" }],
      ['a 64-character label value', { labels: { app: 'v'.repeat(64) } }, { reason: 'FieldValueInvalid', field: 'metadata.labels', words: 'must be no more than 63 characters' }],
      ['an annotation key with two "/"', { annotations: { 'a/b/c': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.annotations', words: 'Invalid value: "a/b/c": a qualified name' }],
      ['an annotation key with a space', { annotations: { 'my note': 'v' } }, { reason: 'FieldValueInvalid', field: 'metadata.annotations', words: 'name part must consist of alphanumeric characters' }],
      ['annotations over 256 KiB', { annotations: { big: 'x'.repeat(ANNOTATION_LIMIT - 2) } }, { reason: 'FieldValueTooLong', field: 'metadata.annotations', words: 'Too long: may not be more than 262144 bytes' }],
    ])('rejects %s', async (_title, metadata, cause) => {
      const namespace = nextNamespace();
      expectInvalid(await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({ name: 'x', ...metadata })), cause, 'x');
      await request(t.url).get(itemOf(kind, 'x', namespace)).expect(404);
    });
  });

  describe('annotations istiod refuses', () => {
    it.each<[string, string, string]>([
      ['istio.io/dry-run', 'true', 'annotation "istio.io/dry-run" is only supported on AuthorizationPolicy; remove it'],
      ['istio.io/dry-run', 'false', 'annotation "istio.io/dry-run" is only supported on AuthorizationPolicy'],
      ['internal.istio.io/webhook-always-reject', 'true', 'annotation "internal.istio.io/webhook-always-reject" makes Istio\'s validating webhook reject the object'],
      ['internal.istio.io/parent-namespace', 'ns', 'annotation "internal.istio.io/parent-namespace" is reserved for objects Istio generates internally and may not be set by users'],
      ['internal.istio.io/parents', 'x', 'annotation "internal.istio.io/parents" is reserved for objects Istio generates internally'],
    ])('rejects %s=%s', async (annotation, value, words) => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({ name: 'x', annotations: { [annotation]: value } }));
      expect(expectInvalid(res, [])).toEqual([
        { reason: 'FieldValueForbidden', field: `metadata.annotations.${annotation}`, message: expect.stringContaining(words) },
      ]);
      await request(t.url).get(itemOf(kind, 'x', namespace)).expect(404);
    });

    it('names the object in the dry-run message', async () => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta({ name: 'x', annotations: { 'istio.io/dry-run': 'true' } }));
      expect(expectInvalid(res, [])[0].message).toBe(
        `Forbidden: ${namespace}/x: annotation "istio.io/dry-run" is only supported on AuthorizationPolicy; remove it`,
      );
    });

    it('stops istiod before the spec: only the CRD sees spec problems then', async () => {
      const namespace = nextNamespace();
      const spec = kind === 'WorkloadEntry' ? { address: '*.not.checked' } : { hosts: ['*'] };
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, 'x', spec, { annotations: { 'istio.io/dry-run': 'true' } }));
      const crdOnly = kind === 'WorkloadEntry' ? [] : [{ reason: 'FieldValueInvalid', field: 'spec.hosts[0]', message: 'Invalid value: "string": hostname cannot be wildcard' }];
      expect(expectInvalid(res, [])).toEqual([
        ...crdOnly,
        { reason: 'FieldValueForbidden', field: 'metadata.annotations.istio.io/dry-run', message: expect.stringContaining('only supported on AuthorizationPolicy') },
      ]);
    });
  });

  describe('malformed metadata is refused, never stored, and never a server error', () => {
    // Kubernetes cannot decode these (a 400); a 422 naming the field is as good. Never a 201, never a 500.
    it.each<[string, Meta, string]>([
      ['a numeric name', { name: 5 }, 'metadata.name'],
      ['a numeric label value', { name: 'x', labels: { app: 1 } }, 'metadata.labels'],
      ['labels as a list', { name: 'x', labels: ['app'] }, 'metadata.labels'],
      ['a numeric annotation value', { name: 'x', annotations: { note: 1 } }, 'metadata.annotations'],
      ['annotations as a string', { name: 'x', annotations: 'note' }, 'metadata.annotations'],
      ['numeric values of the labels istiod reads', { name: 'x', labels: { 'istio.io/use-waypoint': 1, 'networking.istio.io/enable-autoallocate-ip': 0 } }, 'metadata.labels'],
    ])('%s', async (_title, metadata, field) => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta(metadata));
      const refused = [400, 422].includes(res.status);
      expect({ status: res.status, kind: res.body.kind }).toEqual({ status: refused ? res.status : '400 or 422', kind: 'Status' });
      expect(res.body.message).toContain(field);
      expect(await listIn(namespace)).toEqual([]);
    });

    it('metadata that is not an object', async () => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(collectionOf(kind, namespace)).send(withMeta('x' as unknown as Meta));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'metadata must be an object' });
      expect(await listIn(namespace)).toEqual([]);
    });
  });
});
