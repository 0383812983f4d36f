import { ISTIO_NETWORKING_GROUP, ISTIO_NETWORKING_VERSION, KubeObject } from '../common/kube-object';
import { validateWorkloadEntry } from '../validation';
import { WorkloadEntry } from './istio-types';
import { fromCrd, KindDefinition } from './kind-definition';

const crd = fromCrd('workloadentry.v1.openapi.yaml');

export const workloadEntryKind: KindDefinition = {
  group: ISTIO_NETWORKING_GROUP,
  version: ISTIO_NETWORKING_VERSION,
  ...crd,
  validate: (object: KubeObject) => validateWorkloadEntry(object as WorkloadEntry, { schema: crd.schema }),
  examples: {
    'details-svc': {
      summary: 'A VM for details.bookinfo.com (Istio docs)',
      value: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: { name: 'details-svc' },
        spec: { serviceAccount: 'details-legacy', address: '2.2.2.2', labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
      },
    },
    'details-svc-dns': {
      summary: 'The same VM by its DNS name (Istio docs)',
      value: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: { name: 'details-svc' },
        spec: { serviceAccount: 'details-legacy', address: 'vm1.vpc01.corp.net', labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
      },
    },
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
