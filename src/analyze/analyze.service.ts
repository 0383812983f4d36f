import { Inject, Injectable } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { TimeSlice } from '../common/time-slice';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { RegistryIndexService } from '../resolve/registry-index.service';
import { WriteAdvisor } from '../resources/write-advisor';
import { analyzeRegistry, analyzeWrite, Finding, findingToWarning } from './analyzers';
import { findingsAfterImport } from './import-findings';

export interface AnalyzeReport {
  resourceVersion: string;
  findings: Finding[];
}

/** Runs the cross-object analyzers over this replica's index: on demand, and on every write. */
@Injectable()
export class AnalyzeService implements WriteAdvisor {
  constructor(@Inject(RegistryIndexService) private readonly registry: RegistryIndexService) {}

  /** Catches up with the database first, so the report covers every write made before the request. */
  async analyze(namespace?: string): Promise<AnalyzeReport> {
    await this.registry.catchUp();
    return { resourceVersion: this.registry.resourceVersion, findings: analyzeRegistry(this.registry.index, { namespace }) };
  }

  advise(candidate: KubeObject): string[] {
    if (!isAnalyzed(candidate)) return [];
    return analyzeWrite(this.registry.index, candidate as unknown as ServiceEntry | WorkloadEntry).map(findingToWarning);
  }

  async adviseTogether(candidates: readonly KubeObject[], slice = new TimeSlice()): Promise<string[][]> {
    const analyzed = candidates.filter(isAnalyzed) as unknown as (ServiceEntry | WorkloadEntry)[];
    const findings = await findingsAfterImport(this.registry.index, analyzed, slice);
    let next = 0;
    const warnings: string[][] = [];
    for (const candidate of candidates) {
      warnings.push(isAnalyzed(candidate) ? findings[next++].map(findingToWarning) : []);
      await slice.yieldIfDue();
    }
    return warnings;
  }
}

function isAnalyzed(candidate: KubeObject): boolean {
  return candidate.kind === 'ServiceEntry' || candidate.kind === 'WorkloadEntry';
}
