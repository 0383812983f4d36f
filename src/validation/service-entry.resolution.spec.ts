import { ServiceEntrySpec } from '../kinds/istio-types';
import { MULTI_HOST_TCP_WARNING, SELECTOR_WITH_NONE_WARNING, USE_WAYPOINT_LABEL } from './service-entry.resolution';
import { validateServiceEntrySpec } from './service-entry.rules';

const http = [{ name: 'http', number: 80, protocol: 'HTTP' }];
const run = (spec: Partial<ServiceEntrySpec>, labels: Record<string, string> = {}) =>
  validateServiceEntrySpec({ hosts: ['example.com'], ports: http, ...spec }, { namespace: 'ns', labels });
const expectError = (spec: Partial<ServiceEntrySpec>, reason: string, field: string, words: string, labels?: Record<string, string>) =>
  expect(run(spec, labels).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));

describe('resolution NONE (the default)', () => {
  it('accepts no endpoints', () => expect(run({})).toEqual({ errors: [], warnings: [] }));
  it('rejects endpoints', () => expectError({ endpoints: [{ address: '1.1.1.1' }] }, 'FieldValueForbidden', 'spec.endpoints', 'cannot be set when resolution is NONE'));
  it('warns, in Istio wording, about a pointless selector', () =>
    expect(run({ resolution: 'NONE', workloadSelector: { labels: { a: 'b' } } }).warnings).toEqual([SELECTOR_WITH_NONE_WARNING]));
});

describe('resolution STATIC', () => {
  it.each<[string, Partial<ServiceEntrySpec>]>([
    ['IP endpoints', { endpoints: [{ address: '1.1.1.1', ports: { http: 8080 } }, { address: '2001:db8::1' }] }],
    ['a unix endpoint with one port', { endpoints: [{ address: 'unix:///a.sock' }] }],
    ['no endpoints at all', {}],
  ])('accepts %s', (_, spec) => expect(run({ resolution: 'STATIC', ...spec }).errors).toEqual([]));

  it('warns for network-only endpoints', () =>
    expect(run({ resolution: 'STATIC', endpoints: [{ network: 'n1' }] }).warnings).toEqual(['address is unset with network "n1"']));

  it.each<[string, Partial<ServiceEntrySpec>, string, string, string]>([
    ['an FQDN endpoint', { endpoints: [{ address: '1.1.1.1' }, { address: 'vm.corp.net' }] }, 'FieldValueInvalid', 'spec.endpoints[1].address', 'when resolution is STATIC'],
    ['an undeclared endpoint port', { endpoints: [{ address: '1.1.1.1', ports: { grpc: 1 } }] }, 'FieldValueInvalid', 'spec.endpoints[0].ports.grpc', 'must name one of the ServiceEntry\'s ports'],
    ['a unix endpoint with two ports', { ports: [...http, { name: 'b', number: 81 }], endpoints: [{ address: 'unix:///a' }] }, 'FieldValueInvalid', 'spec.endpoints[0].address', 'exactly one port'],
    ['an endpoint without address', { endpoints: [{}] }, 'FieldValueRequired', 'spec.endpoints[0].address', 'needs an address'],
  ])('rejects %s', (_, spec, reason, field, words) => expectError({ resolution: 'STATIC', ...spec }, reason, field, words));
});

describe.each(['DNS', 'DNS_ROUND_ROBIN'] as const)('resolution %s', (resolution) => {
  it.each<[string, Partial<ServiceEntrySpec>]>([
    ['an FQDN host without endpoints', {}],
    ['a wildcard host with an endpoint', { hosts: ['*.example.com'], endpoints: [{ address: 'vm1.corp.net', ports: { http: 8080 } }] }],
    ['an IP endpoint', { endpoints: [{ address: '1.1.1.1' }] }],
  ])('accepts %s', (_, spec) => expect(run({ resolution, ...spec }).errors).toEqual([]));

  it.each<[string, Partial<ServiceEntrySpec>, string, string, string]>([
    ['a wildcard host without endpoints', { hosts: ['*.example.com'] }, 'FieldValueInvalid', 'spec.hosts[0]', `with resolution ${resolution} and no endpoints the host itself is looked up in DNS`],
    ['a unix endpoint', { endpoints: [{ address: 'unix:///a' }] }, 'FieldValueInvalid', 'spec.endpoints[0].address', 'only supported with resolution STATIC'],
    ['a wildcard endpoint', { endpoints: [{ address: '*.corp.net' }] }, 'FieldValueInvalid', 'spec.endpoints[0].address', 'wildcards are not allowed'],
    ['a network-only endpoint', { endpoints: [{ network: 'n1' }] }, 'FieldValueRequired', 'spec.endpoints[0].address', `resolution ${resolution} needs an address on every endpoint`],
    ['bad endpoint labels', { endpoints: [{ address: '1.1.1.1', labels: { app: '-x' } }] }, 'FieldValueInvalid', 'spec.endpoints[0].labels.app', 'a label value must be empty'],
    ['an undeclared endpoint port', { endpoints: [{ address: '1.1.1.1', ports: { grpc: 1 } }] }, 'FieldValueInvalid', 'spec.endpoints[0].ports.grpc', 'must name one of'],
    ['a bad endpoint port', { endpoints: [{ address: '1.1.1.1', ports: { http: 0 } }] }, 'FieldValueInvalid', 'spec.endpoints[0].ports.http', 'must be between 1 and 65535'],
  ])('rejects %s', (_, spec, reason, field, words) => expectError({ resolution, ...spec }, reason, field, words));

  it('warns, in Istio wording, about several hosts with addresses and a TCP-like port', () => {
    const spec = { resolution, hosts: ['a.com', 'b.com'], addresses: ['1.1.1.1'], ports: [{ name: 'tls', number: 443, protocol: 'TLS' }] };
    expect(run(spec).warnings).toEqual([MULTI_HOST_TCP_WARNING]);
    expect(run({ ...spec, hosts: ['a.com'] }).warnings).toEqual([]);
  });
});

