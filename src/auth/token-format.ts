import { hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens on the wire: `mr_<id>.<secret>`, the shape of a Kubernetes bootstrap token with a prefix
 * that secret scanners can match. The id (6 of [a-z0-9]) is public: it names the token in logs, the
 * audit trail and the API. The secret is 32 random bytes in base64url and is never stored: only its
 * SHA-256. A 256-bit random secret cannot be guessed, so a fast hash suffices (a slow one such as bcrypt
 * protects low-entropy passwords, and would cost milliseconds on every request).
 */
export const TOKEN_PATTERN = /^mr_([a-z0-9]{6})\.([A-Za-z0-9_-]{32,128})$/;
export const TOKEN_ID_PATTERN = /^[a-z0-9]{6}$/;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_BYTES = 32;

export interface ParsedToken {
  id: string;
  secret: string;
}

/** The id and secret of a well-formed token, or undefined. */
export function parseToken(text: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(text);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** The token in an `Authorization: Bearer …` header value ("Bearer" in any case, as the apiserver reads it). */
export function bearerTokenOf(header: string): string | undefined {
  if (header.length < 8 || header.length > 256) return undefined;
  const scheme = header.slice(0, 7);
  if (scheme !== 'Bearer ' && scheme.toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}

export function newTokenId(): string {
  let id = '';
  for (let i = 0; i < 6; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export const formatToken = (id: string, secret: string) => `mr_${id}.${secret}`;

export function hashSecret(secret: string): Buffer {
  // The one-shot hash (Node 20.12+): half the cost of createHash().update().digest().
  return hash('sha256', secret, 'buffer');
}

/** Compares a presented secret with a stored hash in time independent of where they differ. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
