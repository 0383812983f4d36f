import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { StoreModule } from '../store/store.module';
import { WatchHub } from './watch-hub.service';

/** Kubernetes watch on every list route, fanned out from this replica's change feed. */
@Module({ imports: [CacheModule, StoreModule], providers: [WatchHub], exports: [WatchHub] })
export class WatchModule {}
