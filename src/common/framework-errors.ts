import { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { securityHeadersFor } from './security-headers';
import { ApiError, apiErrors } from './status';

/**
 * Errors Fastify and Node answer themselves, before any route runs, as Kubernetes Status objects like
 * every other error of this API (they were Fastify's own `{statusCode, error, message}` bodies).
 */

/** Fastify's `frameworkErrors`: a malformed percent-encoding, a path segment over maxParamLength. */
export function frameworkErrors(error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  const status = frameworkStatus(error);
  // Fastify answers these before any hook runs, so the headers every answer carries are set here.
  void reply.code(status.code).headers(securityHeadersFor(request.url)).header('content-type', 'application/json').send(JSON.stringify(status.status));
}

function frameworkStatus(error: Error & { code?: string; statusCode?: number }): ApiError {
  if (error.code === 'FST_ERR_BAD_URL') return apiErrors.badRequest('the request URL is not valid: it holds a malformed percent-encoding');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return apiErrors.clientError(414, 'the request URL is too long: a path segment is longer than 512 characters');
  return apiErrors.clientError(error.statusCode ?? 400, error.message);
}

/** Fastify's `clientErrorHandler`: what Node's HTTP parser rejects (headers over the limit, garbage). */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? apiErrors.clientError(431, 'the request headers are larger than the server accepts (16 KiB)')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? apiErrors.clientError(408, 'the request took too long to arrive')
        : apiErrors.badRequest('the request is not valid HTTP');
  const body = JSON.stringify(status.status);
  const headers = Object.entries({ ...securityHeadersFor(''), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  if (socket.writable) socket.write(`HTTP/1.1 ${status.code} ${STATUS_CODES[status.code]}\r\n${headers}\r\n${body}`);
  socket.destroy(error);
}
