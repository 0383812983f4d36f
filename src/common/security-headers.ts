import { FastifyInstance } from 'fastify';

/**
 * Headers every answer carries. API answers are data, never a page: `default-src 'none'` and no
 * framing. Swagger UI (`/docs`) loads its own scripts, styles and the OpenAPI document from this
 * origin, sets inline styles and shows data: images, and may not be framed (clickjacking).
 */
const COMMON = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');

// Built once: every answer carries one of the two.
const API_HEADERS = Object.freeze({ ...COMMON, 'content-security-policy': API_CSP });
const DOCS_HEADERS = Object.freeze({ ...COMMON, 'content-security-policy': DOCS_CSP });

export const securityHeadersFor = (url: string): Record<string, string> => (isDocs(url) ? DOCS_HEADERS : API_HEADERS);

/** Set as the request arrives, so that every answer has them, errors and early refusals included. */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeadersFor(request.url));
    done();
  });
}
