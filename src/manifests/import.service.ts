import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiError, apiErrors, Status } from '../common/status';
import { TimeSlice } from '../common/time-slice';
import { KINDS, kindByName } from '../kinds/kinds';
import { ParsePool } from '../parsing/parse-pool';
import { ApplyPlan, ResourceService } from '../resources/resource.service';
import { WRITE_ADVISOR, WriteAdvisor } from '../resources/write-advisor';
import type { Actor } from '../store/resource.repository';
import { kindNamesOf } from './import-errors';
import { ParsedDocument } from './import-stream';
import { ImportReportBuilder } from './import-report';

export type { ImportReport, ImportDocumentReport, DocumentResult } from './import-report';

export interface ImportOptions {
  dryRun: boolean;
  defaultNamespace: string;
  /** Aborted when the server shuts down or the client goes away: nothing is written then. */
  signal?: AbortSignal;
  /** The 403 for a document the caller may not write, if any (its body names the kinds, so checked here). */
  refuse?: (object: { kind: string; namespace: string; name: string }) => ApiError | undefined;
  actor?: Actor;
}

type Planned = { document: ParsedDocument; plan: ApplyPlan } | { document: ParsedDocument; failure: Status };

const KIND_NAMES = KINDS.map(kindNamesOf);

/**
 * Import: every document is parsed (in a parse worker) and validated as it arrives; only when all of
 * them pass are the changes written, in one transaction. A failure anywhere leaves the registry exactly
 * as it was.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(ResourceService) private readonly resources: ResourceService,
    @Inject(ParsePool) private readonly parser: ParsePool,
    @Inject(WRITE_ADVISOR) private readonly advisor: WriteAdvisor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(text: string, options: ImportOptions) {
    // Plans are made against this replica's cache: first make it hold every acknowledged write.
    await this.resources.sync();
    const planned: Planned[] = [];
    // Planning, advice and the report read this replica's memory and never wait on I/O: every few ms
    // they give the event loop a turn, so that /healthz and resolve are answered during a big import.
    const slice = new TimeSlice();
    for await (const batch of this.parser.importDocuments(text, this.streamOptions(options), options.signal)) {
      refuseForbidden(batch, options);
      for (const document of batch) {
        options.signal?.throwIfAborted();
        planned.push(this.plan(document));
        await slice.yieldIfDue();
      }
    }
    if (planned.length === 0) throw apiErrors.badRequest('the import body holds no documents');
    const plans = planned.flatMap((p) => ('plan' in p ? [{ plan: p.plan, index: p.document.index }] : []));
    await this.adviseAsImported(plans.map((p) => p.plan), slice);
    const report = new ImportReportBuilder(options.dryRun);
    for (const p of planned) {
      report.add(p.document, 'plan' in p ? { plan: p.plan } : { failure: p.failure });
      await slice.yieldIfDue();
    }
    if (report.failed > 0 || options.dryRun) return report.build(false);

    options.signal?.throwIfAborted();
    const changing = plans.filter((p) => p.plan.action !== 'unchanged');
    const outcome = await this.resources.commitPlans(changing.map((c) => c.plan), options.actor);
    if ('conflict' in outcome) {
      const { index, plan } = changing[outcome.conflict];
      const ref = { group: plan.kind.group, plural: plan.kind.plural, kind: plan.kind.kind, name: plan.object.metadata.name! };
      report.conflict(index, withDocument(index, apiErrors.conflict(ref).status));
      return report.build(false);
    }
    return report.build(true);
  }

  /**
   * planApply's registry findings look at each object alone against the registry as it is; an import
   * is judged as the registry will be after it (a ServiceEntry and the WorkloadEntry it selects,
   * imported together, select each other). The alone findings are swapped for the together ones.
   */
  private async adviseAsImported(plans: ApplyPlan[], slice: TimeSlice): Promise<void> {
    const together = await this.advisor.adviseTogether(plans.map((p) => p.object), slice);
    for (const [i, plan] of plans.entries()) {
      const alone = new Set(this.advisor.advise(plan.object));
      plan.warnings = [...plan.warnings.filter((w) => !alone.has(w)), ...together[i]];
      await slice.yieldIfDue();
    }
  }

  private streamOptions(options: ImportOptions) {
    return {
      maxDocumentBytes: this.config.bodyLimitBytes,
      maxDocuments: this.config.importMaxDocuments,
      maxAliases: this.config.yamlMaxAliases,
      kinds: KIND_NAMES,
      defaultNamespace: options.defaultNamespace,
    };
  }

  private plan(document: ParsedDocument): Planned {
    if (document.error || !document.object) return { document, failure: document.error! };
    const kind = kindByName(document.object.kind)!;
    try {
      return { document, plan: this.resources.planApply(kind, document.object, document.object.metadata.namespace!, 'Strict') };
    } catch (error) {
      if (error instanceof ApiError) return { document, failure: withDocument(document.index, error.status) };
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
