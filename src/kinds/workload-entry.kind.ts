import { ISTIO_NETWORKING_GROUP, ISTIO_NETWORKING_VERSION, KubeObject } from '../common/kube-object';
import { validateWorkloadEntry } from '../validation';
import { WorkloadEntry } from './istio-types';
import { fromCrd, KindDefinition } from './kind-definition';

const crd = fromCrd('workloadentry.v1.openapi.yaml');

/**
 * The Istio docs' details-svc VM, by IP or by DNS name. Its metadata carries the app label too, as
 * the README's boot script registers it, so that the list example `labelSelector=app=details-legacy`
 * selects it (label selectors read metadata.labels, not spec.labels).
 */
const detailsVm = (address: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name: 'details-svc', labels: { app: 'details-legacy' } },
  spec: { serviceAccount: 'details-legacy', address, labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
});

const PROBED_AT = '2024-05-01T10:00:05Z';

export const workloadEntryKind: KindDefinition = {
  group: ISTIO_NETWORKING_GROUP,
  version: ISTIO_NETWORKING_VERSION,
  ...crd,
  // Beyond Istio's CRD: the health a heartbeat (or a probe) reports, why (LeaseExpired, Reported), and
  // the group that registered the entry, so `kubectl get we` shows each VM's state.
  printerColumns: [
    ...crd.printerColumns,
    { name: 'Healthy', type: 'string', jsonPath: '.status.conditions[?(@.type=="Healthy")].status', description: 'The Healthy condition: True, False, or none when the entry is not health-checked.' },
    { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Healthy")].reason', description: 'Why it is not healthy: LeaseExpired (no heartbeat in time) or Reported (its heartbeat said so).' },
    { name: 'Group', type: 'string', jsonPath: ".metadata.annotations['istio.io/autoRegistrationGroup']", description: 'The WorkloadGroup that registered it; none for a hand-made entry.' },
  ],
  validate: (object: KubeObject) => validateWorkloadEntry(object as WorkloadEntry, { schema: crd.schema }),
  examples: {
    'details-svc': { summary: 'A VM for details.bookinfo.com (Istio docs)', value: detailsVm('2.2.2.2') },
    'details-svc-dns': { summary: 'The same VM by its DNS name (Istio docs)', value: detailsVm('vm1.vpc01.corp.net') },
    'foo-workloads-cluster-2': {
      summary: 'Workloads of a remote network, reached through its gateway (Istio docs)',
      value: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: { name: 'foo-workloads-cluster-2', labels: { app: 'foo' } },
        spec: { serviceAccount: 'foo', network: 'cluster-2-network', labels: { app: 'foo' } },
      },
    },
  },
  patchExamples: {
    spec: {
      merge: { summary: 'Give the VM weight 5 among the endpoints of its services', value: { spec: { weight: 5 } } },
      json: { summary: 'Add a version label that ServiceEntries and routes can select', value: [{ op: 'add', path: '/spec/labels/version', value: 'v2' }] },
    },
    status: {
      merge: {
        summary: 'Report the VM healthy, as its health checks do',
        value: { status: { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: PROBED_AT }] } },
      },
      json: {
        summary: 'Report the VM unhealthy',
        value: [{ op: 'add', path: '/status', value: { conditions: [{ type: 'Healthy', status: 'False', message: 'HTTP probe failed with status 503', lastProbeTime: PROBED_AT }] } }],
      },
    },
  },
};
