import { Module } from '@nestjs/common';
import { KINDS } from '../kinds/kinds';
import { createResourceController } from './resource.controller';
import { ResourceRepository } from './resource.repository';
import { ResourceService } from './resource.service';

@Module({
  controllers: KINDS.map(createResourceController),
  providers: [ResourceRepository, ResourceService],
  exports: [ResourceRepository, ResourceService],
})
export class ResourcesModule {}
