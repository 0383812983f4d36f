import { TokenRow } from '../../store/token.repository';

export const TOKEN_API_VERSION = 'registry.mesh.io/v1alpha1';

/** A token as the API shows it: everything but the secret, which only the create answer carries, once. */
export function tokenObject(row: TokenRow, token?: string) {
  const registration = row.registration as Record<string, unknown> | null;
  const times = (date: Date | null) => date?.toISOString() ?? null;
  const status = { createdBy: row.createdBy, lastUsedAt: times(row.lastUsedAt), revokedAt: times(row.revokedAt), ...(token ? { token } : {}) };
  if (registration) {
    const { namespace, ...scope } = registration;
    return {
      apiVersion: TOKEN_API_VERSION, kind: 'RegistrationToken',
      metadata: { name: row.id, namespace, creationTimestamp: row.createdAt.toISOString() },
      spec: { subject: row.subject, ...scope, expiresAt: times(row.expiresAt), description: row.description },
      status,
    };
  }
  return {
    apiVersion: TOKEN_API_VERSION, kind: 'Token',
    metadata: { name: row.id, creationTimestamp: row.createdAt.toISOString() },
    spec: { subject: row.subject, role: row.role, rules: row.rules, expiresAt: times(row.expiresAt), description: row.description },
    status,
  };
}

export const tokenList = (kind: 'TokenList' | 'RegistrationTokenList', rows: TokenRow[]) => ({
  apiVersion: TOKEN_API_VERSION, kind, metadata: {}, items: rows.map((row) => tokenObject(row)),
});
