import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AccessGate } from '../auth/access-gate.service';
import { actorOf, CurrentPrincipal, Principal } from '../auth/principal';
import { importChecks } from '../auth/registry-access';
import { negotiateFormat } from '../common/codec';
import { RAW_BODY_ROUTE } from '../common/raw-body';
import { EXAMPLE_NAME, EXAMPLE_NAMESPACE } from '../docs/example-names';
import { ApiRequestContent } from '../docs/request-content';
import { ExportQueryDto, ImportQueryDto, ManifestQueryDto } from './dto/manifests.dto';
import { exportFilterOf, wantsJsonList } from './export-query';
import { ExportService } from './export.service';
import { abortedImportStatus, ImportGate } from './import-gate';
import { importReportJsonChunks } from './import-report';
import { ImportReport, ImportService } from './import.service';
import { EXAMPLE_MANIFEST_JSON_LIST, EXAMPLE_MANIFEST_YAML } from './manifest-example';
import { renderJsonListChunks } from './json-list';
import { manifestErrorDocs } from './manifests-openapi';
import { renderYamlStream, renderYamlStreamChunks } from './yaml-stream';

const YAML = 'application/yaml';
const JSON_TYPE = 'application/json';

const yamlExample = { schema: { type: 'string' }, example: EXAMPLE_MANIFEST_YAML };
const jsonListExample = { schema: { type: 'object' }, example: JSON.parse(EXAMPLE_MANIFEST_JSON_LIST) as object };

/** Shown in the page (and by browsers) unless asked for as a download; the file name is offered either way. */
const disposition = (download: boolean | undefined, filename: string) =>
  `${download ? 'attachment' : 'inline'}; filename="${filename}"`;

@ApiTags('manifests')
@Controller('registry/v1')
export class ManifestsController {
  constructor(
    @Inject(ExportService) private readonly exportService: ExportService,
    @Inject(ImportService) private readonly importService: ImportService,
    @Inject(ImportGate) private readonly imports: ImportGate,
    @Inject(AccessGate) private readonly access: AccessGate,
  ) {}

  /** The WorkloadEntry and every ServiceEntry selecting it, ready for `kubectl apply -f -`. */
  @Get('namespaces/:namespace/workloadentries/:name/manifest')
  @ApiOperation({ operationId: 'getWorkloadManifest', summary: 'The manifest of a workload: its WorkloadEntry and the ServiceEntries that select it (YAML)' })
  @ApiParam({ name: 'namespace', example: EXAMPLE_NAMESPACE })
  @ApiParam({ name: 'name', example: EXAMPLE_NAME, description: 'The WorkloadEntry.' })
  @ApiProduces(YAML)
  @ApiOkResponse({ description: 'A YAML stream for `kubectl apply -f -`: the WorkloadEntry, then the ServiceEntries that select it.', content: { [YAML]: yamlExample } })
  @manifestErrorDocs.manifest
  async getWorkloadManifest(@Param('namespace') namespace: string, @Param('name') name: string, @Query() query: ManifestQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const manifests = await this.exportService.workloadManifest(namespace, name);
    await reply
      .type(YAML)
      .header('content-disposition', disposition(query.download, `${namespace}-${name}.yaml`))
      .send(renderYamlStream(manifests));
  }

  /** Everything a filter matches, streamed as clean YAML documents (or a JSON List with Accept: application/json). */
  @Get('export')
  @ApiOperation({ operationId: 'exportManifests', summary: 'Export manifests (multi-document YAML or JSON List), streamed' })
  @ApiProduces(YAML, JSON_TYPE)
  @ApiOkResponse({ description: 'Every object matched, as clean manifests.', content: { [YAML]: yamlExample, [JSON_TYPE]: jsonListExample } })
  @manifestErrorDocs.export
  async exportManifests(@Query() query: ExportQueryDto, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const objects = this.exportService.objects(exportFilterOf(query));
    const json = wantsJsonList(accept);
    const chunks = json ? renderJsonListChunks(objects) : renderYamlStreamChunks(objects);
    await reply
      .type(json ? JSON_TYPE : YAML)
      .header('content-disposition', disposition(query.download, `mesh-registry-export.${json ? 'json' : 'yaml'}`))
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
  @ApiRequestContent({ [YAML]: yamlExample, [JSON_TYPE]: jsonListExample })
  @manifestErrorDocs.import
  async importManifests(
    @Query() query: ImportQueryDto, @Body() body: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportReport | undefined> {
    const options = {
      dryRun: query.dryRun === 'All', defaultNamespace: query.namespace ?? 'default', signal: this.imports.signalFor(request),
      actor: actorOf(principal), refuse: (object: Parameters<typeof importChecks>[0]) => this.access.refusal(principal, importChecks(object)),
    };
    const report = await this.importService.import(body, options).catch((error: unknown) => {
      throw abortedImportStatus(error) ?? error;
    });
    void reply.status(report.summary.failed > 0 ? 422 : 200);
    if (negotiateFormat(request.headers.accept) === 'yaml') return report;
    await reply.type('application/json').send(Readable.from(importReportJsonChunks(report)));
    return undefined;
  }
}
