/**
 * The 422 `Invalid` Status itself: every Kubernetes cause reason, exact field paths (list indexes,
 * map keys as `spec.ports.http`), the complete cause list for each (nothing extra, nothing twice),
 * and one request carrying all reasons at once, reported identically by create, PUT and dry-run.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bodyOf, Cause, collectionOf, expectInvalid, itemOf, Kind, manyEntries, Meta, namespaces, Reason, Spec } from './rule-helpers';

const NO_SELECTOR = { workloadSelector: undefined };
const HTTP = { number: 80, name: 'http', protocol: 'HTTP' };
const CEL_SKIPPED: Cause = {
  reason: 'FieldValueInvalid',
  field: '<nil>',
  message: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

type Row = [title: string, kind: Kind, spec: Spec, causes: Cause[], metadata?: Meta];

describe('422 Invalid causes over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces('cause');

  async function expectExactly(kind: Kind, spec: Spec, causes: Cause[], metadata: Meta = {}) {
    const namespace = nextNamespace();
    const res = await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, 'x', spec, metadata));
    expect(expectInvalid(res, [], 'x')).toEqual(causes);
    expect(res.body.details.kind).toBe(kind);
    await request(t.url).get(itemOf(kind, 'x', namespace)).expect(404);
  }

  describe('one case per reason', () => {
    it.each<Row>([
      ['FieldValueRequired', 'WorkloadEntry', { address: undefined }, [
        { reason: 'FieldValueRequired', field: 'spec.address', message: "Required value: an endpoint needs an address, unless it sets network (it is then reached through that network's gateway)" },
      ]],
      ['FieldValueInvalid', 'WorkloadEntry', { address: 'vm1.corp.net:8080' }, [
        { reason: 'FieldValueInvalid', field: 'spec.address', message: 'Invalid value: "vm1.corp.net:8080": must be an IP address or a fully qualified domain name without wildcards or port: label "net:8080" is not a valid DNS label (letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)' },
      ]],
      ['FieldValueDuplicate', 'ServiceEntry', { ports: [HTTP, { ...HTTP, name: 'web' }] }, [
        { reason: 'FieldValueDuplicate', field: 'spec.ports[1].number', message: 'Duplicate value: 80' },
      ]],
      ['FieldValueNotSupported (webhook: protocol)', 'ServiceEntry', { ports: [{ ...HTTP, protocol: 'QUIC' }] }, [
        { reason: 'FieldValueNotSupported', field: 'spec.ports[0].protocol', message: 'Unsupported value: "QUIC": supported values: "TCP", "UDP", "GRPC", "GRPC-Web", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "Mongo", "Redis", "MySQL"' },
      ]],
      ['FieldValueNotSupported (CRD enum, which also skips CEL and the webhook)', 'ServiceEntry', { location: 'MESH_NEARBY', hosts: ['*'] }, [
        { reason: 'FieldValueNotSupported', field: 'spec.location', message: 'Unsupported value: "MESH_NEARBY": supported values: "MESH_EXTERNAL", "MESH_INTERNAL"' },
        CEL_SKIPPED,
      ]],
      ['FieldValueTooLong', 'WorkloadEntry', { serviceAccount: 's'.repeat(254) }, [
        { reason: 'FieldValueTooLong', field: 'spec.serviceAccount', message: 'Too long: may not be more than 253 bytes' },
      ]],
      ['FieldValueTooMany', 'ServiceEntry', { hosts: Array.from({ length: 257 }, (_, i) => `h${i}.example.com`) }, [
        { reason: 'FieldValueTooMany', field: 'spec.hosts', message: 'Too many: 257: must have at most 256 items' },
      ]],
      ['FieldValueForbidden', 'WorkloadEntry', { address: 'unix:///var/run/app.sock', ports: { http: 8080 } }, [
        { reason: 'FieldValueForbidden', field: 'spec.ports', message: 'Forbidden: must not be set for a unix socket address: the socket is the whole destination' },
      ]],
      ['FieldValueTypeInvalid', 'WorkloadEntry', { weight: 'heavy' }, [
        { reason: 'FieldValueTypeInvalid', field: 'spec.weight', message: 'Invalid value: "heavy": spec.weight in body must be of type integer: "string"' },
        CEL_SKIPPED,
      ]],
    ])('%s', (_title, kind, spec, causes) => expectExactly(kind, spec, causes));
  });

  describe('exact field paths', () => {
    it.each<Row>([
      ['spec.endpoints[2].address', 'ServiceEntry', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }, { address: 'vm.corp.net' }] }, [
        { reason: 'FieldValueInvalid', field: 'spec.endpoints[2].address', message: 'Invalid value: "vm.corp.net": must be an IP address or a "unix://" socket path when resolution is STATIC' },
      ]],
      ['spec.ports[0].targetPort', 'ServiceEntry', { ports: [{ ...HTTP, targetPort: 70000 }] }, [
        { reason: 'FieldValueInvalid', field: 'spec.ports[0].targetPort', message: 'Invalid value: 70000: must be between 1 and 65535' },
      ]],
      ['spec.ports.http', 'WorkloadEntry', { ports: { http: 0 } }, [
        { reason: 'FieldValueInvalid', field: 'spec.ports.http', message: 'Invalid value: 0: must be between 1 and 65535' },
      ]],
      ['spec.endpoints[1].ports.grpc', 'ServiceEntry', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2', ports: { http: 8080, grpc: 9090 } }] }, [
        { reason: 'FieldValueInvalid', field: 'spec.endpoints[1].ports.grpc', message: 'Invalid value: "grpc": must name one of the ServiceEntry\'s ports (declared: "http")' },
      ]],
      ['spec.ports[1].name', 'ServiceEntry', { ports: [HTTP, { ...HTTP, number: 81 }] }, [
        { reason: 'FieldValueDuplicate', field: 'spec.ports[1].name', message: 'Duplicate value: "http"' },
      ]],
      ['spec.hosts[1]', 'ServiceEntry', { hosts: ['a.example.com', 'foo.*.com'] }, [
        { reason: 'FieldValueInvalid', field: 'spec.hosts[1]', message: 'Invalid value: "foo.*.com": wildcard is only allowed as the first label of a host, as in "*.example.com"' },
      ]],
      ['spec.addresses[1]', 'ServiceEntry', { addresses: ['10.0.0.1', '10.0.0.0/33'] }, [
        { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', message: 'Invalid value: "10.0.0.0/33": must be a valid CIDR block such as "10.0.0.0/16" or "2001:db8::/48"' },
      ]],
      ['spec.exportTo[2]', 'ServiceEntry', { exportTo: ['a', 'b', 'a'] }, [
        { reason: 'FieldValueDuplicate', field: 'spec.exportTo[2]', message: 'Duplicate value: "a"' },
      ]],
      ['spec.workloadSelector.labels.app', 'ServiceEntry', { workloadSelector: { labels: { app: 'v*' } } }, [
        { reason: 'FieldValueInvalid', field: 'spec.workloadSelector.labels.app', message: 'Invalid value: "v*": wildcards ("*") are not supported in workload selector labels' },
      ]],
      ['spec.labels.<key> of a WorkloadEntry', 'WorkloadEntry', { labels: { 'example.com/tier': 'web*' } }, [
        { reason: 'FieldValueInvalid', field: 'spec.labels.example.com/tier', message: expect.stringContaining('Invalid value: "web*": a label value must be empty') },
      ]],
      ['spec.endpoints[0].labels.<key>', 'ServiceEntry', { ...NO_SELECTOR, resolution: 'DNS', endpoints: [{ address: 'vm.corp.net', labels: { version: 'v1-' } }] }, [
        { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].labels.version', message: expect.stringContaining('Invalid value: "v1-": a label value must be empty') },
      ]],
      ['spec.ports[1].protocol', 'ServiceEntry', { ...NO_SELECTOR, hosts: ['a.example.com', 'b.example.com'], ports: [HTTP, { number: 5432, name: 'db', protocol: 'TCP' }] }, [
        { reason: 'FieldValueInvalid', field: 'spec.ports[1].protocol', message: expect.stringContaining('Invalid value: "TCP": with several hosts and resolution STATIC') },
      ]],
      ['metadata.annotations.istio.io/dry-run', 'ServiceEntry', {}, [
        { reason: 'FieldValueForbidden', field: 'metadata.annotations.istio.io/dry-run', message: expect.stringContaining('annotation "istio.io/dry-run" is only supported on AuthorizationPolicy') },
      ], { annotations: { 'istio.io/dry-run': 'true' } }],
    ])('%s', (_title, kind, spec, causes, metadata = {}) => expectExactly(kind, spec, causes, metadata));
  });

  describe('one 422 with all causes', () => {
    const ALL_REASONS: Reason[] = [
      'FieldValueRequired', 'FieldValueInvalid', 'FieldValueDuplicate', 'FieldValueNotSupported', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueForbidden',
    ];
    const broken = bodyOf('ServiceEntry', 'all-causes', {
      addresses: ['1'.repeat(65)],
      ports: [{ number: 80, protocol: 'HTTP' }, { name: 'b', number: 81, protocol: 'QUIC' }, { name: 'b', number: 82, protocol: 'HTTP' }],
      endpoints: [{ address: '10.0.0.1', labels: manyEntries(257, () => 'v') }, { address: '10.0.0.2' }, { address: 'vm.corp.net' }],
    }, { labels: { 'bad key': 'v' } });
    const expected = [
      { reason: 'FieldValueInvalid', field: 'metadata.labels', message: expect.stringContaining('Invalid value: "bad key": name part must consist of alphanumeric characters') },
      { reason: 'FieldValueTooLong', field: 'spec.addresses[0]', message: 'Too long: may not be more than 64 bytes' },
      { reason: 'FieldValueTooMany', field: 'spec.endpoints[0].labels', message: 'Too many: 257: must have at most 256 items' },
      { reason: 'FieldValueForbidden', field: 'spec.endpoints', message: expect.stringContaining('Forbidden: may not be set together with workloadSelector') },
      { reason: 'FieldValueInvalid', field: 'spec.addresses[0]', message: `Invalid value: "${'1'.repeat(65)}": must be an IPv4 or IPv6 address, or a CIDR block` },
      { reason: 'FieldValueRequired', field: 'spec.ports[0].name', message: 'Required value: every port needs a name' },
      { reason: 'FieldValueNotSupported', field: 'spec.ports[1].protocol', message: expect.stringContaining('Unsupported value: "QUIC"') },
      { reason: 'FieldValueDuplicate', field: 'spec.ports[2].name', message: 'Duplicate value: "b"' },
      { reason: 'FieldValueInvalid', field: 'spec.endpoints[2].address', message: expect.stringContaining('Invalid value: "vm.corp.net": must be an IP address or a "unix://" socket path') },
    ];

    function expectAllCauses(res: request.Response) {
      const causes = expectInvalid(res, [], 'all-causes');
      expect(causes).toHaveLength(expected.length);
      expect(causes).toEqual(expect.arrayContaining(expected));
      expect(new Set(causes.map((c) => c.reason))).toEqual(new Set(ALL_REASONS));
      expect(res.body.message).toBe(
        `ServiceEntry.networking.istio.io "all-causes" is invalid: [${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`,
      );
      expect(res.body.details).toMatchObject({ name: 'all-causes', group: 'networking.istio.io', kind: 'ServiceEntry' });
    }

    it('reports every cause of a create, of each reason, in one response', async () => {
      const namespace = nextNamespace();
      expectAllCauses(await request(t.url).post(collectionOf('ServiceEntry', namespace)).send(broken));
      await request(t.url).get(itemOf('ServiceEntry', 'all-causes', namespace)).expect(404);
    });

    it('reports the same causes for a dry run, a PUT over a valid object and a merge PATCH', async () => {
      const namespace = nextNamespace();
      const url = itemOf('ServiceEntry', 'all-causes', namespace);
      expectAllCauses(await request(t.url).post(`${collectionOf('ServiceEntry', namespace)}?dryRun=All`).send(broken));
      const created = (await request(t.url).post(collectionOf('ServiceEntry', namespace)).send(bodyOf('ServiceEntry', 'all-causes')).expect(201)).body;
      expectAllCauses(await request(t.url).put(url).send(broken));
      const patch = { metadata: { labels: broken.metadata.labels }, spec: broken.spec };
      expectAllCauses(await request(t.url).patch(url).set('content-type', 'application/merge-patch+json').send(JSON.stringify(patch)));
      expect((await request(t.url).get(url).expect(200)).body).toEqual(created);
    });
  });
});
