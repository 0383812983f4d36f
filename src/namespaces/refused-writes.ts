import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { namespaceWriteRefused } from './namespace-object';

type WriteAction = Parameters<typeof namespaceWriteRefused>[0];

const REFUSED_WRITE = 'refusedWrite';

/** Marks a route whose every request is refused with 405 for `action`, before its body is read. */
export const RefusedWrite = (action: WriteAction, operationId: string) =>
  applyDecorators(
    RouteConfig({ [REFUSED_WRITE]: action }),
    ApiOperation({ operationId, summary: `Refused: namespaces are derived from the objects, never written (${action})` }),
    ApiResponse({ status: 405, description: 'MethodNotAllowed', example: namespaceWriteRefused(action).status }),
  );

/**
 * Answers refused writes in onRequest, before Fastify looks for a body parser: kubectl sends core
 * objects as protobuf, which would otherwise get a 415 instead of the apiserver's 405.
 */
export function refuseWritesEarly(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const action = (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[REFUSED_WRITE];
    done(action ? namespaceWriteRefused(action as WriteAction) : undefined);
  });
}
