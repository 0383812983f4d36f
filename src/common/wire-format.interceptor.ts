import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { contentTypeOf, encode, negotiateFormat } from './codec';

/** Answers in YAML when the client asks for it (`Accept: application/yaml`); JSON otherwise. */
@Injectable()
export class WireFormatInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const format = negotiateFormat(http.getRequest<FastifyRequest>().headers.accept);
    if (format !== 'yaml') return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined || typeof body === 'string' || reply.sent) return body;
        void reply.header('content-type', contentTypeOf(format));
        return encode(body, format);
      }),
    );
  }
}
