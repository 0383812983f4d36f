import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { apiErrors } from '../common/status';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedApis, aggregatedCoreApi } from './aggregated-discovery';
import { DiscoveryCatalog } from './discovery-catalog';
import {
  apiGroupDocument, apiGroupList, apiResourceList, coreApiVersions, coreResourceList, versionInfo,
} from './discovery-documents';
import { wantsAggregatedDiscovery } from './media-types';

/**
 * Answers in the aggregated form when the client asks for it first, with the Content-Type clients check
 * to tell the two forms apart. Sent as bytes so that Fastify keeps that Content-Type exactly as written.
 */
function negotiated(reply: FastifyReply, accept: string | undefined, aggregated: () => unknown, legacy: () => unknown): unknown {
  void reply.header('vary', 'Accept');
  if (!wantsAggregatedDiscovery(accept)) return legacy();
  void reply.header('content-type', AGGREGATED_DISCOVERY_CONTENT_TYPE);
  return Buffer.from(JSON.stringify(aggregated()));
}

/** The Kubernetes discovery routes kubectl reads before anything else. */
@ApiTags('kubectl')
@Controller()
export class DiscoveryController {
  constructor(@Inject(DiscoveryCatalog) private readonly catalog: DiscoveryCatalog) {}

  @Get('version')
  @ApiOperation({ operationId: 'getCodeVersion', summary: 'Server version (the Kubernetes API level served)' })
  getVersion() {
    return versionInfo();
  }

  @Get('api')
  @ApiOperation({ operationId: 'getCoreAPIVersions', summary: 'Core API versions (APIVersions, or aggregated discovery)' })
  getCoreApiVersions(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return negotiated(reply, accept, aggregatedCoreApi, coreApiVersions);
  }

  @Get('api/v1')
  @ApiOperation({ operationId: 'getCoreV1APIResources', summary: 'Core v1 resources (namespaces, read-only)' })
  getCoreResources() {
    return coreResourceList();
  }

  @Get('apis')
  @ApiOperation({ operationId: 'getAPIVersions', summary: 'API groups (APIGroupList, or aggregated discovery)' })
  getApiGroups(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return negotiated(reply, accept, () => aggregatedApis(this.catalog.kinds), () => apiGroupList(this.catalog.kinds));
  }

  @Get('apis/:group')
  @ApiOperation({ operationId: 'getAPIGroup', summary: 'One API group' })
  getApiGroup(@Param('group') group: string) {
    const served = this.catalog.group(group);
    if (!served) throw apiErrors.routeNotFound(`GET /apis/${group}`);
    return apiGroupDocument(served);
  }

  @Get('apis/:group/:version')
  @ApiOperation({ operationId: 'getAPIResources', summary: 'The resources of one group-version' })
  getApiResources(@Param('group') group: string, @Param('version') version: string) {
    const served = this.catalog.groupVersion(group, version);
    if (!served) throw apiErrors.routeNotFound(`GET /apis/${group}/${version}`);
    return apiResourceList(served);
  }
}
