import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { FastifyInstance } from 'fastify';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app-config';

const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's `X-Request-Id` is kept (so ids follow a request across services), otherwise one is made. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Requests that probes and scrapers make every few seconds; logging them would drown the log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The one pino logger: Nest's own log lines and the request log both go through it, as JSON lines. */
export function createRootLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

/**
 * One structured line per request once its response is sent, carrying the request id, from Fastify's
 * onResponse hook (cheaper than an HTTP middleware, and it sees every route, errors included).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (QUIET_PATHS.has(path)) return;
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        reqId: request.id,
        req: { method: request.method, url: request.url, route: request.routeOptions.url, remoteAddress: request.ip },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
  });
}

/** Returns the request id to the caller. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}
