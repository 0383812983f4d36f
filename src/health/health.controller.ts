import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { apiErrors } from '../common/status';
import { Database } from '../database/database';
import { Metrics } from '../observability/metrics';

const DATABASE_UNREACHABLE = () => apiErrors.serviceUnavailable('the database is not reachable');

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Liveness: the process serves HTTP. Touches nothing else, so a database outage never restarts pods. */
  @Get('healthz')
  @Header('content-type', 'text/plain')
  @ApiOkResponse({ description: 'The process is alive.' })
  getLiveness(): string {
    return 'ok';
  }

  /** Readiness: the database answers. 503 otherwise, so load balancers stop sending traffic. */
  @Get('readyz')
  @Header('content-type', 'text/plain')
  @ApiOkResponse({ description: 'The database is reachable.' })
  @ApiServiceUnavailableResponse({ description: 'The database is not reachable.', example: DATABASE_UNREACHABLE().status })
  async getReadiness(): Promise<string> {
    if (!(await this.database.isReachable())) throw DATABASE_UNREACHABLE();
    return 'ok';
  }

  /** Prometheus metrics. */
  @Get('metrics')
  @HttpCode(200)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format: requests by route and status, latency, database pool, process.' })
  async getMetrics(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
