import { FastifyInstance } from 'fastify';
import { Socket } from 'node:net';
import { apiErrors } from '../common/status';
import { Draining } from './draining';

/** What a request arriving during shutdown is told: another replica (or this one restarted) will answer. */
const RETRY_AFTER_SECONDS = 1;

type HttpSocket = Socket & { _httpMessage?: { once(event: 'finish', listener: () => void): void } | null };

/**
 * Graceful shutdown that neither waits on idle keep-alive connections nor cuts an answer short.
 *
 * - While draining, every answer carries `Connection: close`, so a client's connection ends with the
 *   answer it is waiting for; a new request on a kept-alive connection gets a 503 Status.
 * - Node's `closeIdleConnections` (run by `server.close()`) destroys a connection as soon as its
 *   answer has been handed over, even while megabytes of it are still buffered: a client got 10.7 MB of
 *   an import report, then a reset. Here an idle connection is ended only once its buffer is flushed,
 *   and a connection still answering is closed right after that answer.
 */
export function drainGracefully(fastify: FastifyInstance, draining: Draining): void {
  const sockets = new Set<HttpSocket>();
  fastify.server.on('connection', (socket: HttpSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  fastify.server.closeIdleConnections = () => sockets.forEach(closeWhenIdle);
  // Callback hooks: no promise per request while nothing is draining.
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!draining.active) return done();
    void reply.header('connection', 'close');
    done(apiErrors.serviceUnavailable('the server is shutting down; send the request again', RETRY_AFTER_SECONDS));
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining.active) void reply.header('connection', 'close');
    done(null, payload);
  });
}

function closeWhenIdle(socket: HttpSocket): void {
  const answering = socket._httpMessage;
  if (answering) return answering.once('finish', () => setImmediate(() => closeWhenIdle(socket)));
  if (socket.writableLength > 0) socket.end();
  else socket.destroy();
}
