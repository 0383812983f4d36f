import { Module } from '@nestjs/common';
import { ResourceRepository } from './resource.repository';

/** Data access for every kind: the one module that talks to the resources tables. */
@Module({ providers: [ResourceRepository], exports: [ResourceRepository] })
export class StoreModule {}
