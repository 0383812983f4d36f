import { Module } from '@nestjs/common';
import { AnalyzeModule } from '../analyze/analyze.module';
import { CacheModule } from '../cache/cache.module';
import { KINDS } from '../kinds/kinds';
import { StoreModule } from '../store/store.module';
import { WatchModule } from '../watch/watch.module';
import { GarbageCollector } from './garbage-collector.service';
import { createResourceController } from './resource.controller';
import { ResourceService } from './resource.service';

@Module({
  imports: [StoreModule, CacheModule, AnalyzeModule, WatchModule],
  controllers: KINDS.map(createResourceController),
  providers: [ResourceService, GarbageCollector],
  exports: [ResourceService, GarbageCollector],
})
export class ResourcesModule {}
