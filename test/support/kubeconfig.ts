import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a kubeconfig for `server` (plain HTTP, no credentials) into `dir` and returns its path: what a
 * user points kubectl and the client libraries at.
 */
export async function writeKubeconfig(dir: string, server: string, namespace = 'default'): Promise<string> {
  const path = join(dir, 'kubeconfig');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: mesh-registry',
      // @kubernetes/client-node refuses a plain-HTTP server unless TLS verification is "skipped".
      `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
      'users:',
      '- name: anonymous',
      '  user: {}',
      'contexts:',
      '- name: mesh-registry',
      `  context: { cluster: mesh-registry, user: anonymous, namespace: ${namespace} }`,
      'current-context: mesh-registry',
      '',
    ].join('\n'),
  );
  return path;
}
