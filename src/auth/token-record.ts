import { TokenRow } from '../store/token.repository';
import { Principal } from './principal';
import { RegistrationScope } from './registration-scope';
import { Rule } from './rules';

/** A token as each replica holds it in memory: the row, and the principal it authenticates as. */
export interface TokenRecord {
  row: TokenRow;
  principal: Principal;
  /** When this replica last wrote lastUsedAt (ms), so it writes at most once a minute. */
  touchedAt: number;
}

export function principalOf(row: TokenRow): Principal {
  const registration = (row.registration ?? undefined) as RegistrationScope | undefined;
  return {
    tokenId: row.id,
    username: row.subject,
    groups: ['system:authenticated', ...(row.role ? [`registry.mesh.io:${row.role}`] : [])],
    rules: row.rules as Rule[],
    ...(registration ? { registration } : {}),
  };
}

/** Unusable from `now` on: revoked, or past its expiry. */
export const isUsable = (row: TokenRow, now: number) => !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > now);
