import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { apiErrors } from '../common/status';
import { DiscoveryCatalog } from './discovery-catalog';
import { openApiIndex, serverRelativeUrl } from './openapi-v3';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * OpenAPI v3 as kubectl reads it (`/openapi/v3`, then the document it points to). No `/openapi/v2`:
 * kubectl 1.32 only falls back to it when v3 is missing or does not list `fieldValidation`.
 */
@ApiTags('kubectl')
@Controller('openapi/v3')
export class OpenApiController {
  constructor(@Inject(DiscoveryCatalog) private readonly catalog: DiscoveryCatalog) {}

  @Get()
  @ApiOperation({ operationId: 'getOpenAPIV3Index', summary: 'Index of the OpenAPI v3 documents, one per group-version' })
  getOpenApiIndex(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-cache, private');
    return openApiIndex(this.catalog.openApiDocuments);
  }

  /**
   * With the current ?hash the document is immutable, so kubectl's HTTP cache keeps it for a year; a
   * stale hash redirects to the current one; the ETag answers revalidation with a 304.
   */
  @Get('apis/:group/:version')
  @ApiOperation({ operationId: 'getOpenAPIV3GroupVersion', summary: 'The OpenAPI v3 document of one group-version' })
  getOpenApiGroupVersion(
    @Param('group') group: string, @Param('version') version: string, @Query('hash') hash: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply,
  ): void {
    const doc = this.catalog.openApiDocument(group, version);
    if (!doc) throw apiErrors.routeNotFound(`GET /openapi/v3/apis/${group}/${version}`);
    if (hash && hash !== doc.hash) {
      void reply.redirect(serverRelativeUrl(doc), 301);
      return;
    }
    const etag = `"${doc.hash}"`;
    void reply.header('etag', etag);
    if (hash) void reply.header('cache-control', 'public, immutable').header('expires', new Date(Date.now() + YEAR_MS).toUTCString());
    else void reply.header('cache-control', 'no-cache, private');
    if (ifNoneMatch === etag) {
      void reply.code(304).send();
      return;
    }
    void reply.header('content-type', 'application/json').send(doc.body);
  }
}
