import { Controller, Get, Inject } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ResolveQuery, ResolveQueryPipe } from './dto/resolve-query.pipe';
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
  // Documents the query parameters as `@Query() query: ResolveQueryDto` would; ResolveQueryPipe validates
  // them as the global ValidationPipe would, faster (see resolve-query.pipe.ts).
  @ApiQuery({ type: ResolveQueryDto })
  resolveHost(@ResolveQuery(new ResolveQueryPipe()) query: ResolveQueryDto): ResolveResult | Promise<ResolveResult> {
    return this.resolveService.resolve(query);
  }
}
