import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { ResourcesModule } from '../resources/resources.module';
import { ExportService } from './export.service';
import { ImportService } from './import.service';
import { ManifestsController } from './manifests.controller';

@Module({
  imports: [CacheModule, ResourcesModule],
  controllers: [ManifestsController],
  providers: [ExportService, ImportService],
})
export class ManifestsModule {}
