import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { renderYamlStream } from './yaml-stream';
import { workloadManifest } from './workload-manifest';
import { DETAILS_YAML, detailsService, detailsWorkload } from './test-fixtures';

const workload = () => detailsWorkload() as unknown as WorkloadEntry;
const service = (name: string, patch: Partial<ServiceEntry['spec']> = {}, namespace = 'bookinfo'): ServiceEntry => {
  const base = detailsService() as unknown as ServiceEntry;
  return { ...base, metadata: { ...base.metadata, name, namespace }, spec: { ...base.spec, ...patch } };
};

describe('workloadManifest', () => {
  it('renders the details-svc workload with its ServiceEntry as the Istio docs pair', () => {
    expect(renderYamlStream(workloadManifest(workload(), [service('details-svc')]))).toBe(DETAILS_YAML);
  });

  it.each([
    ['selecting services by name after the workload', [service('z-svc'), service('a-svc')], ['WorkloadEntry/details-svc', 'ServiceEntry/a-svc', 'ServiceEntry/z-svc']],
    ['no service selects it', [], ['WorkloadEntry/details-svc']],
    ['another namespace', [service('other', {}, 'default')], ['WorkloadEntry/details-svc']],
    ['a label mismatch', [service('mismatch', { workloadSelector: { labels: { app: 'reviews' } } })], ['WorkloadEntry/details-svc']],
    ['an empty selector', [service('empty', { workloadSelector: { labels: {} } })], ['WorkloadEntry/details-svc']],
    ['endpoints instead of a selector', [service('static', { workloadSelector: undefined, endpoints: [{ address: '1.1.1.1' }] })], ['WorkloadEntry/details-svc']],
  ])('%s', (_name, candidates, expected) => {
    const manifest = workloadManifest(workload(), candidates);
    expect(manifest.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected);
    expect(manifest.every((o) => !('status' in o) && o.metadata.resourceVersion === undefined)).toBe(true);
  });
});
