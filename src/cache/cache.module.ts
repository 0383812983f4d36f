import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { ChangeFeed } from './change-feed.service';

/** This replica's in-memory copy of the registry, fed by the change log: what every read is served from. */
@Module({ imports: [StoreModule], providers: [ChangeFeed], exports: [ChangeFeed] })
export class CacheModule {}
