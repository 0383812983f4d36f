import { Module } from '@nestjs/common';
import { NamespaceRepository } from '../store/namespace.repository';
import { NamespacesController } from './namespaces.controller';
import { NamespacesService } from './namespaces.service';

/** Core v1 Namespaces, read-only and derived from the objects (kubectl reads them). */
@Module({
  controllers: [NamespacesController],
  // Provided here rather than in StoreModule, which is being rewritten; it is still the store's query.
  providers: [NamespaceRepository, NamespacesService],
})
export class NamespacesModule {}
