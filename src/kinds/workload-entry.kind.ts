import { ISTIO_NETWORKING_GROUP, ISTIO_NETWORKING_VERSION, KubeObject } from '../common/kube-object';
import { validateWorkloadEntry } from '../validation';
import { WorkloadEntry } from './istio-types';
import { fromCrd, KindDefinition } from './kind-definition';

const crd = fromCrd('workloadentry.v1.openapi.yaml');

/** The Istio docs' details-svc VM, by IP or by DNS name. */
const detailsVm = (address: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name: 'details-svc' },
  spec: { serviceAccount: 'details-legacy', address, labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
});

export const workloadEntryKind: KindDefinition = {
  group: ISTIO_NETWORKING_GROUP,
  version: ISTIO_NETWORKING_VERSION,
  ...crd,
  validate: (object: KubeObject) => validateWorkloadEntry(object as WorkloadEntry, { schema: crd.schema }),
  examples: {
    'details-svc': { summary: 'A VM for details.bookinfo.com (Istio docs)', value: detailsVm('2.2.2.2') },
    'details-svc-dns': { summary: 'The same VM by its DNS name (Istio docs)', value: detailsVm('vm1.vpc01.corp.net') },
    'foo-workloads-cluster-2': {
      summary: 'Workloads of a remote network, reached through its gateway (Istio docs)',
      value: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: { name: 'foo-workloads-cluster-2' },
        spec: { serviceAccount: 'foo', network: 'cluster-2-network', labels: { app: 'foo' } },
      },
    },
  },
};
