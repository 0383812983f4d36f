import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawRequest {
  method?: string;
  /** Sent as written: HTTP clients drop a fragment or refuse odd targets, this does not. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The CA to trust for an https:// base. */
  ca?: string;
}

/** A raw request to `base`, for what HTTP clients refuse to send or Node answers before Fastify sees it. */
export function rawRequest(base: string, { method = 'GET', path, headers = {}, body, ca }: RawRequest) {
  const { protocol, hostname, port } = new URL(base);
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = send({ hostname, port, path, method, headers, ca }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
