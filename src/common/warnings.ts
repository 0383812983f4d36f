import { FastifyReply } from 'fastify';

/**
 * Kubernetes returns non-blocking problems as `Warning: 299 - "text"` headers (RFC 7234), which kubectl
 * and the client libraries print. Header values must be one line of visible ASCII.
 */
export function warningHeaderValue(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return `299 - "${oneLine.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function setWarnings(reply: FastifyReply, warnings: readonly string[]): void {
  const unique = [...new Set(warnings)];
  if (unique.length > 0) void reply.header('warning', unique.map(warningHeaderValue));
}