describe('DNS_ROUND_ROBIN endpoint count', () => {
  it('rejects more than one endpoint', () =>
    expectError({ resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.com' }, { address: 'b.com' }] }, 'FieldValueForbidden', 'spec.endpoints', 'uses a single endpoint, but 2 are listed'));
  it('lets DNS have several', () => expect(run({ resolution: 'DNS', endpoints: [{ address: 'a.com' }, { address: 'b.com' }] }).errors).toEqual([]));
});

describe('resolution DYNAMIC_DNS', () => {
  const dyn = (spec: Partial<ServiceEntrySpec>) => ({ resolution: 'DYNAMIC_DNS' as const, hosts: ['*.example.com'], ...spec });
  it.each<[string, Partial<ServiceEntrySpec>, Record<string, string>]>([
    ['wildcard hosts with HTTP', {}, {}],
    ['TLS, GRPC and HTTP2 ports', { ports: [{ name: 'a', number: 1, protocol: 'tls' }, { name: 'b', number: 2, protocol: 'GRPC' }, { name: 'c', number: 3, protocol: 'HTTP2' }] }, {}],
    ['MESH_INTERNAL without a waypoint', { location: 'MESH_INTERNAL' }, { [USE_WAYPOINT_LABEL]: 'none' }],
    ['MESH_EXTERNAL with a waypoint', { location: 'MESH_EXTERNAL' }, { [USE_WAYPOINT_LABEL]: 'egress' }],
  ])('accepts %s', (_, spec, labels) => expect(run(dyn(spec), labels).errors).toEqual([]));

  it.each<[string, Partial<ServiceEntrySpec>, string, string, string]>([
    ['a non-wildcard host', { hosts: ['*.a.com', 'b.com'] }, 'FieldValueInvalid', 'spec.hosts[1]', 'needs wildcard hosts'],
    ['addresses', { addresses: ['1.1.1.1'] }, 'FieldValueForbidden', 'spec.addresses', 'cannot be set with resolution DYNAMIC_DNS'],
    ['endpoints', { endpoints: [{ address: '1.1.1.1' }] }, 'FieldValueForbidden', 'spec.endpoints', 'cannot be set with resolution DYNAMIC_DNS'],
    ['an HTTPS port', { ports: [{ name: 'a', number: 1, protocol: 'HTTPS' }] }, 'FieldValueInvalid', 'spec.ports[0].protocol', 'supports only HTTP, TLS, GRPC and HTTP2'],
    ['a port without protocol', { ports: [{ name: 'a', number: 1 }] }, 'FieldValueRequired', 'spec.ports[0].protocol', 'supports only HTTP, TLS, GRPC and HTTP2'],
  ])('rejects %s', (_, spec, reason, field, words) => expectError(dyn(spec), reason, field, words));

  it('rejects MESH_INTERNAL when the ServiceEntry uses a waypoint', () =>
    expectError(dyn({ location: 'MESH_INTERNAL' }), 'FieldValueInvalid', 'spec.location', 'not supported when the ServiceEntry uses a waypoint', { [USE_WAYPOINT_LABEL]: 'egress' }));
});

describe('unknown resolution', () => {
  it('is not supported', () =>
    expectError({ resolution: 'MAGIC' as ServiceEntrySpec['resolution'] }, 'FieldValueNotSupported', 'spec.resolution', 'Unsupported value: "MAGIC"'));
});
