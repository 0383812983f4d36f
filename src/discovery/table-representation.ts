import { FastifyRequest } from 'fastify';
import { KindDefinition } from '../kinds/kind-definition';
import { wantsTable } from './media-types';
import { parseIncludeObject, tableForBody } from './table';

/**
 * Answers a GET of a resource or a resource list with a meta.k8s.io/v1 Table when the client asks for
 * one (`kubectl get`). Touches nothing else: other methods, other Accept headers, and bodies that are
 * not objects of a served kind (errors, discovery) pass through unchanged.
 */
export function tableWhenAsked(kinds: readonly KindDefinition[]) {
  return (request: FastifyRequest, payload: unknown): unknown => {
    const accept = request.headers.accept;
    // Cheap test first: every Table request names it.
    if (request.method !== 'GET' || !accept || !accept.includes('Table') || !wantsTable(accept)) return payload;
    const include = parseIncludeObject((request.query as Record<string, unknown> | undefined)?.includeObject);
    return tableForBody(kinds, payload, include, new Date()) ?? payload;
  };
}
