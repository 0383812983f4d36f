import { Status } from '../common/status';
import type { ApplyPlan } from '../resources/resource.service';
import type { ParsedDocument } from './import-stream';

export type DocumentResult = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ImportDocumentReport {
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result: DocumentResult;
  /** For a failed document: why, as a Kubernetes Status (causes carry the field); only for the first failures. */
  status?: Status;
  warnings?: string[];
}

export interface ImportSummary {
  documents: number;
  created: number;
  configured: number;
  unchanged: number;
  failed: number;
  /** Failed documents listed without their Status, to keep the answer small (see MAX_DETAILED_FAILURES). */
  failuresWithoutDetail: number;
}

export interface ImportReport {
  kind: 'ImportResult';
  dryRun: boolean;
  /** True when the changes were stored (never on dry-run, never when a document failed). */
  applied: boolean;
  summary: ImportSummary;
  results: ImportDocumentReport[];
}

/**
 * The first this many failed documents carry their Status (with every cause); later ones only their
 * identity, so that an import of thousands of bad documents gets an answer of a few hundred bytes a
 * document instead of a copy of every message.
 */
export const MAX_DETAILED_FAILURES = 100;

/** Collects one line per document as they are planned, then the counts. */
export class ImportReportBuilder {
  private readonly results: ImportDocumentReport[] = [];
  private readonly counts = { created: 0, configured: 0, unchanged: 0, failed: 0, failuresWithoutDetail: 0 };

  constructor(private readonly dryRun: boolean) {}

  get documents(): number {
    return this.results.length;
  }

  get failed(): number {
    return this.counts.failed;
  }

  add(document: ParsedDocument, outcome: { plan: ApplyPlan } | { failure: Status }): void {
    const meta = document.object?.metadata;
    const identity = { index: document.index, kind: document.object?.kind, namespace: meta?.namespace, name: meta?.name };
    if ('failure' in outcome) return void this.results.push(this.failure(identity, outcome.failure));
    this.counts[outcome.plan.action]++;
    const warnings = outcome.plan.warnings.length > 0 ? { warnings: outcome.plan.warnings } : {};
    this.results.push({ ...identity, result: outcome.plan.action, ...warnings });
  }

  /** The commit found a document's object changed since it was planned: that document failed. */
  conflict(index: number, status: Status): void {
    const position = this.results.findIndex((r) => r.index === index);
    const { result, status: _none, warnings: _w, ...identity } = this.results[position];
    this.counts[result as Exclude<DocumentResult, 'failed'>]--;
    this.results[position] = this.failure(identity, status);
  }

  build(applied: boolean): ImportReport {
    return {
      kind: 'ImportResult', dryRun: this.dryRun, applied,
      summary: { documents: this.results.length, ...this.counts },
      results: this.results,
    };
  }

  private failure(identity: Omit<ImportDocumentReport, 'result'>, status: Status): ImportDocumentReport {
    this.counts.failed++;
    if (this.counts.failed > MAX_DETAILED_FAILURES) {
      this.counts.failuresWithoutDetail++;
      return { ...identity, result: 'failed' };
    }
    return { ...identity, result: 'failed', status };
  }
}

/** Results per chunk of a streamed answer. */
const RESULTS_PER_CHUNK = 200;

/**
 * The report as JSON text in chunks: a 10,000-document answer is serialised and written a few hundred
 * results at a time, as the client reads it, instead of in one call that holds the event loop.
 */
export async function* importReportJsonChunks(report: ImportReport): AsyncGenerator<string> {
  const { results, ...head } = report;
  yield `${JSON.stringify(head).slice(0, -1)},"results":[`;
  for (let start = 0; start < results.length; start += RESULTS_PER_CHUNK) {
    const chunk = results.slice(start, start + RESULTS_PER_CHUNK).map((r) => JSON.stringify(r)).join(',');
    yield `${start === 0 ? '' : ','}${chunk}`;
  }
  yield ']}';
}
