import { Module } from '@nestjs/common';
import { AnalyzeModule } from '../analyze/analyze.module';
import { CacheModule } from '../cache/cache.module';
import { ResourcesModule } from '../resources/resources.module';
import { ExportService } from './export.service';
import { ImportGate } from './import-gate';
import { ImportService } from './import.service';
import { ManifestsController } from './manifests.controller';

@Module({
  imports: [CacheModule, ResourcesModule, AnalyzeModule],
  controllers: [ManifestsController],
  providers: [ExportService, ImportService, ImportGate],
})
export class ManifestsModule {}
