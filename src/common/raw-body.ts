import { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Route config flag (`@RouteConfig({ [RAW_BODY_ROUTE]: true })`): the handler gets the body as text
 * (import streams hold many documents) and may be larger than the usual body limit.
 */
export const RAW_BODY_ROUTE = 'rawBody';

export const wantsRawBody = (request: FastifyRequest) =>
  (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[RAW_BODY_ROUTE] === true;

/** Whether a route being registered is a raw-body route. */
export const wantsRawBodyRoute = (route: { config?: unknown }) =>
  (route.config as Record<string, unknown> | undefined)?.[RAW_BODY_ROUTE] === true;

/** Gives raw-body routes their own, larger body limit. */
export function rawBodyLimit(fastify: FastifyInstance, limit: number): void {
  fastify.addHook('onRoute', (route) => {
    if (wantsRawBodyRoute(route)) route.bodyLimit = limit;
  });
}
