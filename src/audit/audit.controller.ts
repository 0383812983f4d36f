import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { apiErrors } from '../common/status';
import { KINDS } from '../kinds/kinds';
import { AuditRecord, AuditRepository } from '../store/audit.repository';
import { AuditQueryDto } from './dto/audit-query.dto';

export interface AuditList {
  kind: 'AuditList';
  apiVersion: 'registry.mesh.io/v1alpha1';
  metadata: { continue?: string };
  items: AuditRecord[];
}

const DEFAULT_LIMIT = 100;

@ApiTags('operations')
@Controller('registry/v1')
export class AuditController {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  /**
   * Who changed what and when: every write of the change log with its actor (token id and subject),
   * newest first. The log keeps CHANGE_LOG_RETENTION_SECONDS (an hour by default) of history.
   */
  @Get('audit')
  @ApiOperation({ operationId: 'listAuditTrail', summary: 'Who changed what and when (from the change log), newest first' })
  @ApiProduces('application/json', 'application/yaml')
  async listAuditTrail(@Query() query: AuditQueryDto): Promise<AuditList> {
    const kind = query.kind && KINDS.find((k) => k.kind.toLowerCase() === query.kind!.toLowerCase() || k.plural === query.kind!.toLowerCase());
    if (query.kind && !kind) throw apiErrors.badRequest(`kind: Unsupported value: "${query.kind}": supported values: ${KINDS.map((k) => `"${k.kind}"`).join(', ')}`);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items = await this.audit.changes({
      namespace: query.namespace, kind: kind ? kind.kind : undefined, name: query.name, tokenId: query.tokenId, limit,
      before: query.continue ? BigInt(query.continue) : undefined,
    });
    const more = items.length === limit ? { continue: items[items.length - 1].resourceVersion } : {};
    return { kind: 'AuditList', apiVersion: 'registry.mesh.io/v1alpha1', metadata: more, items };
  }
}
