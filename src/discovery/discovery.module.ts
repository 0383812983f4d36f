import { Module } from '@nestjs/common';
import { DiscoveryCatalog } from './discovery-catalog';
import { DiscoveryController } from './discovery.controller';
import { OpenApiController } from './openapi.controller';

/** What kubectl needs besides the resource routes: discovery and OpenAPI v3 (Table output: table-representation.ts). */
@Module({
  controllers: [DiscoveryController, OpenApiController],
  providers: [DiscoveryCatalog],
})
export class DiscoveryModule {}
