import { Module } from '@nestjs/common';
import { RegistryIndexModule } from '../resolve/registry-index.module';
import { WRITE_ADVISOR } from '../resources/write-advisor';
import { AnalyzeController } from './analyze.controller';
import { AnalyzeService } from './analyze.service';

@Module({
  imports: [RegistryIndexModule],
  controllers: [AnalyzeController],
  providers: [AnalyzeService, { provide: WRITE_ADVISOR, useExisting: AnalyzeService }],
  exports: [WRITE_ADVISOR],
})
export class AnalyzeModule {}
