import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DiscoveryCatalog } from './discovery-catalog';
import { DiscoveryController } from './discovery.controller';
import { OpenApiController } from './openapi.controller';
import { TableInterceptor } from './table.interceptor';

/** What kubectl needs besides the resource routes: discovery, OpenAPI v3 and Table output for `get`. */
@Module({
  controllers: [DiscoveryController, OpenApiController],
  providers: [DiscoveryCatalog, { provide: APP_INTERCEPTOR, useClass: TableInterceptor }],
})
export class DiscoveryModule {}
