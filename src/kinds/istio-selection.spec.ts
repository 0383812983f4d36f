import { ServiceEntry, WorkloadEntry } from './istio-types';
import { isDnsOnlyAddress, isExportedTo, selectsWorkload, workloadLabels } from './istio-selection';

const we = (spec: WorkloadEntry['spec'], labels?: Record<string, string>, namespace = 'ns'): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name: 'w', namespace, labels },
  spec,
});
const se = (spec: Partial<ServiceEntry['spec']>, namespace = 'ns'): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 's', namespace },
  spec: { hosts: ['a.example.com'], ...spec },
});

describe('istio selection rules', () => {
  it('lets metadata labels win over spec labels', () => {
    expect(workloadLabels(we({ labels: { app: 'spec', v: '1' } }, { app: 'meta' }))).toEqual({ app: 'meta', v: '1' });
  });

  it.each([
    ['2.2.2.2', false],
    ['fe80::1', false],
    ['vm1.corp.net', true],
    ['unix:///var/run/sock', true],
    [undefined, false],
  ])('isDnsOnlyAddress(%s) is %s', (address, expected) => {
    expect(isDnsOnlyAddress(address)).toBe(expected);
  });

  it.each([
    ['STATIC selects an IP workload', se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } }), we({ address: '1.1.1.1', labels: { app: 'x' } }), true],
    ['STATIC skips an FQDN workload', se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } }), we({ address: 'vm.corp', labels: { app: 'x' } }), false],
    ['DNS selects an FQDN workload', se({ resolution: 'DNS', workloadSelector: { labels: { app: 'x' } } }), we({ address: 'vm.corp', labels: { app: 'x' } }), true],
    ['other namespaces are never selected', se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } }), we({ address: '1.1.1.1', labels: { app: 'x' } }, undefined, 'other'), false],
    ['an empty selector selects nothing', se({ resolution: 'STATIC', workloadSelector: { labels: {} } }), we({ address: '1.1.1.1' }), false],
    ['label mismatch', se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } }), we({ address: '1.1.1.1', labels: { app: 'y' } }), false],
  ])('%s', (_name, service, workload, expected) => {
    expect(selectsWorkload(service, workload)).toBe(expected);
  });

  it('uses precomputed merged labels when given', () => {
    const service = se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'x' } } });
    const workload = we({ address: '1.1.1.1', labels: { app: 'y' } });
    expect(selectsWorkload(service, workload, { app: 'x' })).toBe(true);
  });

  it.each([
    [undefined, 'any', true],
    [['.'], 'ns', true],
    [['.'], 'other', false],
    [['*'], 'other', true],
    [['~'], 'ns', false],
    [['a', 'b'], 'b', true],
  ])('exportTo %j visible to %s: %s', (exportTo, caller, expected) => {
    expect(isExportedTo(se({ exportTo: exportTo as string[] | undefined }), caller)).toBe(expected);
  });
});
