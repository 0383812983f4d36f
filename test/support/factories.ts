/** Valid request bodies, so a test reads as "a valid thing, plus the one field that matters". */
type Body = { apiVersion?: string; kind?: string; metadata: Record<string, unknown>; spec: Record<string, unknown>; status?: unknown };

export const GROUP_PATH = '/apis/networking.istio.io/v1';

export const paths = {
  workloadEntries: (namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/workloadentries`,
  workloadEntry: (name: string, namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/workloadentries/${name}`,
  serviceEntries: (namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/serviceentries`,
  serviceEntry: (name: string, namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/serviceentries/${name}`,
  workloadGroups: (namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/workloadgroups`,
  workloadGroup: (name: string, namespace = 'default') => `${GROUP_PATH}/namespaces/${namespace}/workloadgroups/${name}`,
};

export function aWorkloadEntry(name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Body {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadEntry',
    metadata: { name, ...metadata },
    spec: { address: '10.0.0.1', serviceAccount: 'details-legacy', labels: { app: 'details-legacy' }, ...spec },
  };
}

export function aServiceEntry(name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Body {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, ...metadata },
    spec: {
      hosts: ['details.bookinfo.com'],
      location: 'MESH_INTERNAL',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }],
      resolution: 'STATIC',
      workloadSelector: { labels: { app: 'details-legacy' } },
      ...spec,
    },
  };
}

export function aWorkloadGroup(name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Body {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadGroup',
    metadata: { name, ...metadata },
    spec: {
      metadata: { labels: { app: 'details-legacy' } },
      template: { serviceAccount: 'details-legacy', ports: { http: 8080 } },
      probe: { periodSeconds: 10, httpGet: { path: '/health', port: 8080 } },
      ...spec,
    },
  };
}
