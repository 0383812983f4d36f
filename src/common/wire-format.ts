import { FastifyInstance, FastifyRequest } from 'fastify';
import { contentTypeOf, encode, negotiateFormat } from './codec';

/** Turns an answer into another representation of it (a Table), or returns it as it is. */
export type Representation = (request: FastifyRequest, payload: unknown) => unknown;

const toYaml = (payload: unknown) => encode(payload, 'yaml');

/**
 * The representation a client asked for: the given ones first (kubectl's Table), then YAML when the
 * client asks for it (`Accept: application/yaml`), JSON otherwise. A Fastify hook rather than Nest
 * interceptors: it costs nothing on the hot routes (an interceptor wraps every handler in rxjs), and
 * it sees only object answers (strings and buffers are already encoded).
 */
export function answerAsAsked(fastify: FastifyInstance, representations: readonly Representation[] = []): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    let answer = payload;
    for (const represent of representations) answer = represent(request, answer);
    const accept = request.headers.accept;
    if (!accept || !accept.includes('yaml') || negotiateFormat(accept) !== 'yaml') return done(null, answer);
    void reply.header('content-type', contentTypeOf('yaml')).serializer(toYaml);
    done(null, answer);
  });
}
