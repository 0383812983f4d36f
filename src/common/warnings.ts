import { FastifyReply } from 'fastify';

/**
 * Kubernetes returns non-blocking problems as `Warning: 299 - "text"` headers (RFC 7234), which kubectl
 * and the client libraries print. Header values must be one line of visible ASCII.
 */
export function warningHeaderValue(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return `299 - "${oneLine.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Adds the warnings to those already set (the authentication-disabled one, for instance). */
export function setWarnings(reply: FastifyReply, warnings: readonly string[]): void {
  const unique = [...new Set(warnings)];
  if (unique.length === 0) return;
  const earlier = reply.getHeader('warning');
  const values = earlier === undefined ? [] : ([] as string[]).concat(earlier as string | string[]);
  void reply.header('warning', [...values, ...unique.map(warningHeaderValue)]);
}
