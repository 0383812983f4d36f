import { FastifyInstance, FastifyRequest } from 'fastify';
import { YAML_MEDIA_TYPES } from '../common/codec';
import { wantsRawBody } from '../common/raw-body';
import { apiErrors } from '../common/status';
import { offsetTooDeep } from './json-depth';
import { MAX_NESTING_DEPTH } from './limits';
import { ParsePool } from './parse-pool';
import { parseYamlBody } from './yaml-body';

/** JSON bodies under the media types Kubernetes clients send for patches. */
const JSON_PATCH_MEDIA_TYPES = ['application/merge-patch+json', 'application/json-patch+json'];

/** YAML bodies up to this size parse in place (well under a millisecond a KiB); larger ones in a parse worker. */
const INLINE_YAML_BYTES = 16 * 1024;

/**
 * JSON and YAML bodies; raw-body routes (import) get the text. The route's body limit applies to all.
 * JSON parses on the event loop (a megabyte takes milliseconds) once its depth is known to be bounded;
 * YAML, a hundred times slower to parse, goes to the parse pool.
 */
export function registerBodyParsers(fastify: FastifyInstance, pool: ParsePool): void {
  // Objects come as JSON or YAML only; anything else is a 415, as from an apiserver.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  // An empty body is no body: the official clients send DELETE with a JSON content type and nothing in it.
  const parser = (parse: (text: string) => unknown) => async (request: FastifyRequest, body: string | Buffer) =>
    wantsRawBody(request) ? body : body === '' ? undefined : parse(body as string);
  fastify.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, parser((text) =>
    text.length <= INLINE_YAML_BYTES ? parseYamlBody(text, pool.bodyLimits) : pool.parseYamlBody(text)));
  fastify.addContentTypeParser(['application/json', ...JSON_PATCH_MEDIA_TYPES], { parseAs: 'string' }, parser(parseJsonBody));
}

export function parseJsonBody(text: string): unknown {
  const tooDeep = offsetTooDeep(text, MAX_NESTING_DEPTH);
  if (tooDeep !== -1) {
    throw apiErrors.badRequest(`the request body is refused: it is nested more than ${MAX_NESTING_DEPTH} levels deep (at offset ${tooDeep})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiErrors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}
