import { KindDefinition } from './kind-definition';
import { serviceEntryKind } from './service-entry.kind';
import { workloadEntryKind } from './workload-entry.kind';

/** Every kind the registry serves. Adding one (WorkloadGroup) is a new definition file and a line here. */
export const KINDS: readonly KindDefinition[] = [workloadEntryKind, serviceEntryKind];

export function kindByPlural(plural: string): KindDefinition | undefined {
  return KINDS.find((k) => k.plural === plural);
}

export function kindByName(kind: string): KindDefinition | undefined {
  return KINDS.find((k) => k.kind === kind);
}
