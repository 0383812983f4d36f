import { ISTIO_NETWORKING_GROUP, ISTIO_NETWORKING_VERSION, KubeObject } from '../common/kube-object';
import { validateWorkloadGroup } from '../validation';
import { WorkloadGroup } from './istio-types';
import { fromCrd, KindDefinition } from './kind-definition';

const crd = fromCrd('workloadgroup.v1.openapi.yaml');

/**
 * The group the details-svc VMs (see workload-entry.kind.ts) register into, named like them so that
 * Swagger UI's get, patch and delete examples address it: every entry gets the app label the
 * ServiceEntry selects, the service account and port, and is probed over HTTP.
 */
const detailsGroup: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadGroup',
  metadata: { name: 'details-svc', labels: { app: 'details-legacy' } },
  spec: {
    metadata: { labels: { app: 'details-legacy' } },
    template: { serviceAccount: 'details-legacy', ports: { http: 8080 } },
    probe: { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3, httpGet: { path: '/health', port: 8080 } },
  },
};

/** The Istio docs' WorkloadGroup example (reference/config/networking/workload-group). */
const reviewsGroup: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadGroup',
  metadata: { name: 'reviews' },
  spec: {
    metadata: { labels: { 'app.kubernetes.io/name': 'reviews', 'app.kubernetes.io/version': '1.3.4' } },
    template: { ports: { grpc: 3550, http: 8080 }, serviceAccount: 'default' },
    probe: {
      initialDelaySeconds: 5,
      timeoutSeconds: 3,
      periodSeconds: 4,
      successThreshold: 3,
      failureThreshold: 3,
      httpGet: { path: '/foo/bar', host: '127.0.0.1', port: 3100, scheme: 'HTTPS', httpHeaders: [{ name: 'Lit-Header', value: 'Im-The-Best' }] },
    },
  },
};

const CHECKED_AT = '2024-05-01T10:00:05Z';

export const workloadGroupKind: KindDefinition = {
  group: ISTIO_NETWORKING_GROUP,
  version: ISTIO_NETWORKING_VERSION,
  ...crd,
  validate: (object: KubeObject) => validateWorkloadGroup(object as WorkloadGroup, { schema: crd.schema }),
  // Deleting a group deletes the entries registered into it (they carry an ownerReference to it).
  dependentKinds: ['WorkloadEntry'],
  examples: {
    'details-svc': { summary: 'The group the details-svc VMs register into, probed over HTTP', value: detailsGroup },
    reviews: { summary: 'The reviews group (Istio docs)', value: reviewsGroup },
  },
  patchExamples: {
    spec: {
      merge: { summary: 'Probe the workloads every 5 seconds', value: { spec: { probe: { periodSeconds: 5 } } } },
      json: {
        summary: 'Give every entry registered from now on a version label',
        value: [{ op: 'add', path: '/spec/metadata/labels/version', value: 'v2' }],
      },
    },
    status: {
      merge: {
        summary: 'Record that the group was reconciled',
        value: { status: { observedGeneration: 1, conditions: [{ type: 'Reconciled', status: 'True', lastTransitionTime: CHECKED_AT }] } },
      },
      json: {
        summary: 'Replace the status with one condition',
        value: [{ op: 'add', path: '/status', value: { conditions: [{ type: 'Reconciled', status: 'False', message: 'waiting for the first workload', lastTransitionTime: CHECKED_AT }] } }],
      },
    },
  },
};
