import { resolveHost, ResolveQuery } from './endpoint-resolver';
import { HTTP_80, healthChecked, indexWith, se, staticSe, we } from './test-fixtures';
import { IndexedObject } from './registry-index';

const resolve = (objects: IndexedObject[], query: Partial<ResolveQuery> = {}) =>
  resolveHost(indexWith(...objects), { host: 'svc.example.com', ...query });
const ip = (name: string, address: string, labels: Record<string, string> = { app: 'web' }, extra = {}) =>
  we(name, { address, labels, ...extra });

describe('resolveHost: ports', () => {
  const twoPorts = se('s', { resolution: 'STATIC', ports: [HTTP_80, { number: 9090, name: 'metrics', targetPort: 9091 }], endpoints: [{ address: '1.1.1.1' }] });

  it.each([
    ['no filter: every port', undefined, ['http', 'metrics'], { http: 80, metrics: 9091 }],
    ['by number', 9090, ['metrics'], { metrics: 9091 }],
    ['by number as text', '80', ['http'], { http: 80 }],
    ['by name', 'metrics', ['metrics'], { metrics: 9091 }],
  ])('%s', (_title, port, portNames, endpointPorts) => {
    const service = resolve([twoPorts], { port })?.services[0];
    expect(service?.ports.map((p) => p.name)).toEqual(portNames);
    expect(service?.endpoints[0].ports).toEqual(endpointPorts);
  });

  it('an unknown port drops the service (not a 404: the host exists)', () => {
    expect(resolve([twoPorts], { port: 443 })).toMatchObject({ services: [] });
  });
});

describe('resolveHost: health', () => {
  const objects = [
    staticSe('s', 'web'),
    we('checked-down', { address: '1.1.1.1', labels: { app: 'web' } }, healthChecked('False')),
    we('checked-new', { address: '1.1.1.2', labels: { app: 'web' } }, healthChecked()),
    we('checked-up', { address: '1.1.1.3', labels: { app: 'web' } }, healthChecked('True')),
    ip('unchecked', '1.1.1.4'),
  ];

  it.each([
    ['excluded by default', false, [['1.1.1.3', true], ['1.1.1.4', true]]],
    ['included with healthy:false on request', true, [['1.1.1.1', false], ['1.1.1.2', false], ['1.1.1.3', true], ['1.1.1.4', true]]],
  ])('unhealthy entries are %s', (_title, includeUnhealthy, expected) => {
    const endpoints = resolve(objects, { includeUnhealthy })?.services[0].endpoints;
    expect(endpoints?.map((e) => [e.address, e.healthy])).toEqual(expected);
  });
});

describe('resolveHost: networks', () => {
  const objects = [staticSe('s', 'web'), ip('local', '1.1.1.1', { app: 'web' }, { network: 'n1' }), ip('remote', '2.2.2.2', { app: 'web' }, { network: 'n2' }), ip('none', '3.3.3.3'), we('gw-only', { network: 'n2', labels: { app: 'web' } })];

  it.each([
    ['caller in n1', 'n1', [[null, true], ['1.1.1.1', false], ['3.3.3.3', false], ['2.2.2.2', true]]],
    ['caller in n2', 'n2', [['1.1.1.1', true], ['3.3.3.3', false], ['2.2.2.2', false]]],
    ['caller without a network', undefined, [['1.1.1.1', false], ['3.3.3.3', false], ['2.2.2.2', false]]],
  ])('%s', (_title, network, expected) => {
    const endpoints = resolve(objects, { network })?.services[0].endpoints;
    expect(endpoints?.map((e) => [e.address, e.viaGateway])).toEqual(expected);
  });
});

describe('resolveHost: locality priorities and order', () => {
  const objects = [
    staticSe('s', 'web'),
    ip('e-same', '1.1.1.1', { app: 'web' }, { locality: 'us/east/a' }),
    ip('d-zone', '1.1.1.2', { app: 'web' }, { locality: 'us/east/b' }),
    ip('c-region', '1.1.1.3', { app: 'web' }, { locality: 'us/west/a' }),
    ip('b-other', '1.1.1.4', { app: 'web' }, { locality: 'eu/west/a' }),
    ip('a-label', '1.1.1.5', { app: 'web', 'topology.istio.io/locality': 'us.east.a' }),
  ];

  it.each([
    ['caller us/east/a', 'us/east/a', [['a-label', 0], ['e-same', 0], ['d-zone', 1], ['c-region', 2], ['b-other', 3]]],
    ['caller eu/west/a', 'eu/west/a', [['b-other', 0], ['a-label', 3], ['c-region', 3], ['d-zone', 3], ['e-same', 3]]],
    ['no caller locality: all 0, by source name', undefined, [['a-label', 0], ['b-other', 0], ['c-region', 0], ['d-zone', 0], ['e-same', 0]]],
  ])('%s', (_title, locality, expected) => {
    const endpoints = resolve(objects, { locality })?.services[0].endpoints;
    expect(endpoints?.map((e) => [e.source.name, e.priority])).toEqual(expected);
  });

  it('reports the label-derived locality', () => {
    const endpoints = resolve(objects)?.services[0].endpoints;
    expect(endpoints?.find((e) => e.source.name === 'a-label')?.locality).toBe('us/east/a');
  });
});
