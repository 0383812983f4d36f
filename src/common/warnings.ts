import { FastifyReply } from 'fastify';

/**
 * Kubernetes returns non-blocking problems as `Warning: 299 - "text"` headers (RFC 7234), which kubectl
 * and the client libraries print. Header values must be one line of visible ASCII.
 */
export function warningHeaderValue(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return `299 - "${oneLine.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The apiserver's budget for one answer's warnings (k8s.io/apiserver's warning recorder). */
export const WARNINGS_TOTAL_CHARS = 4096;
export const WARNING_ITEM_CHARS = 256;

/**
 * Warnings as the apiserver bounds them: all of them while they fit in 4096 characters; past that each
 * is cut to 256 characters, and those that still do not fit are dropped. A request can then never grow
 * an answer's headers without bound (a thousand entries sharing an address, say).
 */
export function boundedWarnings(warnings: readonly string[]): string[] {
  const unique = [...new Set(warnings)];
  const total = (texts: readonly string[]) => texts.reduce((sum, text) => sum + text.length, 0);
  if (total(unique) <= WARNINGS_TOTAL_CHARS) return unique;
  const cut = unique.map((text) => (text.length > WARNING_ITEM_CHARS ? `${text.slice(0, WARNING_ITEM_CHARS - 3)}...` : text));
  const kept: string[] = [];
  let used = 0;
  for (const text of cut) {
    if (used + text.length > WARNINGS_TOTAL_CHARS) break;
    kept.push(text);
    used += text.length;
  }
  return kept;
}

/** Adds the warnings to those already set (the authentication-disabled one, for instance). */
export function setWarnings(reply: FastifyReply, warnings: readonly string[]): void {
  const bounded = boundedWarnings(warnings);
  if (bounded.length === 0) return;
  const earlier = reply.getHeader('warning');
  const values = earlier === undefined ? [] : ([] as string[]).concat(earlier as string | string[]);
  void reply.header('warning', [...values, ...bounded.map(warningHeaderValue)]);
}
