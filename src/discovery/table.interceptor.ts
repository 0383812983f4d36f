import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { DiscoveryCatalog } from './discovery-catalog';
import { wantsTable } from './media-types';
import { parseIncludeObject, tableForBody } from './table';

/**
 * Answers a GET of a resource or a resource list with a meta.k8s.io/v1 Table when the client asks for
 * one (`kubectl get`). Touches nothing else: other methods, other Accept headers, and bodies that are
 * not objects of a served kind (errors, discovery) pass through unchanged.
 */
@Injectable()
export class TableInterceptor implements NestInterceptor {
  constructor(@Inject(DiscoveryCatalog) private readonly catalog: DiscoveryCatalog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' || !wantsTable(request.headers.accept)) return next.handle();
    const include = parseIncludeObject((request.query as Record<string, unknown> | undefined)?.includeObject);
    return next.handle().pipe(map((body: unknown) => tableForBody(this.catalog.kinds, body, include, new Date()) ?? body));
  }
}
