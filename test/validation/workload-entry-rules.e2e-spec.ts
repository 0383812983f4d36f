/**
 * Every WorkloadEntry rule through the HTTP API: the CRD schema (types, lengths, map sizes, CEL) and
 * istiod's webhook (address forms, ports map, label syntax), each with a valid and an invalid case.
 * Invalid creates answer 422 with the exact cause and store nothing; valid ones answer 201 with
 * exactly the Istio warnings expected.
 */
import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { asSent, expectCreated, ExpectedCause, expectInvalid, manyEntries, namespaces, Spec } from './rule-helpers';

const NAME = 'vm';

describe('WorkloadEntry rules over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces('we');

  /** Creates `spec` (merged over the factory's valid spec) in a namespace of its own. */
  async function create(spec: Spec) {
    const namespace = nextNamespace();
    const body = aWorkloadEntry(NAME, spec);
    const res = await request(t.url).post(paths.workloadEntries(namespace)).send(body);
    return { res, namespace, body };
  }

  async function expectRejected(spec: Spec, cause: ExpectedCause) {
    const { res, namespace } = await create(spec);
    expectInvalid(res, cause, NAME);
    await request(t.url).get(paths.workloadEntry(NAME, namespace)).expect(404);
  }

  async function expectAccepted(spec: Spec, warnings: string[]) {
    const { res, namespace, body } = await create(spec);
    expectCreated(res, warnings);
    const stored = await request(t.url).get(paths.workloadEntry(NAME, namespace)).expect(200);
    expect(stored.body.spec).toEqual(asSent(body).spec);
  }

  describe('CRD schema', () => {
    it.each<[string, Spec]>([
      ['every optional field at its limit', {
        address: 'a'.repeat(63) + '.' + 'b'.repeat(63) + '.' + 'c'.repeat(63) + '.' + 'd'.repeat(63),
        serviceAccount: 's'.repeat(253),
        locality: 'l'.repeat(2048),
        network: 'n'.repeat(2048),
        weight: 4294967295,
      }],
      ['weight 0', { weight: 0 }],
      ['256 labels', { labels: manyEntries(256, () => 'v') }],
      ['128 ports', { ports: manyEntries(128, (i) => i + 1, (i) => `p${i}`) }],
      ['a 62-character port name (CEL wants fewer than 63)', { ports: { ['p'.repeat(62)]: 80 } }],
      ['a label value longer than 63 characters (Istio does not check spec label lengths)', { labels: { app: 'v'.repeat(100) } }],
    ])('accepts %s', (_title, spec) => expectAccepted(spec, []));

    it.each<[string, unknown, ExpectedCause]>([
      ['no spec at all', undefined, { reason: 'FieldValueRequired', field: 'spec', words: 'Required value' }],
      ['a spec that is not an object', 'x', { reason: 'FieldValueTypeInvalid', field: 'spec', words: 'Invalid value: "x": spec in body must be of type object: "string"' }],
      ['a list as spec', [], { reason: 'FieldValueTypeInvalid', field: 'spec', words: 'spec in body must be of type object: "array"' }],
    ])('rejects %s', async (_title, spec, cause) => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(paths.workloadEntries(namespace)).send({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: NAME }, spec });
      expectInvalid(res, cause, NAME);
      await request(t.url).get(paths.workloadEntry(NAME, namespace)).expect(404);
    });

    it.each<[string, Spec, ExpectedCause]>([
      ['a string weight', { weight: 'heavy' }, { reason: 'FieldValueTypeInvalid', field: 'spec.weight', words: 'Invalid value: "heavy": spec.weight in body must be of type integer: "string"' }],
      ['a fractional port', { ports: { http: 1.5 } }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports.http', words: 'must be of type integer: "number"' }],
      ['a string port', { ports: { http: '80' } }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports.http', words: 'must be of type integer: "string"' }],
      ['ports as a list', { ports: [80] }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports', words: 'must be of type object: "array"' }],
      ['a numeric label value', { labels: { app: 1 } }, { reason: 'FieldValueTypeInvalid', field: 'spec.labels.app', words: 'must be of type string: "integer"' }],
      ['a 257-character address', { address: 'a'.repeat(257) }, { reason: 'FieldValueTooLong', field: 'spec.address', words: 'Too long: may not be more than 256 bytes' }],
      ['a 254-character serviceAccount', { serviceAccount: 's'.repeat(254) }, { reason: 'FieldValueTooLong', field: 'spec.serviceAccount', words: 'may not be more than 253 bytes' }],
      ['a 2049-character locality', { locality: 'l'.repeat(2049) }, { reason: 'FieldValueTooLong', field: 'spec.locality', words: 'may not be more than 2048 bytes' }],
      ['a 2049-character network', { network: 'n'.repeat(2049) }, { reason: 'FieldValueTooLong', field: 'spec.network', words: 'may not be more than 2048 bytes' }],
      ['257 labels', { labels: manyEntries(257, () => 'v') }, { reason: 'FieldValueTooMany', field: 'spec.labels', words: 'Too many: 257: must have at most 256 items' }],
      ['129 ports', { ports: manyEntries(129, (i) => i + 1, (i) => `p${i}`) }, { reason: 'FieldValueTooMany', field: 'spec.ports', words: 'Too many: 129: must have at most 128 items' }],
      ['a negative weight', { weight: -1 }, { reason: 'FieldValueInvalid', field: 'spec.weight', words: 'spec.weight in body should be greater than or equal to 0' }],
      ['a weight above uint32', { weight: 4294967296 }, { reason: 'FieldValueInvalid', field: 'spec.weight', words: 'spec.weight in body should be less than or equal to 4294967295' }],
      ['a 63-character port name (CEL rule only)', { ports: { ['p'.repeat(63)]: 80 } }, { reason: 'FieldValueInvalid', field: 'spec.ports', words: 'Invalid value: "object": port name must be valid' }],
      ['an empty ports map on a unix address (CEL rule only)', { address: 'unix:///var/run/app.sock', ports: {} }, { reason: 'FieldValueInvalid', field: 'spec', words: 'Invalid value: "object": UDS may not include ports' }],
    ])('rejects %s', (_title, spec, cause) => expectRejected(spec, cause));

    it('skips the webhook and CEL rules when the spec cannot be decoded, and says so', async () => {
      const { res } = await create({ weight: 'heavy', address: '*.not.checked' });
      expect(expectInvalid(res, [])).toEqual([
        { reason: 'FieldValueTypeInvalid', field: 'spec.weight', message: 'Invalid value: "heavy": spec.weight in body must be of type integer: "string"' },
        { reason: 'FieldValueInvalid', field: '<nil>', message: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' },
      ]);
    });

    it('drops an unknown field with a warning, and rejects it under fieldValidation=Strict', async () => {
      const { res, namespace } = await create({ colour: 'red' });
      expectCreated(res, ['unknown field "spec.colour"']);
      expect((await request(t.url).get(paths.workloadEntry(NAME, namespace))).body.spec.colour).toBeUndefined();
      const strictNamespace = nextNamespace();
      const strict = await request(t.url).post(`${paths.workloadEntries(strictNamespace)}?fieldValidation=Strict`).send(aWorkloadEntry(NAME, { colour: 'red' }));
      expect(strict.status).toBe(400);
      expect(strict.body).toMatchObject({ reason: 'BadRequest', message: 'strict decoding error: unknown field "spec.colour"' });
      await request(t.url).get(paths.workloadEntry(NAME, strictNamespace)).expect(404);
    });

    it('drops unknown fields whose names contain "." or "[" as it says it does', async () => {
      const { res, namespace, body } = await create({ 'x.y': 1, 'a[0]': 2 });
      expectCreated(res, ['unknown field "spec.x.y"', 'unknown field "spec.a[0]"']);
      const stored = await request(t.url).get(paths.workloadEntry(NAME, namespace)).expect(200);
      const { 'x.y': _x, 'a[0]': _a, ...known } = body.spec;
      expect(stored.body.spec).toEqual(known);
    });

    it('does not store null fields (Kubernetes prunes non-nullable nulls before storing)', async () => {
      const { res, namespace } = await create({ network: null, labels: { app: 'x', gone: null }, ports: { http: 8080, gone: null } });
      expectCreated(res, []);
      const stored = await request(t.url).get(paths.workloadEntry(NAME, namespace)).expect(200);
      expect(stored.body.spec).toEqual({ address: '10.0.0.1', serviceAccount: 'details-legacy', labels: { app: 'x' }, ports: { http: 8080 } });
    });
  });

  describe('webhook: address forms', () => {
    it.each<[string, Spec, string[]]>([
      ['IPv4', { address: '2.2.2.2' }, []],
      ['IPv6', { address: '2001:db8::1' }, []],
      ['IPv6 with a zone', { address: 'fe80::1%eth0' }, []],
      ['IPv4-mapped IPv6', { address: '::ffff:10.0.0.1' }, []],
      ['an FQDN', { address: 'vm1.vpc01.corp.net' }, []],
      ['an FQDN with a trailing dot', { address: 'vm1.corp.net.' }, []],
      ['a single-label name', { address: 'vm1' }, []],
      ['a numeric label before a name TLD', { address: '1.2.3.com' }, []],
      ['an absolute unix socket path', { address: 'unix:///var/run/app.sock' }, []],
      ['an abstract unix socket', { address: 'unix://@app' }, []],
      ['no address but a network, with Istio\'s warning', { address: undefined, network: 'cluster-2-network' }, ['address is unset with network "cluster-2-network"']],
      ['an address and a network', { network: 'cluster-2-network' }, []],
    ])('accepts %s', (_title, spec, warnings) => expectAccepted(spec, warnings));

    it.each<[string, Spec, ExpectedCause]>([
      ['neither address nor network', { address: undefined }, { reason: 'FieldValueRequired', field: 'spec.address', words: 'Required value: an endpoint needs an address, unless it sets network' }],
      ['an empty address without network', { address: '' }, { reason: 'FieldValueRequired', field: 'spec.address', words: 'needs an address' }],
      ['a wildcard name', { address: '*.corp.net' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: ['Invalid value: "*.corp.net": must be an IP address or a fully qualified domain name', 'wildcards are not allowed'] }],
      ['a host:port', { address: 'vm1.corp.net:80' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'label "net:80" is not a valid DNS label' }],
      ['a URL', { address: 'http://vm1.corp.net' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'is not a valid DNS label' }],
      ['an IPv4 address with a leading zero', { address: '01.2.3.4' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'the top-level domain "4" cannot be all-numeric' }],
      ['an IPv4 octet above 255', { address: '10.0.0.256' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'cannot be all-numeric' }],
      ['a malformed IPv6 address', { address: '2001:db8::g' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'is not a valid DNS label' }],
      ['a name with an underscore', { address: 'vm_1.corp.net' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'label "vm_1"' }],
      ['"unix://" without a path', { address: 'unix://' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'needs a socket path after "unix://"' }],
      ['a relative unix path', { address: 'unix://run/app.sock' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'a unix socket path must be absolute (start with "/") or name an abstract socket (start with "@")' }],
      ['a unix directory', { address: 'unix:///run/' }, { reason: 'FieldValueInvalid', field: 'spec.address', words: 'must name a file, not a directory' }],
      ['a unix address with ports', { address: 'unix:///run/app.sock', ports: { http: 80 } }, { reason: 'FieldValueForbidden', field: 'spec.ports', words: 'Forbidden: must not be set for a unix socket address' }],
    ])('rejects %s', (_title, spec, cause) => expectRejected(spec, cause));
  });

  describe('webhook: ports map', () => {
    it.each<[string, Spec]>([
      ['named ports 1 and 65535', { ports: { http: 1, 'Grpc-1': 65535 } }],
      ['any port name (no ServiceEntry is known to a standalone entry)', { ports: { anything: 8080 } }],
    ])('accepts %s', (_title, spec) => expectAccepted(spec, []));

    it.each<[string, Spec, ExpectedCause]>([
      ['port 0', { ports: { http: 0 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.http', words: 'Invalid value: 0: must be between 1 and 65535' }],
      ['port 65536', { ports: { http: 65536 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.http', words: 'Invalid value: 65536: must be between 1 and 65535' }],
      ['a negative port', { ports: { http: -1 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.http', words: 'Invalid value: -1: must be between 1 and 65535' }],
      ['a port above uint32', { ports: { http: 4294967296 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.http', words: 'must be between 1 and 65535' }],
      ['a port name with "_"', { ports: { web_1: 80 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.web_1', words: 'Invalid value: "web_1": a port name must be a DNS-1123 label' }],
      ['a port name ending in "-"', { ports: { 'web-': 80 } }, { reason: 'FieldValueInvalid', field: 'spec.ports.web-', words: 'a port name must be a DNS-1123 label' }],
    ])('rejects %s', (_title, spec, cause) => expectRejected(spec, cause));

    it('reports the port of the right key among several', async () => {
      const { res } = await create({ ports: { http: 8080, grpc: 70000, metrics: 9090 } });
      expect(expectInvalid(res, [])).toEqual([
        { reason: 'FieldValueInvalid', field: 'spec.ports.grpc', message: 'Invalid value: 70000: must be between 1 and 65535' },
      ]);
    });
  });

  describe('webhook: label syntax', () => {
    it.each<[string, Spec]>([
      ['plain, prefixed and empty-valued labels', { labels: { app: 'x', 'example.com/tier': '', 'App.Name_1': 'My_value.2' } }],
      ['a 63-character key name', { labels: { ['k'.repeat(63)]: 'v' } }],
      ['upper case in the key prefix (Istio allows it)', { labels: { 'Example.COM/x': 'v' } }],
    ])('accepts %s', (_title, spec) => expectAccepted(spec, []));

    it.each<[string, Spec, ExpectedCause]>([
      ['a key with a space', { labels: { 'bad key': 'v' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.bad key', words: 'Invalid value: "bad key": a label key must be' }],
      ['a key starting with "-"', { labels: { '-app': 'v' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.-app', words: 'a label key must be' }],
      ['a key with two "/"', { labels: { 'a/b/c': 'v' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.a/b/c', words: 'a label key must be' }],
      ['a 64-character key name', { labels: { ['k'.repeat(64)]: 'v' } }, { reason: 'FieldValueInvalid', field: `spec.labels.${'k'.repeat(64)}`, words: 'the name part of a label key must be no more than 63 characters' }],
      ['a key prefix over 253 characters', { labels: { [`${'a.'.repeat(127)}a/x`]: 'v' } }, { reason: 'FieldValueInvalid', field: `spec.labels.${'a.'.repeat(127)}a/x`, words: 'the DNS prefix of a label key must be no more than 253 characters' }],
      ['a value with "*"', { labels: { app: 'v*' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.app', words: 'Invalid value: "v*": a label value must be empty or consist of alphanumeric characters' }],
      ['a value starting with "-"', { labels: { app: '-v' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.app', words: 'a label value must be empty' }],
      ['a value with a space', { labels: { app: 'a b' } }, { reason: 'FieldValueInvalid', field: 'spec.labels.app', words: 'a label value must be empty' }],
    ])('rejects %s', (_title, spec, cause) => expectRejected(spec, cause));
  });

  it('returns no warning at all for the Istio documentation example', async () => {
    const { res } = await create({ address: '2.2.2.2', labels: { app: 'details-legacy', 'instance-id': 'vm1' } });
    expectCreated(res, []);
  });
});
