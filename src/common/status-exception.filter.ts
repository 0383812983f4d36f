import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SUPPORTED_PATCH_TYPES } from '../resources/patch';
import { contentTypeOf, encode, negotiateFormat } from './codec';
import { wantsRawBody } from './raw-body';
import { isDatabaseUnavailable } from '../database/database-errors';
import { ApiError, apiErrors } from './status';

/** What a client is told to wait when the database is unreachable: replicas reconnect within a second. */
const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * The one place errors become HTTP responses: every error is a Kubernetes `Status`. Unknown errors are
 * logged with their stack and answered with a 500 that names only the request id.
 */
@Catch()
export class StatusExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(StatusExceptionFilter.name);

  constructor(
    private readonly bodyLimitBytes: number,
    private readonly importBodyLimitBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toApiError(exception, request);
    const format = negotiateFormat(request.headers.accept);
    const retryAfter = error.status.details?.retryAfterSeconds;
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    void reply.status(error.code).header('content-type', contentTypeOf(format)).send(encode(error.status, format));
  }

  private toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;
    const statusCode = httpStatusOf(exception);
    if (statusCode === 404) return apiErrors.routeNotFound(`${request.method} ${request.url.split('?')[0]}`);
    if (statusCode === 405) return apiErrors.methodNotAllowed(request.method);
    if (statusCode === 413) return apiErrors.tooLarge(wantsRawBody(request) ? this.importBodyLimitBytes : this.bodyLimitBytes);
    if (statusCode === 415) {
      // A PATCH of a type Fastify has no parser for (strategic merge, server-side apply) names the patch types.
      const supported = request.method === 'PATCH' ? SUPPORTED_PATCH_TYPES : ['application/json', 'application/yaml'];
      return apiErrors.unsupportedMediaType(String(request.headers['content-type']), supported);
    }
    if (statusCode === 400) return apiErrors.badRequest(messageOf(exception));
    if (statusCode !== undefined) return apiErrors.clientError(statusCode, messageOf(exception));
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`request ${request.id}: the database is not reachable: ${(exception as Error)?.message ?? String(exception)}`);
      return apiErrors.serviceUnavailable('the database is not reachable; retry in a moment', DATABASE_RETRY_AFTER_SECONDS);
    }
    this.logger.error(`request ${request.id} failed: ${(exception as Error)?.stack ?? String(exception)}`);
    return apiErrors.internal(String(request.id));
  }
}

/** Nest HttpExceptions and Fastify's own errors (body too large, bad JSON, unknown media type) carry a status. */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const code = (exception as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

function messageOf(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'object' ? (response as { message?: unknown }).message : response;
    return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
  }
  return (exception as Error)?.message ?? 'bad request';
}
