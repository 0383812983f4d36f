/**
 * Every ServiceEntry rule through the HTTP API: the CRD schema (types, enums, lengths, list sizes, CEL)
 * and istiod's webhook (workload selector, hosts and wildcards, addresses and CIDRs per resolution,
 * ports, each resolution mode, several hosts with non-HTTP ports, exportTo), each with a valid and an
 * invalid case. Invalid creates answer 422 with the exact cause and store nothing; valid ones answer 201
 * with exactly the Istio warnings expected.
 */
import request from 'supertest';
import { aServiceEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { asSent, expectCreated, ExpectedCause, expectInvalid, manyEntries, Meta, namespaces, Spec } from './rule-helpers';

const NAME = 'svc';
/** The factory's ServiceEntry selects workloads; endpoints need it gone. */
const NO_SELECTOR = { workloadSelector: undefined };
const HTTP = { number: 80, name: 'http', protocol: 'HTTP' };
const TCP = { number: 5432, name: 'tcp', protocol: 'TCP' };

const TCP_WITHOUT_ADDRESS = 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled';
const EMPTY_SELECTOR = 'service entry: workload selector specified without labels, will be applied to all services in namespace';
const SELECTOR_WITH_NONE = 'workloadSelector should not be set when resolution mode is NONE';
const MULTI_HOST_TCP = 'service entry can not have more than one host specified simultaneously with address and tcp port';
const WAYPOINT = { 'istio.io/use-waypoint': 'egress' };
const NO_AUTOALLOCATE = { 'networking.istio.io/enable-autoallocate-ip': 'false' };

type SpecOf = Spec | ((namespace: string) => Spec);
type ValidRow = [title: string, spec: SpecOf, warnings: string[], labels?: Meta];
type InvalidRow = [title: string, spec: SpecOf, cause: ExpectedCause, labels?: Meta];

describe('ServiceEntry rules over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces('se');

  /** Creates `spec` (merged over the factory's valid spec) in a namespace of its own. */
  async function create(spec: SpecOf, labels?: Meta) {
    const namespace = nextNamespace();
    const body = aServiceEntry(NAME, typeof spec === 'function' ? spec(namespace) : spec, labels ? { labels } : {});
    const res = await request(t.url).post(paths.serviceEntries(namespace)).send(body);
    return { res, namespace, body };
  }

  async function expectRejected(spec: SpecOf, cause: ExpectedCause, labels?: Meta) {
    const { res, namespace } = await create(spec, labels);
    expectInvalid(res, cause, NAME);
    await request(t.url).get(paths.serviceEntry(NAME, namespace)).expect(404);
  }

  async function expectAccepted(spec: SpecOf, warnings: string[], labels?: Meta) {
    const { res, namespace, body } = await create(spec, labels);
    expectCreated(res, warnings);
    const stored = await request(t.url).get(paths.serviceEntry(NAME, namespace)).expect(200);
    expect(stored.body.spec).toEqual(asSent(body).spec);
  }

  const accepts = (rows: ValidRow[]) =>
    // A default keeps the optional 4th column out of fn.length (Jest would pass `done` there otherwise).
    it.each(rows)('accepts %s', (_title, spec, warnings, labels = undefined) => expectAccepted(spec, warnings, labels));
  const rejects = (rows: InvalidRow[]) =>
    it.each(rows)('rejects %s', (_title, spec, cause, labels = undefined) => expectRejected(spec, cause, labels));

  describe('CRD schema', () => {
    accepts([
      ['the Istio documentation example', {}, []],
      ['256 hosts', { hosts: Array.from({ length: 256 }, (_, i) => `h${i}.example.com`) }, []],
      ['256 addresses of 64 characters at most', { addresses: Array.from({ length: 256 }, (_, i) => `10.1.${i >> 8}.${i & 255}`) }, []],
      ['256 ports', { ports: Array.from({ length: 256 }, (_, i) => ({ number: i + 1, name: `p${i}`, protocol: 'HTTP' })) }, []],
      ['4096 endpoints', { ...NO_SELECTOR, endpoints: Array.from({ length: 4096 }, (_, i) => ({ address: `10.2.${i >> 8}.${i & 255}` })) }, []],
      ['a 63-character selector label value', { workloadSelector: { labels: { app: 'v'.repeat(63) } } }, []],
      ['both locations', { location: 'MESH_EXTERNAL' }, []],
      ['subjectAltNames', { subjectAltNames: ['spiffe://cluster.local/ns/a/sa/b'] }, []],
    ]);

    it('reads null fields as absent, and does not store them (Kubernetes prunes non-nullable nulls)', async () => {
      const { res, namespace, body } = await create({ addresses: null, exportTo: null, ports: [{ ...HTTP, targetPort: null }] });
      expectCreated(res, []);
      const stored = await request(t.url).get(paths.serviceEntry(NAME, namespace)).expect(200);
      const { addresses: _a, exportTo: _e, ...rest } = asSent(body).spec;
      expect(stored.body.spec).toEqual({ ...rest, ports: [HTTP] });
    });

    it('rejects a ServiceEntry without spec', async () => {
      const namespace = nextNamespace();
      const res = await request(t.url).post(paths.serviceEntries(namespace)).send({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: NAME } });
      expectInvalid(res, { reason: 'FieldValueRequired', field: 'spec', words: 'Required value' }, NAME);
      await request(t.url).get(paths.serviceEntry(NAME, namespace)).expect(404);
    });

    rejects([
      ['no hosts', { hosts: undefined }, { reason: 'FieldValueRequired', field: 'spec.hosts', words: 'Required value: a ServiceEntry needs at least one host' }],
      ['an empty hosts list', { hosts: [] }, { reason: 'FieldValueRequired', field: 'spec.hosts', words: 'a ServiceEntry needs at least one host' }],
      ['hosts as a string', { hosts: 'a.example.com' }, { reason: 'FieldValueTypeInvalid', field: 'spec.hosts', words: 'spec.hosts in body must be of type array: "string"' }],
      ['a null host', { hosts: [null] }, { reason: 'FieldValueTypeInvalid', field: 'spec.hosts[0]', words: 'must be of type string: "null"' }],
      ['ports as a map', { ports: { http: 80 } }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports', words: 'must be of type array: "object"' }],
      ['a string port number', { ports: [{ ...HTTP, number: '80' }] }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports[0].number', words: 'must be of type integer: "string"' }],
      ['a null port', { ports: [null] }, { reason: 'FieldValueTypeInvalid', field: 'spec.ports[0]', words: 'must be of type object: "null"' }],
      ['a numeric subjectAltName', { subjectAltNames: [1] }, { reason: 'FieldValueTypeInvalid', field: 'spec.subjectAltNames[0]', words: 'must be of type string: "integer"' }],
      ['a numeric exportTo entry', { exportTo: [1] }, { reason: 'FieldValueTypeInvalid', field: 'spec.exportTo[0]', words: 'must be of type string: "integer"' }],
      ['a numeric selector label', { workloadSelector: { labels: { app: 1 } } }, { reason: 'FieldValueTypeInvalid', field: 'spec.workloadSelector.labels.app', words: 'must be of type string: "integer"' }],
      ['an unknown location', { location: 'MESH_NEARBY' }, { reason: 'FieldValueNotSupported', field: 'spec.location', words: 'Unsupported value: "MESH_NEARBY": supported values: "MESH_EXTERNAL", "MESH_INTERNAL"' }],
      ['an unknown resolution', { resolution: 'MAGIC' }, { reason: 'FieldValueNotSupported', field: 'spec.resolution', words: 'Unsupported value: "MAGIC": supported values: "NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"' }],
      ['a lower-case resolution', { resolution: 'static' }, { reason: 'FieldValueNotSupported', field: 'spec.resolution', words: 'Unsupported value: "static"' }],
      ['257 hosts', { hosts: Array.from({ length: 257 }, (_, i) => `h${i}.example.com`) }, { reason: 'FieldValueTooMany', field: 'spec.hosts', words: 'Too many: 257: must have at most 256 items' }],
      ['257 addresses', { addresses: Array.from({ length: 257 }, (_, i) => `10.1.${i >> 8}.${i & 255}`) }, { reason: 'FieldValueTooMany', field: 'spec.addresses', words: 'Too many: 257: must have at most 256 items' }],
      ['257 ports', { ports: Array.from({ length: 257 }, (_, i) => ({ number: i + 1, name: `p${i}`, protocol: 'HTTP' })) }, { reason: 'FieldValueTooMany', field: 'spec.ports', words: 'Too many: 257: must have at most 256 items' }],
      ['4097 endpoints', { ...NO_SELECTOR, endpoints: Array.from({ length: 4097 }, (_, i) => ({ address: `10.2.${i >> 8}.${i & 255}` })) }, { reason: 'FieldValueTooMany', field: 'spec.endpoints', words: 'Too many: 4097: must have at most 4096 items' }],
      ['257 selector labels', { workloadSelector: { labels: manyEntries(257, () => 'v') } }, { reason: 'FieldValueTooMany', field: 'spec.workloadSelector.labels', words: 'Too many: 257: must have at most 256 items' }],
      ['257 endpoint labels', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', labels: manyEntries(257, () => 'v') }] }, { reason: 'FieldValueTooMany', field: 'spec.endpoints[0].labels', words: 'must have at most 256 items' }],
      ['129 endpoint ports', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', ports: manyEntries(129, (i) => i + 1) }] }, { reason: 'FieldValueTooMany', field: 'spec.endpoints[0].ports', words: 'must have at most 128 items' }],
      ['a 65-character address', { addresses: ['1'.repeat(65)] }, { reason: 'FieldValueTooLong', field: 'spec.addresses[0]', words: 'Too long: may not be more than 64 bytes' }],
      ['a 257-character port name', { ports: [{ ...HTTP, name: 'p'.repeat(257) }] }, { reason: 'FieldValueTooLong', field: 'spec.ports[0].name', words: 'may not be more than 256 bytes' }],
      ['a 257-character protocol', { ports: [{ ...HTTP, protocol: 'H'.repeat(257) }] }, { reason: 'FieldValueTooLong', field: 'spec.ports[0].protocol', words: 'may not be more than 256 bytes' }],
      ['a 64-character selector label value (CRD only)', { workloadSelector: { labels: { app: 'v'.repeat(64) } } }, { reason: 'FieldValueTooLong', field: 'spec.workloadSelector.labels.app', words: 'Too long: may not be more than 63 bytes' }],
      ['a 257-character endpoint address', { ...NO_SELECTOR, endpoints: [{ address: 'a'.repeat(257) }] }, { reason: 'FieldValueTooLong', field: 'spec.endpoints[0].address', words: 'may not be more than 256 bytes' }],
      ['a 254-character endpoint serviceAccount', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', serviceAccount: 's'.repeat(254) }] }, { reason: 'FieldValueTooLong', field: 'spec.endpoints[0].serviceAccount', words: 'may not be more than 253 bytes' }],
      ['a negative endpoint weight', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', weight: -1 }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].weight', words: 'spec.endpoints[0].weight in body should be greater than or equal to 0' }],
      ['an explicit targetPort 0 (CRD rule; istiod reads 0 as unset)', { ports: [{ ...HTTP, targetPort: 0 }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].targetPort', words: 'Invalid value: "integer": port must be between 1-65535' }],
      ['a port without number (CEL runtime error too)', { ports: [{ name: 'http', protocol: 'HTTP' }] }, { reason: 'FieldValueInvalid', field: 'spec.ports', words: 'no such key: number evaluating rule: port number cannot be duplicated' }],
    ]);
  });

  describe('webhook: workload selector', () => {
    accepts([
      ['a plain selector', { workloadSelector: { labels: { app: 'x', 'example.com/tier': 'web' } } }, []],
      ['a selector without labels, with Istio\'s warning', { workloadSelector: {} }, [EMPTY_SELECTOR]],
      ['endpoints without a selector', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1' }] }, []],
    ]);
    rejects([
      ['"*" in a selector value', { workloadSelector: { labels: { app: 'v*' } } }, { reason: 'FieldValueInvalid', field: 'spec.workloadSelector.labels.app', words: 'Invalid value: "v*": wildcards ("*") are not supported in workload selector labels' }],
      ['"*" in a selector key', { workloadSelector: { labels: { 'a*': 'v' } } }, { reason: 'FieldValueInvalid', field: 'spec.workloadSelector.labels.a*', words: 'Invalid value: "a*": wildcards ("*") are not supported' }],
      ['an empty selector key', { workloadSelector: { labels: { '': 'v' } } }, { reason: 'FieldValueInvalid', field: 'spec.workloadSelector.labels', words: 'a workload selector label key must not be empty' }],
      ['a selector together with endpoints', { endpoints: [{ address: '10.0.0.1' }] }, { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'Forbidden: may not be set together with workloadSelector' }],
    ]);

    it('stops at a bad selector, as istiod does: no other cause, no warning', async () => {
      const { res } = await create({ hosts: ['*'], exportTo: ['!'], workloadSelector: { labels: { a: '*' } } });
      expect(expectInvalid(res, []).map((c) => c.field)).toEqual(['spec.hosts[0]', 'spec.workloadSelector.labels.a']);
      expect(res.body.details.causes[0].message).toBe('Invalid value: "string": hostname cannot be wildcard');
    });
  });

  describe('webhook: hosts and wildcards', () => {
    accepts([
      ['a wildcard host', { hosts: ['*.example.com'] }, []],
      ['an FQDN with a trailing dot', { hosts: ['example.com.'] }, []],
      ['a single-label host', { hosts: ['details'] }, []],
      ['upper case', { hosts: ['Details.Example.COM'] }, []],
      ['"*-" wildcards, with Istio\'s partial-wildcard warning', { hosts: ['*-foo.example.com'] }, ['partial wildcard "*-foo.example.com" not allowed']],
      ['a partial wildcard, with Istio\'s warning', { hosts: ['*washingtonpost.com', '*.ok.com'] }, ['partial wildcard "*washingtonpost.com" not allowed']],
    ]);
    rejects([
      ['the host "*"', { hosts: ['*'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'Invalid value: "*": a host cannot be just "*"; use a domain wildcard such as "*.example.com"' }],
      ['a wildcard in a later label', { hosts: ['ok.example.com', 'foo.*.com'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[1]', words: 'Invalid value: "foo.*.com": wildcard is only allowed as the first label of a host, as in "*.example.com"' }],
      ['a wildcard after the first character', { hosts: ['foo*.bar.com'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'a wildcard must be the first character of the host' }],
      ['an IP address as host', { hosts: ['1.1.1.1'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'the top-level domain "1" cannot be all-numeric' }],
      ['a label starting with "-"', { hosts: ['-foo.com'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'the first label "-foo" is not a valid DNS label' }],
      ['an empty label', { hosts: ['foo..com'] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'label "" is not a valid DNS label' }],
      ['an empty host', { hosts: [''] }, { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'a domain name must not be empty' }],
    ]);
  });

  describe('webhook: addresses and CIDRs per resolution', () => {
    accepts([
      ['IPv4, IPv6 and CIDRs with STATIC', { addresses: ['1.1.1.1', '2001:db8::1', '10.0.0.0/8', '2001:db8::/48'] }, []],
      ['a CIDR with NONE', { ...NO_SELECTOR, resolution: 'NONE', addresses: ['10.0.0.0/8'] }, []],
      ['a CIDR with resolution unset (NONE)', { ...NO_SELECTOR, resolution: undefined, addresses: ['10.0.0.0/8'] }, []],
      ['a plain IP with DNS', { ...NO_SELECTOR, resolution: 'DNS', addresses: ['1.1.1.1'] }, []],
    ]);
    rejects([
      ['an IPv4 prefix longer than 32', { addresses: ['1.2.3.4', '1.1.1.1/48'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', words: 'Invalid value: "1.1.1.1/48": must be a valid CIDR block' }],
      ['an IPv6 prefix longer than 128', { addresses: ['1.2.3.4', '2001:db8::/132'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', words: 'must be a valid CIDR block' }],
      ['an IPv4 address with a leading zero', { addresses: ['1.2.3.4', '01.1.1.1'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', words: 'must be an IPv4 or IPv6 address, or a CIDR block' }],
      ['a name', { addresses: ['1.2.3.4', 'example.com'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', words: 'must be an IPv4 or IPv6 address' }],
      ['two slashes', { addresses: ['1.1.1.1/8/8'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[0]', words: 'must be an IPv4 or IPv6 address' }],
      ['a CIDR with DNS', { ...NO_SELECTOR, resolution: 'DNS', addresses: ['10.0.0.0/8'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[0]', words: 'CIDR blocks are only allowed with resolution NONE or STATIC (resolution is DNS)' }],
      ['a CIDR with DNS_ROUND_ROBIN', { ...NO_SELECTOR, resolution: 'DNS_ROUND_ROBIN', addresses: ['1.1.1.1', '10.0.0.0/8'] }, { reason: 'FieldValueInvalid', field: 'spec.addresses[1]', words: '(resolution is DNS_ROUND_ROBIN)' }],
    ]);
  });

  describe('webhook: ports', () => {
    accepts([
      ['case-insensitive protocols', { ports: [{ number: 80, name: 'a', protocol: 'grpc-web' }, { number: 3306, name: 'b', protocol: 'mysql' }] }, []],
      ['every protocol istiod parses', { ports: ['TCP', 'UDP', 'GRPC', 'GRPC-Web', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'].map((protocol, i) => ({ number: 1000 + i, name: `p${i}`, protocol })) }, []],
      ['no protocol (sniffed)', { ports: [{ number: 80, name: 'http' }] }, []],
      ['a targetPort', { ports: [{ ...HTTP, targetPort: 65535 }] }, []],
      ['port numbers 1 and 65535', { ports: [{ number: 1, name: 'a', protocol: 'HTTP' }, { number: 65535, name: 'b', protocol: 'HTTP' }] }, []],
      ['upper case in a port name', { ports: [{ ...HTTP, name: 'HTTP-Web' }] }, []],
      ['a TCP port with addresses', { ...NO_SELECTOR, resolution: 'NONE', addresses: ['1.1.1.1'], ports: [TCP] }, []],
      ['a TCP port without addresses, with Istio\'s warning (NONE allocates no IP)', { ...NO_SELECTOR, resolution: 'NONE', ports: [TCP] }, [TCP_WITHOUT_ADDRESS]],
      ['a port without protocol and no addresses, with the same warning', { ...NO_SELECTOR, resolution: 'NONE', ports: [{ number: 80, name: 'p' }] }, [TCP_WITHOUT_ADDRESS]],
      ['a lower-case "tcp" port without addresses, without warning (Istio compares the raw text)', { ...NO_SELECTOR, resolution: 'NONE', ports: [{ ...TCP, protocol: 'tcp' }] }, []],
      ['a TCP port with DNS and no addresses (IP auto-allocated)', { ...NO_SELECTOR, resolution: 'DNS', hosts: ['db.example.com'], ports: [TCP] }, []],
      ['a TCP port whose IP auto-allocation is opted out, with the warning', { ...NO_SELECTOR, resolution: 'DNS', hosts: ['db.example.com'], ports: [TCP] }, [TCP_WITHOUT_ADDRESS], NO_AUTOALLOCATE],
    ]);
    rejects([
      ['a duplicate port name', { ports: [HTTP, { ...HTTP, number: 81 }] }, { reason: 'FieldValueDuplicate', field: 'spec.ports[1].name', words: 'Duplicate value: "http"' }],
      ['a duplicate port number', { ports: [HTTP, { ...HTTP, name: 'web' }] }, { reason: 'FieldValueDuplicate', field: 'spec.ports[1].number', words: 'Duplicate value: 80' }],
      ['port number 0', { ports: [{ ...HTTP, number: 0 }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].number', words: 'Invalid value: 0: must be between 1 and 65535' }],
      ['port number 65536', { ports: [{ ...HTTP, number: 65536 }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].number', words: 'Invalid value: 65536: must be between 1 and 65535' }],
      ['a targetPort out of range', { ports: [{ ...HTTP, targetPort: 70000 }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].targetPort', words: 'Invalid value: 70000: must be between 1 and 65535' }],
      ['a port name with "_"', { ports: [{ ...HTTP, name: 'http_1' }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].name', words: 'Invalid value: "http_1": a port name must be a DNS-1123 label' }],
      ['an empty port name', { ports: [{ ...HTTP, name: '' }] }, { reason: 'FieldValueInvalid', field: 'spec.ports[0].name', words: 'Invalid value: ""' }],
      ['a port without name', { ports: [{ number: 80, protocol: 'HTTP' }] }, { reason: 'FieldValueRequired', field: 'spec.ports[0].name', words: 'Required value: every port needs a name' }],
      ['a port without number', { ports: [{ name: 'http', protocol: 'HTTP' }] }, { reason: 'FieldValueRequired', field: 'spec.ports[0].number', words: 'Required value: every port needs a number' }],
      ['an unknown protocol', { ports: [{ ...HTTP, protocol: 'QUIC' }] }, { reason: 'FieldValueNotSupported', field: 'spec.ports[0].protocol', words: 'Unsupported value: "QUIC": supported values: "TCP", "UDP", "GRPC", "GRPC-Web", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "Mongo", "Redis", "MySQL"' }],
      ['HBONE (not user-settable)', { ports: [{ ...HTTP, protocol: 'HBONE' }] }, { reason: 'FieldValueNotSupported', field: 'spec.ports[0].protocol', words: 'Unsupported value: "HBONE"' }],
    ]);
  });

  describe('webhook: resolution NONE (the default)', () => {
    accepts([
      ['NONE without endpoints', { ...NO_SELECTOR, resolution: 'NONE' }, []],
      ['NONE with a selector, with Istio\'s warning', { resolution: 'NONE' }, [SELECTOR_WITH_NONE]],
      ['unset resolution with a selector, with the same warning', { resolution: undefined }, [SELECTOR_WITH_NONE]],
    ]);
    rejects([
      ['NONE with endpoints', { ...NO_SELECTOR, resolution: 'NONE', endpoints: [{ address: '10.0.0.1' }] }, { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'Forbidden: endpoints cannot be set when resolution is NONE' }],
      ['unset resolution with endpoints', { ...NO_SELECTOR, resolution: undefined, endpoints: [{ address: '10.0.0.1' }] }, { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'endpoints cannot be set when resolution is NONE (the default)' }],
    ]);
  });

  describe('webhook: resolution STATIC', () => {
    accepts([
      ['IP endpoints with declared ports', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', ports: { http: 8080 } }, { address: '2001:db8::1', labels: { version: 'v1' } }] }, []],
      ['a unix endpoint when the ServiceEntry has exactly one port', { ...NO_SELECTOR, endpoints: [{ address: 'unix:///var/run/app.sock' }] }, []],
      ['an abstract unix endpoint', { ...NO_SELECTOR, endpoints: [{ address: 'unix://@app' }] }, []],
      ['a network-only endpoint, with Istio\'s warning', { ...NO_SELECTOR, endpoints: [{ network: 'n1' }] }, ['address is unset with network "n1"']],
      ['neither endpoints nor selector', { ...NO_SELECTOR }, []],
    ]);
    rejects([
      ['an FQDN endpoint', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }, { address: 'vm.corp.net' }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[2].address', words: 'Invalid value: "vm.corp.net": must be an IP address or a "unix://" socket path when resolution is STATIC' }],
      ['an endpoint port naming no service port', { ...NO_SELECTOR, ports: [HTTP, { number: 81, name: 'web', protocol: 'HTTP' }], endpoints: [{ address: '10.0.0.1', ports: { grpc: 9000 } }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.grpc', words: 'must name one of the ServiceEntry\'s ports (declared: "http", "web")' }],
      ['an endpoint port when the ServiceEntry declares none', { ...NO_SELECTOR, ports: undefined, endpoints: [{ address: '10.0.0.1', ports: { grpc: 9000 } }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.grpc', words: 'the ServiceEntry declares no ports' }],
      ['an endpoint port out of range', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', ports: { http: 0 } }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.http', words: 'Invalid value: 0: must be between 1 and 65535' }],
      ['a bad endpoint port name', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', ports: { web_1: 80 } }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.web_1', words: 'a port name must be a DNS-1123 label' }],
      ['a unix endpoint when the ServiceEntry has two ports', { ...NO_SELECTOR, ports: [HTTP, { number: 81, name: 'b' }], endpoints: [{ address: 'unix:///var/run/app.sock' }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].address', words: 'a unix socket endpoint needs a ServiceEntry with exactly one port (it has 2)' }],
      ['a relative unix endpoint', { ...NO_SELECTOR, endpoints: [{ address: 'unix://run/app.sock' }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].address', words: 'a unix socket path must be absolute' }],
      ['a unix directory endpoint', { ...NO_SELECTOR, endpoints: [{ address: 'unix:///run/' }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].address', words: 'not a directory' }],
      ['a unix endpoint with ports', { ...NO_SELECTOR, endpoints: [{ address: 'unix:///run/app.sock', ports: { http: 80 } }] }, { reason: 'FieldValueForbidden', field: 'spec.endpoints[0].ports', words: 'must not be set for a unix socket address' }],
      ['an endpoint without address nor network', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1' }, { labels: { app: 'x' } }] }, { reason: 'FieldValueRequired', field: 'spec.endpoints[1].address', words: 'an endpoint needs an address, unless it sets network' }],
      ['bad endpoint labels', { ...NO_SELECTOR, endpoints: [{ address: '10.0.0.1', labels: { app: '-x' } }] }, { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].labels.app', words: 'a label value must be empty' }],
    ]);
  });

  describe.each(['DNS', 'DNS_ROUND_ROBIN'])('webhook: resolution %s', (resolution) => {
    const dns = (spec: Spec = {}): Spec => ({ ...NO_SELECTOR, resolution, ...spec });
    accepts([
      ['an FQDN host without endpoints', dns(), []],
      ['a wildcard host with an FQDN endpoint', dns({ hosts: ['*.example.com'], endpoints: [{ address: 'vm1.corp.net', ports: { http: 8080 } }] }), []],
      ['an IP endpoint', dns({ endpoints: [{ address: '10.0.0.1' }] }), []],
      ['a selector (the documentation\'s DNS example)', { resolution }, []],
      ['several hosts with addresses and a TLS port, with Istio\'s warning', dns({ hosts: ['a.example.com', 'b.example.com'], addresses: ['1.1.1.1'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }), [MULTI_HOST_TCP]],
      ['one host with addresses and a TLS port, without it', dns({ addresses: ['1.1.1.1'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }), []],
    ]);
    rejects([
      ['a wildcard host without endpoints', dns({ hosts: ['*.example.com'] }), { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: `with resolution ${resolution} and no endpoints the host itself is looked up in DNS, so it must be a fully qualified domain name` }],
      ['a unix endpoint', dns({ endpoints: [{ address: 'unix:///var/run/app.sock' }] }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].address', words: 'unix socket addresses are only supported with resolution STATIC' }],
      ['a wildcard endpoint', dns({ endpoints: [{ address: '*.corp.net' }] }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].address', words: 'wildcards are not allowed in a fully qualified domain name' }],
      ['a network-only endpoint', dns({ endpoints: [{ network: 'n1' }] }), { reason: 'FieldValueRequired', field: 'spec.endpoints[0].address', words: `resolution ${resolution} needs an address on every endpoint` }],
      ['bad endpoint labels', dns({ endpoints: [{ address: '10.0.0.1', labels: { app: '-x' } }] }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].labels.app', words: 'a label value must be empty' }],
      ['an endpoint port naming no service port', dns({ endpoints: [{ address: '10.0.0.1', ports: { grpc: 1 } }] }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.grpc', words: 'must name one of the ServiceEntry\'s ports' }],
      ['an endpoint port out of range', dns({ endpoints: [{ address: '10.0.0.1', ports: { http: 70000 } }] }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[0].ports.http', words: 'must be between 1 and 65535' }],
    ]);
  });

  describe('webhook: DNS_ROUND_ROBIN endpoint count', () => {
    accepts([['DNS with several endpoints', { ...NO_SELECTOR, resolution: 'DNS', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }, []]]);
    rejects([
      ['DNS_ROUND_ROBIN with two endpoints', { ...NO_SELECTOR, resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }, { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'Forbidden: resolution DNS_ROUND_ROBIN uses a single endpoint, but 2 are listed' }],
    ]);
  });

  describe('webhook: resolution DYNAMIC_DNS', () => {
    const dyn = (spec: Spec = {}): Spec => ({ ...NO_SELECTOR, resolution: 'DYNAMIC_DNS', hosts: ['*.example.com'], ...spec });
    accepts([
      ['wildcard hosts with an HTTP port', dyn(), []],
      ['TLS, GRPC and HTTP2 ports', dyn({ ports: [{ number: 1, name: 'a', protocol: 'tls' }, { number: 2, name: 'b', protocol: 'GRPC' }, { number: 3, name: 'c', protocol: 'HTTP2' }] }), []],
      ['a partial wildcard, without warning', dyn({ hosts: ['*foo.example.com'] }), []],
      ['MESH_EXTERNAL with a waypoint', dyn({ location: 'MESH_EXTERNAL' }), [], WAYPOINT],
      ['MESH_INTERNAL with waypoint "none"', dyn({ location: 'MESH_INTERNAL' }), [], { 'istio.io/use-waypoint': 'none' }],
    ]);
    rejects([
      ['a host that is not a wildcard', dyn({ hosts: ['*.a.example.com', 'b.example.com'] }), { reason: 'FieldValueInvalid', field: 'spec.hosts[1]', words: 'resolution DYNAMIC_DNS needs wildcard hosts such as "*.example.com"' }],
      ['addresses', dyn({ addresses: ['1.1.1.1'] }), { reason: 'FieldValueForbidden', field: 'spec.addresses', words: 'cannot be set with resolution DYNAMIC_DNS' }],
      ['endpoints', dyn({ endpoints: [{ address: '10.0.0.1' }] }), { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'cannot be set with resolution DYNAMIC_DNS' }],
      ['an HTTPS port', dyn({ ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }), { reason: 'FieldValueInvalid', field: 'spec.ports[0].protocol', words: 'Invalid value: "HTTPS": resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports' }],
      ['a port without protocol', dyn({ ports: [HTTP, { number: 81, name: 'p' }] }), { reason: 'FieldValueRequired', field: 'spec.ports[1].protocol', words: 'resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports' }],
      ['MESH_INTERNAL with a waypoint', dyn({ location: 'MESH_INTERNAL' }), { reason: 'FieldValueInvalid', field: 'spec.location', words: 'resolution DYNAMIC_DNS with MESH_INTERNAL is not supported when the ServiceEntry uses a waypoint' }, WAYPOINT],
    ]);
  });

  describe('webhook: several hosts need HTTP or TLS ports (unless NONE)', () => {
    const twoHosts = (resolution: string, protocol?: string): Spec => ({
      ...NO_SELECTOR, resolution, hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 8000, name: 'p', ...(protocol ? { protocol } : {}) }],
    });
    accepts([
      ['HTTP', twoHosts('STATIC', 'HTTP'), []],
      ['gRPC (any case)', twoHosts('STATIC', 'grpc'), []],
      ['HTTPS', twoHosts('DNS', 'HTTPS'), []],
      ['TLS', twoHosts('STATIC', 'TLS'), []],
      ['TCP with resolution NONE (hosts are ignored)', { ...twoHosts('NONE', 'TCP'), addresses: ['1.1.1.1'] }, []],
    ]);
    rejects([
      ['TCP with STATIC', twoHosts('STATIC', 'TCP'), { reason: 'FieldValueInvalid', field: 'spec.ports[0].protocol', words: 'Invalid value: "TCP": with several hosts and resolution STATIC, every port must use an HTTP-based protocol or TLS/HTTPS' }],
      ['an unset protocol with STATIC (counts as TCP)', twoHosts('STATIC'), { reason: 'FieldValueInvalid', field: 'spec.ports[0].protocol', words: 'Invalid value: "": with several hosts and resolution STATIC' }],
      ['Mongo with DNS', twoHosts('DNS', 'Mongo'), { reason: 'FieldValueInvalid', field: 'spec.ports[0].protocol', words: 'with several hosts and resolution DNS' }],
    ]);
  });

  describe('webhook: exportTo', () => {
    accepts([
      ['"." (this namespace)', { exportTo: ['.'] }, []],
      ['"*" (every namespace)', { exportTo: ['*'] }, []],
      ['"~" (no namespace)', { exportTo: ['~'] }, []],
      ['"." and another namespace', { exportTo: ['.', 'other'] }, []],
      ['namespace names', { exportTo: ['ns-a', 'ns-b'] }, []],
      ['its own namespace by name', (ns) => ({ exportTo: [ns] }), []],
      ['an empty list', { exportTo: [] }, []],
    ]);
    rejects([
      ['"." then its own namespace (a duplicate once "." is resolved)', (ns) => ({ exportTo: ['.', ns] }), { reason: 'FieldValueDuplicate', field: 'spec.exportTo[1]', words: 'Duplicate value: "se-' }],
      ['its own namespace then "."', (ns) => ({ exportTo: [ns, '.'] }), { reason: 'FieldValueInvalid', field: 'spec.exportTo[1]', words: ['Invalid value: "."', '"." stands for this object\'s namespace "se-', 'which is already listed'] }],
      ['a namespace twice', { exportTo: ['a', 'b', 'a'] }, { reason: 'FieldValueDuplicate', field: 'spec.exportTo[2]', words: 'Duplicate value: "a"' }],
      ['"." twice', { exportTo: ['.', '.'] }, { reason: 'FieldValueInvalid', field: 'spec.exportTo[1]', words: '"." stands for this object\'s namespace' }],
      ['a name that is no namespace', { exportTo: ['Not_A_Namespace'] }, { reason: 'FieldValueInvalid', field: 'spec.exportTo[0]', words: 'must be "." (this namespace), "*" (all namespaces), "~" (no namespace) or a namespace name' }],
      ['"*" with another entry', { exportTo: ['a', '*'] }, { reason: 'FieldValueInvalid', field: 'spec.exportTo[1]', words: '"*" (all namespaces) must be the only entry of exportTo' }],
      ['"~" with another entry', { exportTo: ['~', 'a'] }, { reason: 'FieldValueInvalid', field: 'spec.exportTo[0]', words: '"~" (no namespace) must be the only entry of exportTo' }],
      ['"*" and "~"', { exportTo: ['*', '~'] }, { reason: 'FieldValueInvalid', field: 'spec.exportTo[1]', words: '"~" (no namespace) must be the only entry' }],
    ]);
  });
});
