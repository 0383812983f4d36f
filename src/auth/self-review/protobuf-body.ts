import { FastifyInstance } from 'fastify';
import { apiErrors } from '../../common/status';
import { decodeReview, ProtobufBodyError } from './protobuf-envelope';

/** Route config flag: the route reads kubectl's protobuf bodies (the self-review APIs). */
export const PROTOBUF_BODY_ROUTE = 'protobufBody';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** kubectl auth sends protobuf only; every other route answers it with the 415 it always did. */
export function acceptProtobufReviews(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(PROTOBUF, { parseAs: 'buffer' }, (request, body, done) => {
    if ((request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[PROTOBUF_BODY_ROUTE] !== true) {
      return done(apiErrors.unsupportedMediaType(PROTOBUF, ['application/json', 'application/yaml']), undefined);
    }
    try {
      done(null, decodeReview(body as Buffer));
    } catch (error) {
      done(error instanceof ProtobufBodyError ? apiErrors.badRequest(error.message) : (error as Error), undefined);
    }
  });
}
