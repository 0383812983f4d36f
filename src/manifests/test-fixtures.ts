import { KubeObject } from '../common/kube-object';

/** Objects as the store returns them (server-owned fields set) for the manifests tests. */

const server = (name: string, namespace: string, rv: string) => ({
  name,
  namespace,
  uid: `00000000-0000-4000-8000-00000000000${rv}`,
  resourceVersion: rv,
  generation: 1,
  creationTimestamp: '2024-05-01T10:00:00Z',
});

const istioStatus = { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: '2024-05-01T10:00:05Z' }] };

/** Istio docs (workload-entry.html): the details-svc VM, with the fields' doc order kept. */
export const detailsWorkload = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { ...server('details-svc', 'bookinfo', '1'), labels: {}, annotations: {} },
  spec: { serviceAccount: 'details-legacy', address: '2.2.2.2', labels: { app: 'details-legacy', 'instance-id': 'vm1' } },
  status: istioStatus,
});

/** Istio docs: the ServiceEntry that selects details-svc. */
export const detailsService = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: server('details-svc', 'bookinfo', '2'),
  spec: {
    hosts: ['details.bookinfo.com'],
    location: 'MESH_INTERNAL',
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
    resolution: 'STATIC',
    workloadSelector: { labels: { app: 'details-legacy' } },
  },
});

/** The expected manifest stream for the two above: byte for byte. */
export const DETAILS_YAML = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: details-svc
  namespace: bookinfo
spec:
  address: 2.2.2.2
  labels:
    app: details-legacy
    instance-id: vm1
  serviceAccount: details-legacy
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: details-svc
  namespace: bookinfo
spec:
  hosts:
  - details.bookinfo.com
  location: MESH_INTERNAL
  ports:
  - name: http
    number: 80
    protocol: HTTP
    targetPort: 8080
  resolution: STATIC
  workloadSelector:
    labels:
      app: details-legacy
`;

/** Exercises every spec field, map keys that sort specially and strings YAML 1.1/1.2 would retype. */
export const trickyWorkload = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: {
    ...server('vm-7', 'payments', '3'),
    labels: { version: 'v1', app: 'ledger', enabled: 'yes', legacy: 'on', build: '0755', ratio: '1.0', zone: '2024-01-01' },
    annotations: {
      'proxy.istio.io/health-checks-enabled': 'true',
      'example.com/notes': `${'a very long annotation value that must not be folded '.repeat(6)}end`,
      'example.com/multiline': 'line one\nline two',
      'example.com/odd': '*: #not a comment',
    },
  },
  spec: {
    weight: 20,
    address: '10.0.0.7',
    ports: { http: 8080, '9090': 9090, grpc: 8443, '10': 10 },
    labels: { app: 'ledger', tier: '' },
    network: 'vpc-1',
    locality: 'us-east1/us-east1-b',
    serviceAccount: 'ledger',
  },
});

export const trickyService = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { ...server('ledger-external', 'payments', '4'), labels: { team: 'payments' } },
  spec: {
    hosts: ['ledger.example.com', 'ledger-b.example.com'],
    addresses: ['240.0.0.9'],
    ports: [
      { number: 443, name: 'https', protocol: 'TLS' },
      { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 },
    ],
    location: 'MESH_EXTERNAL',
    resolution: 'STATIC',
    exportTo: ['.', 'frontend'],
    subjectAltNames: ['spiffe://cluster.local/ns/payments/sa/ledger'],
    endpoints: [
      { address: '203.0.113.9', ports: { https: 8443, http: 8080 }, labels: { region: 'eu' }, weight: 3 },
      { address: '203.0.113.8', network: 'edge', locality: 'eu-west1' },
    ],
  },
});

export const allFixtures = (): KubeObject[] => [detailsWorkload(), detailsService(), trickyWorkload(), trickyService()];
