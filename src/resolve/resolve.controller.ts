import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ResolveQueryDto } from './dto/resolve-query.dto';
import { ResolveResponseDto } from './dto/resolve-response.dto';
import { ResolveResult } from './endpoint-resolver';
import { ResolveService } from './resolve.service';

@ApiTags('registry')
@Controller('registry/v1')
export class ResolveController {
  constructor(@Inject(ResolveService) private readonly resolveService: ResolveService) {}

  /** Where traffic for a host goes: its endpoints, computed as istiod computes them, from memory. */
  @Get('resolve')
  @ApiOperation({ operationId: 'resolveHost', summary: 'Resolve the endpoints for a host' })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: ResolveResponseDto })
  @ApiNotFoundResponse({ description: 'No ServiceEntry visible to the caller has this host (a Status).' })
  resolveHost(@Query() query: ResolveQueryDto): Promise<ResolveResult> {
    return this.resolveService.resolve(query);
  }
}
