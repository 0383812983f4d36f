import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { negotiateFormat } from '../common/codec';
import { RAW_BODY_ROUTE } from '../common/raw-body';
import { ExportQueryDto, ImportQueryDto, ImportReportDto } from './dto/manifests.dto';
import { exportFilterOf, wantsJsonList } from './export-query';
import { ExportService } from './export.service';
import { abortedImportStatus, ImportGate } from './import-gate';
import { importReportJsonChunks } from './import-report';
import { ImportReport, ImportService } from './import.service';
import { DETAILS_YAML } from './manifest-example';
import { renderJsonListChunks } from './json-list';
import { renderYamlStream, renderYamlStreamChunks } from './yaml-stream';

const YAML = 'application/yaml';

const MANIFEST_EXAMPLE = DETAILS_YAML;


@ApiTags('registry')
@Controller('registry/v1')
export class ManifestsController {
  constructor(
    @Inject(ExportService) private readonly exportService: ExportService,
    @Inject(ImportService) private readonly importService: ImportService,
    @Inject(ImportGate) private readonly gate: ImportGate,
  ) {}

  /** The WorkloadEntry and every ServiceEntry selecting it, ready for `kubectl apply -f -`. */
  @Get('namespaces/:namespace/workloadentries/:name/manifest')
  @ApiOperation({ operationId: 'getWorkloadManifest', summary: 'Download the manifest of a workload (multi-document YAML)' })
  @ApiProduces(YAML)
  @ApiOkResponse({ description: 'A YAML stream: the WorkloadEntry, then the ServiceEntries that select it.', schema: { type: 'string', example: MANIFEST_EXAMPLE } })
  async getWorkloadManifest(@Param('namespace') namespace: string, @Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const manifests = await this.exportService.workloadManifest(namespace, name);
    await reply
      .type(YAML)
      .header('content-disposition', `attachment; filename="${namespace}-${name}.yaml"`)
      .send(renderYamlStream(manifests));
  }

  /** Everything a filter matches, streamed as clean YAML documents (or a JSON List with Accept: application/json). */
  @Get('export')
  @ApiOperation({ operationId: 'exportManifests', summary: 'Export manifests (multi-document YAML or JSON List), streamed' })
  @ApiProduces(YAML, 'application/json')
  @ApiOkResponse({ schema: { type: 'string', example: MANIFEST_EXAMPLE } })
  async exportManifests(@Query() query: ExportQueryDto, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const objects = this.exportService.objects(exportFilterOf(query));
    const json = wantsJsonList(accept);
    const chunks = json ? renderJsonListChunks(objects) : renderYamlStreamChunks(objects);
    await reply
      .type(json ? 'application/json' : YAML)
      .header('content-disposition', `attachment; filename="mesh-registry-export.${json ? 'json' : 'yaml'}"`)
      .send(Readable.from(chunks));
  }

  /** Create or update every object of a YAML stream or JSON List, all or nothing. */
  @Post('import')
  @HttpCode(200)
  @RouteConfig({ [RAW_BODY_ROUTE]: true })
  @ApiOperation({
    operationId: 'importManifests',
    summary: 'Import manifests (multi-document YAML or JSON List), all or nothing',
    description: 'Each object is created, replaced (configured) or left unchanged. Every document is validated first; if any fails, nothing is stored and the response names the failing documents (422).',
  })
  @ApiConsumes(YAML, 'application/json')
  @ApiBody({ schema: { type: 'string', example: MANIFEST_EXAMPLE } })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiUnprocessableEntityResponse({ type: ImportReportDto, description: 'A document failed; nothing was stored.' })
  @ApiTooManyRequestsResponse({ description: 'Too many imports in progress: a Status with details.retryAfterSeconds, and Retry-After.' })
  async importManifests(
    @Query() query: ImportQueryDto, @Body() body: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReport | undefined> {
    const options = { dryRun: query.dryRun === 'All', defaultNamespace: query.namespace ?? 'default', signal: this.gate.signalFor(request) };
    const report = await this.importService.import(body, options).catch((error: unknown) => {
      throw abortedImportStatus(error) ?? error;
    });
    void reply.status(report.summary.failed > 0 ? 422 : 200);
    if (negotiateFormat(request.headers.accept) === 'yaml') return report;
    await reply.type('application/json').send(Readable.from(importReportJsonChunks(report)));
    return undefined;
  }
}
