import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { RegistryIndexService } from './registry-index.service';

/** This replica's host and label index over the cache, shared by resolve and the analyzers. */
@Module({ imports: [CacheModule], providers: [RegistryIndexService], exports: [RegistryIndexService] })
export class RegistryIndexModule {}
