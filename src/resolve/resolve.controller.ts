import { applyDecorators, Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { apiErrors } from '../common/status';
import { statusResponses } from '../docs/status-responses';
import { ResolveQuery, ResolveQueryPipe } from './dto/resolve-query.pipe';
import { ResolveQueryDto } from './dto/resolve-query.dto';
import { ResolveResponseDto } from './dto/resolve-response.dto';
import { ResolveResult } from './endpoint-resolver';
import { ResolveService } from './resolve.service';

const resolveErrors = applyDecorators(
  ...statusResponses({}, [
    ['No ServiceEntry visible to the caller has this host', apiErrors.notFoundMessage('no ServiceEntry has host "reviews.bookinfo.com"')],
    ['resourceVersion is newer than this replica’s index after 2 s', apiErrors.timeout('Too large resource version: 1042, current: 1041')],
  ]),
);

@ApiTags('resolve')
@Controller('registry/v1')
export class ResolveController {
  constructor(@Inject(ResolveService) private readonly resolveService: ResolveService) {}

  /** Where traffic for a host goes: its endpoints, computed as istiod computes them, from memory. */
  @Get('resolve')
  @ApiOperation({ operationId: 'resolveHost', summary: 'Resolve the endpoints for a host' })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: ResolveResponseDto })
  @resolveErrors
  // Documents the query parameters as `@Query() query: ResolveQueryDto` would; ResolveQueryPipe validates
  // them as the global ValidationPipe would, faster (see resolve-query.pipe.ts).
  @ApiQuery({ type: ResolveQueryDto })
  resolveHost(@ResolveQuery(new ResolveQueryPipe()) query: ResolveQueryDto): ResolveResult | Promise<ResolveResult> {
    return this.resolveService.resolve(query);
  }
}
