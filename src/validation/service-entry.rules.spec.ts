import { ServiceEntrySpec } from '../kinds/istio-types';
import { TCP_WITHOUT_ADDRESS_WARNING } from './service-entry.ports';
import { AUTOALLOCATE_LABEL, autoAllocatesIP, EMPTY_SELECTOR_WARNING, ServiceEntryContext, validateServiceEntrySpec } from './service-entry.rules';

const http = [{ name: 'http', number: 80, protocol: 'HTTP' }];
const run = (spec: Partial<ServiceEntrySpec>, ctx: Partial<ServiceEntryContext> = {}) =>
  validateServiceEntrySpec({ hosts: ['example.com'], ports: http, ...spec }, { namespace: 'ns', ...ctx });
const expectError = (spec: Partial<ServiceEntrySpec>, reason: string, field: string, words: string) =>
  expect(run(spec).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));

describe('ValidateServiceEntry: workload selector', () => {
  it('accepts a plain selector', () => expect(run({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } })).toEqual({ errors: [], warnings: [] }));

  it('warns, in Istio wording, about a selector without labels', () => {
    expect(run({ resolution: 'STATIC', workloadSelector: {} }).warnings).toEqual([EMPTY_SELECTOR_WARNING]);
    expect(EMPTY_SELECTOR_WARNING).toBe('service entry: workload selector specified without labels, will be applied to all services in namespace');
  });

  it.each([
    [{ app: 'v*' }, 'spec.workloadSelector.labels.app', 'Invalid value: "v*": wildcards ("*") are not supported'],
    [{ 'a*': 'v' }, 'spec.workloadSelector.labels.a*', 'Invalid value: "a*"'],
    [{ '': 'v' }, 'spec.workloadSelector.labels', 'label key must not be empty'],
  ])('rejects selector %j', (labels, field, words) => expectError({ workloadSelector: { labels } }, 'FieldValueInvalid', field, words));

  it('aborts on a bad selector: only selector errors, no warnings', () => {
    const result = run({ hosts: ['*'], exportTo: ['!'], workloadSelector: { labels: { a: '*', b: '*' } }, ports: [{ name: 'tcp', number: 1 }] });
    expect(result.warnings).toEqual([]);
    expect(result.errors.map((e) => e.field)).toEqual(['spec.workloadSelector.labels.a', 'spec.workloadSelector.labels.b']);
  });
});

describe('ValidateServiceEntry: selector and endpoints are exclusive', () => {
  it('accepts endpoints alone', () => expect(run({ resolution: 'STATIC', endpoints: [{ address: '1.1.1.1' }] }).errors).toEqual([]));
  it('rejects both', () =>
    expectError({ resolution: 'STATIC', workloadSelector: { labels: { a: 'b' } }, endpoints: [{ address: '1.1.1.1' }] }, 'FieldValueForbidden', 'spec.endpoints', 'may not be set together with workloadSelector'));
});

describe('ValidateServiceEntry: hosts', () => {
  it.each([['*.example.com'], ['example.com.'], ['a'], ['*foo']])('accepts host %s', (host) => expect(run({ hosts: [host] }).errors).toEqual([]));
  it.each([
    [[], 'FieldValueRequired', 'spec.hosts', 'at least one host'],
    [['*'], 'FieldValueInvalid', 'spec.hosts[0]', 'cannot be just "*"'],
    [['ok.com', 'foo.*.com'], 'FieldValueInvalid', 'spec.hosts[1]', 'Invalid value: "foo.*.com": wildcard is only allowed as the first label of a host, as in "*.example.com"'],
    [['1.1.1.1'], 'FieldValueInvalid', 'spec.hosts[0]', 'all-numeric'],
    [['foo*.bar.com'], 'FieldValueInvalid', 'spec.hosts[0]', 'wildcard must be the first character'],
  ])('rejects hosts %j', (hosts, reason, field, words) => expectError({ hosts: hosts as string[] }, reason, field, words));

  it('warns about partial wildcards, in Istio wording', () => {
    expect(run({ hosts: ['*washingtonpost.com', '*.ok.com'] }).warnings).toEqual(['partial wildcard "*washingtonpost.com" not allowed']);
  });
  it('does not warn about partial wildcards for DYNAMIC_DNS', () => {
    expect(run({ hosts: ['*foo.com'], resolution: 'DYNAMIC_DNS' }).warnings).toEqual([]);
  });
});

