import { TimeSlice } from '../common/time-slice';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { idOf, IndexedObject, RegistryIndex } from '../resolve/registry-index';
import { analyzeWrite } from './analyzers';
import { Finding } from './finding';

/**
 * The findings of each candidate as if every candidate were stored at once (an import's view of the
 * registry afterwards): a ServiceEntry and the WorkloadEntry it selects, imported together, select
 * each other. Works on an overlay holding only what the candidates' findings can involve (their
 * namespaces, and the entries sharing their addresses or hosts) plus the candidates, so the cost follows
 * the import, not the registry, and the live index is never touched.
 */
export async function findingsAfterImport(index: RegistryIndex, candidates: readonly IndexedObject[], slice = new TimeSlice()): Promise<Finding[][]> {
  const overlay = new RegistryIndex();
  const namespaces = new Set(candidates.map((c) => idOf(c).namespace));
  // A 10,000-document import never holds the event loop for more than a slice.
  const tick = () => slice.yieldIfDue();
  for (const namespace of namespaces) {
    for (const stored of [...index.workloadEntriesInNamespace(namespace), ...index.serviceEntriesInNamespace(namespace)]) {
      overlay.upsert(stored);
      await tick();
    }
  }
  for (const candidate of candidates) {
    for (const stored of neighboursElsewhere(index, candidate)) overlay.upsert(stored);
    await tick();
  }
  // Stored versions came first; a candidate replaces its own (resourceVersion dropped so it always wins).
  for (const candidate of candidates) {
    overlay.upsert({ ...candidate, metadata: { ...candidate.metadata, resourceVersion: undefined } } as IndexedObject);
    await tick();
  }
  const findings: Finding[][] = [];
  for (const candidate of candidates) {
    findings.push(analyzeWrite(overlay, candidate as ServiceEntry | WorkloadEntry));
    await tick();
  }
  return findings;
}

/** Entries of other namespaces a candidate can share a finding with: same address, same host. */
function neighboursElsewhere(index: RegistryIndex, candidate: IndexedObject): IndexedObject[] {
  if (candidate.kind === 'WorkloadEntry') {
    const address = (candidate as WorkloadEntry).spec.address;
    return address ? index.workloadEntriesWithAddress(address) : [];
  }
  return ((candidate as ServiceEntry).spec.hosts ?? []).flatMap((host) => index.serviceEntriesDeclaringHost(host));
}
