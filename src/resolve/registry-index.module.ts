import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { RegistryIndexService } from './registry-index.service';

/** This replica's in-memory view of the registry, shared by resolve and the analyzers. */
@Module({ imports: [StoreModule], providers: [RegistryIndexService], exports: [RegistryIndexService] })
export class RegistryIndexModule {}
