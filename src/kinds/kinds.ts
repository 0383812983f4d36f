import { KindDefinition } from './kind-definition';
import { serviceEntryKind } from './service-entry.kind';
import { workloadEntryKind } from './workload-entry.kind';
import { workloadGroupKind } from './workload-group.kind';

/** Every kind the registry serves. Adding one is a new definition file and a line here. */
export const KINDS: readonly KindDefinition[] = [workloadEntryKind, serviceEntryKind, workloadGroupKind];

export function kindByPlural(plural: string): KindDefinition | undefined {
  return KINDS.find((k) => k.plural === plural);
}

export function kindByName(kind: string): KindDefinition | undefined {
  return KINDS.find((k) => k.kind === kind);
}
