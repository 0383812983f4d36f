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

export const securityHeadersFor = (url: string): Record<string, string> => ({
  ...COMMON,
  'content-security-policy': isDocs(url) ? DOCS_CSP : API_CSP,
});

export function addSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.headers(securityHeadersFor(request.url));
    return payload;
  });
}