describe('ValidateServiceEntry: addresses', () => {
  it.each([['1.1.1.1'], ['2001:db8::1'], ['10.0.0.0/8'], ['2001:db8::/48']])('accepts %s', (a) => expect(run({ addresses: [a] }).errors).toEqual([]));
  it.each([
    ['1.1.1.1/48', 'must be a valid CIDR block'],
    ['2001:db8::/132', 'must be a valid CIDR block'],
    ['01.1.1.1', 'must be an IPv4 or IPv6 address'],
    ['example.com', 'must be an IPv4 or IPv6 address'],
  ])('rejects %s', (a, words) => expectError({ addresses: ['1.2.3.4', a] }, 'FieldValueInvalid', 'spec.addresses[1]', words));

  it.each(['NONE', 'STATIC'] as const)('allows CIDR with %s', (resolution) => expect(run({ addresses: ['10.0.0.0/8'], resolution }).errors).toEqual([]));
  it.each(['DNS', 'DNS_ROUND_ROBIN'] as const)('rejects CIDR with %s', (resolution) =>
    expectError({ addresses: ['10.0.0.0/8'], resolution }, 'FieldValueInvalid', 'spec.addresses[0]', `only allowed with resolution NONE or STATIC (resolution is ${resolution})`));
});

describe('ValidateServiceEntry: the TCP-without-addresses warning', () => {
  const tcp = [{ name: 'tcp', number: 5432, protocol: 'TCP' }];
  it.each<[string, Partial<ServiceEntrySpec>, Partial<ServiceEntryContext>, boolean]>([
    ['NONE, no addresses', { ports: tcp }, {}, true],
    ['unset protocol', { ports: [{ name: 'p', number: 1 }] }, {}, true],
    ['lower-case "tcp" (Istio compares the raw string)', { ports: [{ name: 'p', number: 1, protocol: 'tcp' }] }, {}, false],
    ['addresses given', { ports: tcp, addresses: ['1.1.1.1'] }, {}, false],
    ['DNS resolution auto-allocates', { ports: tcp, resolution: 'DNS' }, {}, false],
    ['auto-allocation opted out by label', { ports: tcp, resolution: 'DNS' }, { labels: { [AUTOALLOCATE_LABEL]: 'False' } }, true],
    ['auto-allocation feature off', { ports: tcp, resolution: 'DNS' }, { ipAutoAllocate: false }, true],
    ['HTTP port', {}, {}, false],
  ])('%s → warning %s', (_, spec, ctx, warned) => {
    expect(run(spec, ctx).warnings.includes(TCP_WITHOUT_ADDRESS_WARNING)).toBe(warned);
  });

  it('autoAllocatesIP follows ShouldV2AutoAllocateIPFromConfig', () => {
    expect(autoAllocatesIP({ hosts: [] }, 'STATIC', { namespace: 'ns' })).toBe(true);
    expect(autoAllocatesIP({ hosts: [] }, 'NONE', { namespace: 'ns' })).toBe(false);
    expect(autoAllocatesIP({ hosts: [], addresses: ['1.1.1.1'] }, 'DNS', { namespace: 'ns' })).toBe(false);
  });
});

describe('ValidateServiceEntry: several hosts need HTTP or TLS ports (unless NONE)', () => {
  const twoHosts = ['a.example.com', 'b.example.com'];
  it.each([['HTTP'], ['grpc'], ['HTTPS'], ['TLS']])('accepts %s', (protocol) =>
    expect(run({ hosts: twoHosts, resolution: 'DNS', ports: [{ name: 'p', number: 1, protocol }] }).errors).toEqual([]));
  it('ignores hosts with resolution NONE', () =>
    expect(run({ hosts: twoHosts, ports: [{ name: 'p', number: 1, protocol: 'TCP' }], addresses: ['1.1.1.1'] }).errors).toEqual([]));
  it.each([['TCP'], ['Mongo'], [undefined]])('rejects %s', (protocol) =>
    expectError({ hosts: twoHosts, resolution: 'STATIC', ports: [{ name: 'p', number: 1, protocol }] }, 'FieldValueInvalid', 'spec.ports[0].protocol', 'with several hosts and resolution STATIC'));
});
