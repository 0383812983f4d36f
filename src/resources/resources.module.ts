import { Module } from '@nestjs/common';
import { AnalyzeModule } from '../analyze/analyze.module';
import { CacheModule } from '../cache/cache.module';
import { KINDS } from '../kinds/kinds';
import { StoreModule } from '../store/store.module';
import { WatchModule } from '../watch/watch.module';
import { createResourceController } from './resource.controller';
import { ResourceService } from './resource.service';

@Module({
  imports: [StoreModule, CacheModule, AnalyzeModule, WatchModule],
  controllers: KINDS.map(createResourceController),
  providers: [ResourceService],
  exports: [ResourceService],
})
export class ResourcesModule {}
