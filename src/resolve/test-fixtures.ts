import { IstioStatus, ServiceEntry, ServiceEntrySpec, WorkloadEntry, WorkloadEntrySpec } from '../kinds/istio-types';
import { IndexedObject, RegistryIndex } from './registry-index';

/** Builders for the resolve unit tests (plain objects, no Nest/Prisma). */
interface Meta {
  ns?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: IstioStatus;
  created?: string;
  rv?: string;
}

export function we(name: string, spec: WorkloadEntrySpec, meta: Meta = {}): WorkloadEntry {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadEntry',
    metadata: {
      name,
      namespace: meta.ns ?? 'default',
      labels: meta.labels,
      annotations: meta.annotations,
      creationTimestamp: meta.created ?? '2024-01-01T00:00:00Z',
      resourceVersion: meta.rv,
    },
    spec,
    ...(meta.status ? { status: meta.status } : {}),
  };
}

export function se(name: string, spec: Partial<ServiceEntrySpec>, meta: Meta = {}): ServiceEntry {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: {
      name,
      namespace: meta.ns ?? 'default',
      labels: meta.labels,
      creationTimestamp: meta.created ?? '2024-01-01T00:00:00Z',
      resourceVersion: meta.rv,
    },
    spec: { hosts: ['svc.example.com'], ...spec },
  };
}

export function indexWith(...objects: IndexedObject[]): RegistryIndex {
  const index = new RegistryIndex();
  objects.forEach((o) => index.upsert(o));
  return index;
}

export const HTTP_80 = { number: 80, name: 'http', protocol: 'HTTP' };

/** A STATIC ServiceEntry selecting `app=<app>` on port 80. */
export function staticSe(name: string, app: string, meta: Meta = {}, extra: Partial<ServiceEntrySpec> = {}): ServiceEntry {
  return se(name, { resolution: 'STATIC', ports: [HTTP_80], workloadSelector: { labels: { app } }, ...extra }, meta);
}

export function healthChecked(healthy?: 'True' | 'False'): Meta {
  return {
    annotations: { 'proxy.istio.io/health-checks-enabled': 'true' },
    status: healthy ? { conditions: [{ type: 'Healthy', status: healthy }] } : undefined,
  };
}

// The three examples of the Istio WorkloadEntry reference page.
export const docs = {
  staticWe: we('details-svc', {
    serviceAccount: 'details-legacy',
    address: '2.2.2.2',
    labels: { app: 'details-legacy', 'instance-id': 'vm1' },
  }),
  dnsWe: we('details-svc', {
    serviceAccount: 'details-legacy',
    address: 'vm1.vpc01.corp.net',
    labels: { app: 'details-legacy', 'instance-id': 'vm1' },
  }),
  detailsSe: (resolution: 'STATIC' | 'DNS'): ServiceEntry =>
    se('details-svc', {
      hosts: ['details.bookinfo.com'],
      location: 'MESH_INTERNAL',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
      resolution,
      workloadSelector: { labels: { app: 'details-legacy' } },
    }),
  networkOnlyWe: we('foo-workloads-cluster-2', {
    serviceAccount: 'foo',
    network: 'cluster-2-network',
    labels: { app: 'foo' },
  }),
  fooSe: staticSe('foo', 'foo', {}, { hosts: ['foo.bar.com'] }),
};
