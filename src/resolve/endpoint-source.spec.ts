import { ServicePort } from '../kinds/istio-types';
import { endpointLocality, fromHost, fromInlineEndpoint, isHealthy, targetPorts } from './endpoint-source';
import { healthChecked, se, we } from './test-fixtures';

describe('target port precedence', () => {
  const ports: ServicePort[] = [
    { number: 80, name: 'http', targetPort: 8080 },
    { number: 443, name: 'https' },
  ];

  it.each([
    ['unix socket → 0 on every port', { address: 'unix:///var/run/app.sock', ports: { http: 9000 } }, { http: 0, https: 0 }],
    ['endpoint ports[name] first', { address: '1.1.1.1', ports: { http: 9000, https: 9443 } }, { http: 9000, https: 9443 }],
    ['then targetPort, then the number', { address: '1.1.1.1' }, { http: 8080, https: 443 }],
    ['a 0 in the ports map is ignored', { address: '1.1.1.1', ports: { http: 0 } }, { http: 8080, https: 443 }],
    ['unknown port names are ignored', { address: '1.1.1.1', ports: { grpc: 7000 } }, { http: 8080, https: 443 }],
  ])('%s', (_title, spec, expected) => {
    expect(targetPorts(spec, ports)).toEqual(expected);
  });
});

describe('endpoint locality', () => {
  it.each([
    ['spec locality first', { locality: 'us/east/a' }, { 'topology.istio.io/locality': 'eu.west.b' }, 'us/east/a'],
    ['then topology label, dots → slashes', {}, { 'topology.istio.io/locality': 'eu.west.b', 'istio-locality': 'x' }, 'eu/west/b'],
    ['then the legacy label', {}, { 'istio-locality': 'ap.south' }, 'ap/south'],
    ['else none', {}, {}, null],
  ])('%s', (_title, spec, labels, expected) => {
    expect(endpointLocality(spec, labels)).toBe(expected);
  });
});

describe('health rule (proxy.istio.io/health-checks-enabled + Healthy condition)', () => {
  const entry = (annotations?: Record<string, string>, status?: string) =>
    we('w', { address: '1.1.1.1' }, { annotations, status: status ? { conditions: [{ type: 'Healthy', status }] } : undefined });

  it.each([
    ['no annotation: health ignored', entry(undefined, 'False'), true],
    ['annotation not a Go bool true: ignored', entry({ 'proxy.istio.io/health-checks-enabled': 'yes' }, 'False'), true],
    ['annotation "false": ignored', entry({ 'proxy.istio.io/health-checks-enabled': 'false' }), true],
    ['enabled, no condition yet: unhealthy', we('w', { address: '1.1.1.1' }, healthChecked()), false],
    ['enabled, Healthy=False', we('w', { address: '1.1.1.1' }, healthChecked('False')), false],
    ['enabled, Healthy=True', we('w', { address: '1.1.1.1' }, healthChecked('True')), true],
    ['enabled via "1", Healthy=True', entry({ 'proxy.istio.io/health-checks-enabled': '1' }, 'True'), true],
    ['enabled via "TRUE", no condition', entry({ 'proxy.istio.io/health-checks-enabled': 'TRUE' }), false],
  ])('%s', (_title, workload, expected) => {
    expect(isHealthy(workload)).toBe(expected);
  });
});

describe('endpoint fields', () => {
  const service = se('s', { resolution: 'STATIC', ports: [{ number: 80, name: 'http' }] }, { ns: 'ns1' });

  it.each([
    ['weight 0 counts as 1', { address: '1.1.1.1', weight: 0 }, { weight: 1 }],
    ['unset weight is 1', { address: '1.1.1.1' }, { weight: 1 }],
    ['weight kept', { address: '1.1.1.1', weight: 7 }, { weight: 7 }],
    ['unix prefix stripped from the address', { address: 'unix:///run/a.sock' }, { address: '/run/a.sock', ports: { http: 0 } }],
    ['network-only has a null address', { network: 'n2' }, { address: null, network: 'n2' }],
  ])('%s', (_title, spec, expected) => {
    expect(fromInlineEndpoint(service, spec, 3)).toMatchObject({ ...expected, source: { kind: 'ServiceEntry', namespace: 'ns1', name: 's', index: 3 } });
  });

  it('the DNS host endpoint has no labels and uses targetPort or number', () => {
    const dns = se('d', { resolution: 'DNS', ports: [{ number: 80, name: 'http', targetPort: 8080 }, { number: 9090, name: 'metrics' }] });
    expect(fromHost(dns, 'svc.example.com')).toMatchObject({
      address: 'svc.example.com',
      ports: { http: 8080, metrics: 9090 },
      labels: {},
      weight: 1,
      source: { kind: 'ServiceEntry', name: 'd' },
    });
  });
});
