import { ISTIO_NETWORKING_GROUP, ISTIO_NETWORKING_VERSION, KubeObject } from '../common/kube-object';
import { validateServiceEntry } from '../validation';
import { ServiceEntry } from './istio-types';
import { fromCrd, KindDefinition } from './kind-definition';

const crd = fromCrd('serviceentry.v1.openapi.yaml');

const detailsServiceEntry = (resolution: 'STATIC' | 'DNS'): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'details-svc' },
  spec: {
    hosts: ['details.bookinfo.com'],
    location: 'MESH_INTERNAL',
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
    resolution,
    workloadSelector: { labels: { app: 'details-legacy' } },
  },
});

export const serviceEntryKind: KindDefinition = {
  group: ISTIO_NETWORKING_GROUP,
  version: ISTIO_NETWORKING_VERSION,
  ...crd,
  validate: (object: KubeObject) => validateServiceEntry(object as unknown as ServiceEntry, { schema: crd.schema }),
  examples: {
    'details-svc': { summary: 'details.bookinfo.com served by selected VMs (Istio docs)', value: detailsServiceEntry('STATIC') },
    'details-svc-dns': { summary: 'The same with DNS resolution of the VMs (Istio docs)', value: detailsServiceEntry('DNS') },
  },
};
