import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiError, apiErrors, Status } from '../common/status';
import { kindByName } from '../kinds/kinds';
import { ApplyPlan, ResourceService } from '../resources/resource.service';
import type { Actor } from '../store/resource.repository';
import { ParsedDocument, parseImportStream } from './import-stream';

export type DocumentResult = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ImportDocumentReport {
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result: DocumentResult;
  /** For a failed document: why, as a Kubernetes Status (causes carry the field). */
  status?: Status;
  warnings?: string[];
}

export interface ImportReport {
  kind: 'ImportResult';
  dryRun: boolean;
  /** True when the changes were stored (never on dry-run, never when a document failed). */
  applied: boolean;
  results: ImportDocumentReport[];
}

export interface ImportOptions {
  dryRun: boolean;
  defaultNamespace: string;
  /** The 403 for a document the caller may not write, if any (its body names the kinds, so checked here). */
  refuse?: (object: { kind: string; namespace: string; name: string }) => ApiError | undefined;
  actor?: Actor;
}

const PLANNING_CONCURRENCY = 8;

/**
 * Import: every document is parsed and validated first; only when all of them pass are the changes
 * written, in one transaction. A failure anywhere leaves the registry exactly as it was.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(ResourceService) private readonly resources: ResourceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(text: string, options: ImportOptions): Promise<ImportReport> {
    const documents = parseImportStream(text, { maxDocumentBytes: this.config.bodyLimitBytes, defaultNamespace: options.defaultNamespace });
    if (documents.length === 0) throw apiErrors.badRequest('the import body holds no documents');
    refuseForbidden(documents, options);
    // Plans are made against this replica's cache: first make it hold every acknowledged write.
    await this.resources.sync();
    const planned: Awaited<ReturnType<ImportService['plan']>>[] = [];
    // A few at a time: planning reads the current object, and a large stream must not drain the pool.
    for (let start = 0; start < documents.length; start += PLANNING_CONCURRENCY) {
      planned.push(...(await Promise.all(documents.slice(start, start + PLANNING_CONCURRENCY).map((d) => this.plan(d)))));
    }
    const failed = planned.some((p) => 'failure' in p);
    const results = planned.map((p, index) => report(documents[index], p));
    if (failed || options.dryRun) return { kind: 'ImportResult', dryRun: options.dryRun, applied: false, results };

    const changing = planned.flatMap((p, index) => ('plan' in p && p.plan.action !== 'unchanged' ? [{ plan: p.plan, index }] : []));
    const outcome = await this.resources.commitPlans(changing.map((c) => c.plan), options.actor);
    if ('conflict' in outcome) {
      const { index, plan } = changing[outcome.conflict];
      const status = apiErrors.conflict({ group: plan.kind.group, plural: plan.kind.plural, kind: plan.kind.kind, name: plan.object.metadata.name! }).status;
      results[index] = { ...results[index], result: 'failed', status: withDocument(index, status) };
      return { kind: 'ImportResult', dryRun: false, applied: false, results };
    }
    return { kind: 'ImportResult', dryRun: false, applied: true, results };
  }

  private async plan(document: ParsedDocument): Promise<{ plan: ApplyPlan } | { failure: Status }> {
    if (document.error || !document.object) return { failure: document.error! };
    const kind = kindByName(document.object.kind)!;
    try {
      return { plan: await this.resources.planApply(kind, document.object, document.object.metadata.namespace!, 'Strict') };
    } catch (error) {
      if (error instanceof ApiError) return { failure: withDocument(document.index, error.status) };
      throw error;
    }
  }
}

/** Nothing is planned, let alone written, when the caller may not write one of the documents. */
function refuseForbidden(documents: ParsedDocument[], options: ImportOptions): void {
  for (const document of documents) {
    const object = document.object;
    if (!object || !options.refuse) continue;
    const refused = options.refuse({ kind: object.kind, namespace: object.metadata.namespace!, name: object.metadata.name ?? '' });
    if (refused) throw new ApiError(withDocument(document.index, refused.status));
  }
}

function withDocument(index: number, status: Status): Status {
  return status.message?.startsWith('document ') ? status : { ...status, message: `document ${index}: ${status.message ?? status.reason}` };
}

function report(document: ParsedDocument, planned: { plan: ApplyPlan } | { failure: Status }): ImportDocumentReport {
  const meta = document.object?.metadata;
  const identity = { index: document.index, kind: document.object?.kind, namespace: meta?.namespace, name: meta?.name };
  if ('failure' in planned) return { ...identity, result: 'failed', status: planned.failure };
  const warnings = planned.plan.warnings.length > 0 ? { warnings: planned.plan.warnings } : {};
  return { ...identity, result: planned.plan.action, ...warnings };
}
