import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { FastifyReply, FastifyRequest } from 'fastify';
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

const LOG_BUFFER_BYTES = 8 * 1024;
const LOG_FLUSH_MS = 500;

/**
 * What a logged `req` may show: these fields and nothing else, so no header (the bearer token, a cookie)
 * can reach the log whatever a caller passes. Cheaper than redaction, which walked every line (3% of a
 * request's CPU at info level).
 */
export function requestFields(req: { method?: unknown; url?: unknown; route?: unknown; remoteAddress?: unknown }) {
  return { method: req.method, url: req.url, route: req.route, remoteAddress: req.remoteAddress };
}

/** The one pino logger: Nest's own log lines and the request log both go through it, as JSON lines. */
export function createRootLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel, serializers: { req: requestFields } }, standardOutput());
}

let stdout: ReturnType<typeof pino.destination> | undefined;

/**
 * Standard output, buffered: one write(2) per LOG_BUFFER_BYTES of lines instead of one per request,
 * and at least every LOG_FLUSH_MS, so a quiet service's lines are not held back; flushed at exit. One
 * per process, however many applications it runs (the tests run several).
 */
function standardOutput(): ReturnType<typeof pino.destination> {
  if (stdout) return stdout;
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  setInterval(() => destination.flush(), LOG_FLUSH_MS).unref();
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done for a log line at exit.
    }
  });
  return (stdout = destination);
}

/**
 * The level of a request's line. Errors and refusals always show, and so does every successful write
 * (besides its `audit` line) and every read of the tokens or the audit trail. A successful read or heartbeat is a debug line, as the apiserver logs
 * requests only at higher verbosity: platforms resolving thousands of times a second and 100,000 VMs
 * renewing every 10 s would otherwise write that many info lines a second (and a tenth of a read's CPU
 * went to its line); the request metrics count them.
 */
export function requestLogLevel(method: string, status: number, route: string | undefined): 'error' | 'warn' | 'info' | 'debug' {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  if (route !== undefined && SENSITIVE_READS.test(route)) return 'info';
  return method === 'GET' || method === 'HEAD' || route?.endsWith('/heartbeat') ? 'debug' : 'info';
}

/** Reads that stay at info: who looked at the tokens or the audit trail. */
const SENSITIVE_READS = /^\/apis\/registry\.mesh\.io\/|^\/registry\/v1\/audit/;

/** One structured line per answered request, carrying its request id (called from the onResponse hook). */
export function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  const level = requestLogLevel(request.method, status, request.routeOptions.url);
  if (!logger.isLevelEnabled(level)) return;
  const url = request.url;
  const query = url.indexOf('?');
  if (QUIET_PATHS.has(query < 0 ? url : url.slice(0, query))) return;
  logger[level](
    {
      reqId: request.id,
      req: { method: request.method, url, route: request.routeOptions.url, remoteAddress: request.ip },
      res: { statusCode: status },
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    },
    'request completed',
  );
}

export { REQUEST_ID_HEADER };
