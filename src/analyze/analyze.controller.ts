import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AnalyzeQueryDto, AnalyzeReportDto } from './dto/analyze.dto';
import { AnalyzeReport, AnalyzeService } from './analyze.service';

@ApiTags('analyze')
@Controller('registry/v1')
export class AnalyzeController {
  constructor(@Inject(AnalyzeService) private readonly analyzeService: AnalyzeService) {}

  /**
   * Cross-object checks istiod and istioctl analyze never make: selectors that select nothing, unused
   * or silently ignored WorkloadEntries, unknown port names, duplicate addresses, conflicting protocols.
   */
  @Get('analyze')
  @ApiOperation({ operationId: 'analyzeRegistry', summary: 'Analyze the registry for cross-object problems' })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: AnalyzeReportDto })
  analyzeRegistry(@Query() query: AnalyzeQueryDto): Promise<AnalyzeReport> {
    return this.analyzeService.analyze(query.namespace);
  }
}
