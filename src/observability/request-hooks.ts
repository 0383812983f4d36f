import { FastifyInstance } from 'fastify';
import { Logger } from 'pino';
import { logRequest, REQUEST_ID_HEADER } from './logging';
import { Metrics } from './metrics';

/**
 * What every request gets, in two Fastify hooks (callback style: no promise per request): its id
 * echoed back in `X-Request-Id`, and, once answered, its metrics and its log line.
 */
export function instrumentRequests(fastify: FastifyInstance, logger: Logger, metrics: Metrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.recordRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    logRequest(logger, request, reply);
    done();
  });
}
