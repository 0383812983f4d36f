import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res, StreamableFile, Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SUPPORTED_FIELD_SELECTORS } from '../cache/object-cache';
import { KubeObject } from '../common/kube-object';
import { Status } from '../common/status';
import { setWarnings } from '../common/warnings';
import { KindDefinition } from '../kinds/kind-definition';
import { RequestActor } from '../auth/principal';
import type { Actor } from '../store/resource.repository';
import { parseDeleteOptions } from './delete-options';
import { patchTypeOf } from './patch';
import { isWatch, parseGetFreshness, parseListOptions, parseWatchOptions, parseWriteOptions, Query as QueryParams } from './request-options';
import { resourceDocs } from './resource-openapi';
import { KubeList, ResourceService, WriteOutcome } from './resource.service';
import { WatchHub } from '../watch/watch-hub.service';

function respond(reply: FastifyReply, outcome: WriteOutcome): KubeObject {
  setWarnings(reply, outcome.warnings);
  void reply.status(outcome.created ? 201 : 200);
  return outcome.object;
}

/**
 * The Kubernetes REST routes of one kind, under the paths an API server serves a CRD on. One class per
 * kind (so Swagger UI documents each kind's schema and examples), all of it generic.
 */
export function createResourceController(kind: KindDefinition): Type<unknown> {
  const collection = `namespaces/:namespace/${kind.plural}`;
  const item = `${collection}/:name`;
  const listOptions = (query: QueryParams) => parseListOptions(query, SUPPORTED_FIELD_SELECTORS);

  @ApiTags(kind.kind)
  @Controller(`apis/${kind.group}/${kind.version}`)
  class ResourceController {
    constructor(
      @Inject(ResourceService) private readonly resources: ResourceService,
      @Inject(WatchHub) private readonly watches: WatchHub,
    ) {}

    @Get(kind.plural)
    @resourceDocs.list(kind, true)
    listAll(@Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<KubeList | StreamableFile> {
      return isWatch(query) ? this.watch(undefined, query, request, reply) : this.resources.list(kind, undefined, listOptions(query));
    }

    @Get(collection)
    @resourceDocs.list(kind, false)
    list(@Param('namespace') namespace: string, @Query() query: QueryParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<KubeList | StreamableFile> {
      return isWatch(query) ? this.watch(namespace, query, request, reply) : this.resources.list(kind, namespace, listOptions(query));
    }

    /** `?watch=true`: a stream of events, one JSON object a line, with its headers sent at once. */
    private async watch(namespace: string | undefined, query: QueryParams, request: FastifyRequest, reply: FastifyReply): Promise<StreamableFile> {
      const options = parseWatchOptions(query, SUPPORTED_FIELD_SELECTORS);
      const stream = await this.watches.open({ kind, namespace, options, accept: request.headers.accept, includeObject: query.includeObject });
      request.raw.once('close', () => stream.destroy());
      void reply.header('content-type', 'application/json').header('cache-control', 'no-cache, private');
      // Fastify sets the head, then pipes the stream: flush the head then, before any event exists. (A
      // StreamableFile, because Nest holds back a plain stream's head until its first chunk.)
      reply.raw.once('pipe', () => reply.raw.flushHeaders());
      return new StreamableFile(stream);
    }

    @Post(collection)
    @resourceDocs.create(kind)
    async create(@Param('namespace') namespace: string, @Query() query: QueryParams, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply, @RequestActor() actor: Actor): Promise<KubeObject> {
      return respond(reply, await this.resources.create(kind, namespace, body, { ...parseWriteOptions(query), actor }));
    }

    @Delete(collection)
    @HttpCode(200)
    @resourceDocs.deleteCollection(kind)
    deleteCollection(@Param('namespace') namespace: string, @Query() query: QueryParams, @Body() body: unknown, @RequestActor() actor: Actor): Promise<KubeList> {
      return this.resources.deleteCollection(kind, namespace, listOptions(query), parseDeleteOptions(body, query), actor);
    }

    @Get(item)
    @resourceDocs.get(kind)
    get(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams): Promise<KubeObject> {
      return this.resources.get(kind, { namespace, name }, parseGetFreshness(query));
    }

    @Put(item)
    @resourceDocs.replace(kind)
    async replace(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply, @RequestActor() actor: Actor): Promise<KubeObject> {
      return respond(reply, await this.resources.replace(kind, { namespace, name }, body, { ...parseWriteOptions(query), actor }));
    }

    @Patch(item)
    @resourceDocs.patch(kind)
    async patch(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams, @Headers('content-type') contentType: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply, @RequestActor() actor: Actor): Promise<KubeObject> {
      return respond(reply, await this.resources.patch(kind, { namespace, name }, patchTypeOf(contentType), body, { ...parseWriteOptions(query), actor }));
    }

    @Delete(item)
    @HttpCode(200)
    @resourceDocs.delete(kind)
    delete(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams, @Body() body: unknown, @RequestActor() actor: Actor): Promise<Status> {
      return this.resources.delete(kind, { namespace, name }, parseDeleteOptions(body, query), actor);
    }

    @Get(`${item}/status`)
    @resourceDocs.get(kind, 'Status')
    getStatus(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams): Promise<KubeObject> {
      return this.resources.get(kind, { namespace, name }, parseGetFreshness(query));
    }

    @Put(`${item}/status`)
    @resourceDocs.replace(kind, 'Status')
    async replaceStatus(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply, @RequestActor() actor: Actor): Promise<KubeObject> {
      return respond(reply, await this.resources.replaceStatus(kind, { namespace, name }, body, { ...parseWriteOptions(query), actor }));
    }

    @Patch(`${item}/status`)
    @resourceDocs.patch(kind, 'Status')
    async patchStatus(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: QueryParams, @Headers('content-type') contentType: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply, @RequestActor() actor: Actor): Promise<KubeObject> {
      return respond(reply, await this.resources.patchStatus(kind, { namespace, name }, patchTypeOf(contentType), body, { ...parseWriteOptions(query), actor }));
    }
  }

  Object.defineProperty(ResourceController, 'name', { value: `${kind.kind}Controller` });
  return ResourceController;
}
