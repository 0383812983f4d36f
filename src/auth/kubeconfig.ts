import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  token: string;
  /** PEM of the CA that signed the server's certificate; none when the server's is publicly trusted. */
  caPem?: string;
  namespace?: string;
}

/** A kubeconfig for kubectl and the client libraries: one cluster, one token user, one context. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.caPem) cluster['certificate-authority-data'] = Buffer.from(input.caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'mesh-registry', cluster }],
    users: [{ name: 'mesh-registry-admin', user: { token: input.token } }],
    contexts: [{ name: 'mesh-registry', context: { cluster: 'mesh-registry', user: 'mesh-registry-admin', namespace: input.namespace ?? 'default' } }],
    'current-context': 'mesh-registry',
  });
}

/** The URL clients reach a listener on: PUBLIC_URL, or loopback for a wildcard HOST. */
export function serverUrl(publicUrl: string | undefined, tls: boolean, host: string, port: number): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${tls ? 'https' : 'http'}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
