import { SecureTestApp } from '../support/secure-app';

export const TOKENS = '/apis/registry.mesh.io/v1alpha1/tokens';
export const registrationTokens = (namespace: string) => `/apis/registry.mesh.io/v1alpha1/namespaces/${namespace}/registrationtokens`;

/** Creates a token as the admin and returns its wire form (shown this once). */
export async function tokenFor(t: SecureTestApp, body: Record<string, unknown>, as = t.adminToken): Promise<string> {
  const res = await t.as(as).post(TOKENS).send(body).expect(201);
  return res.body.status.token as string;
}

export async function registrationTokenFor(t: SecureTestApp, namespace: string, body: Record<string, unknown>): Promise<string> {
  const res = await t.as(t.adminToken).post(registrationTokens(namespace)).send(body).expect(201);
  return res.body.status.token as string;
}

export const idOf = (token: string) => token.slice(3, 9);

export const workloadEntry = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, annotations }, spec: { address: '10.0.0.5', serviceAccount: 'sa' },
});
