import { Module } from '@nestjs/common';
import { ResourcesModule } from '../resources/resources.module';
import { RegistryIndexService } from './registry-index.service';
import { ResolveController } from './resolve.controller';
import { ResolveService } from './resolve.service';

@Module({
  imports: [ResourcesModule],
  controllers: [ResolveController],
  providers: [RegistryIndexService, ResolveService],
  exports: [RegistryIndexService],
})
export class ResolveModule {}
