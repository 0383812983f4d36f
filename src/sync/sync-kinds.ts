import { kindByName } from '../kinds/kinds';

/** What the sync mirrors unless `kinds` says otherwise: the kinds istiod reads from its cluster. */
export const DEFAULT_SYNC_KINDS: readonly string[] = ['WorkloadEntry', 'ServiceEntry', 'WorkloadGroup'];

export interface SyncKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
}

/** Group, version and plural of a kind the registry serves (any of src/kinds), as the clusters' CRDs name them. */
export function syncKind(kind: string): SyncKind | undefined {
  const definition = kindByName(kind);
  return definition && { kind: definition.kind, group: definition.group, version: definition.version, plural: definition.plural };
}
