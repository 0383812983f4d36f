import { KubeObject, ObjectMeta } from '../common/kube-object';
import { KINDS } from '../kinds/kinds';

/**
 * Clean manifests: what `kubectl apply -f` needs to recreate an object, nothing the server owns.
 *
 * Key order rule (one rule, so output diffs cleanly):
 * - envelope: apiVersion, kind, metadata, spec (kubectl's order);
 * - metadata: name, namespace, labels, annotations (empty maps omitted);
 * - everything else, recursively (spec, labels, annotations, ports maps, workloadSelector.labels, list
 *   items): keys in canonical order, see `compareKeys`. Istio's generated CRD schemas list properties
 *   alphabetically, so for spec this is also the schema's property order.
 * - arrays keep their order: it is meaningful (hosts, ports, endpoints).
 * Object properties that are null or undefined are dropped, as the apiserver prunes nulls of
 * non-nullable fields; no Istio field is nullable.
 */

/** Any kind's object, typed spec or not: only the envelope is read. */
export type AnyKubeObject = KubeObject<object, unknown>;

import { codeUnitCompare, compareKeys, sortKeysDeep } from '../common/sort-keys';

export { compareKeys, sortKeysDeep };

const nonEmptyMap = (map: Record<string, string> | undefined) =>
  map && Object.keys(map).length > 0 ? (sortKeysDeep(map) as Record<string, string>) : undefined;

function cleanMetadata(meta: ObjectMeta | undefined): ObjectMeta {
  const labels = nonEmptyMap(meta?.labels);
  const annotations = nonEmptyMap(meta?.annotations);
  return {
    ...(meta?.name !== undefined ? { name: meta.name } : {}),
    ...(meta?.namespace !== undefined ? { namespace: meta.namespace } : {}),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/**
 * The object as a clean manifest: apiVersion, kind, metadata {name, namespace, labels?, annotations?},
 * spec. uid, resourceVersion, generation, creationTimestamp, generateName and status are left out.
 * Idempotent: cleaning a clean manifest returns an equal one.
 */
export function toCleanManifest(obj: AnyKubeObject): KubeObject {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: cleanMetadata(obj.metadata),
    spec: sortKeysDeep(obj.spec ?? {}) as Record<string, unknown>,
  };
}

const KIND_ORDER: readonly string[] = KINDS.map((k) => k.kind);

/** Registry order (WorkloadEntry, then ServiceEntry, as in `KINDS`), unknown kinds after by name. */
function compareKinds(a: string, b: string): number {
  const ai = KIND_ORDER.indexOf(a);
  const bi = KIND_ORDER.indexOf(b);
  if (ai !== bi) return (ai < 0 ? Infinity : ai) - (bi < 0 ? Infinity : bi);
  return codeUnitCompare(a, b);
}

/**
 * Manifest order: kind (registry order: WorkloadEntry before ServiceEntry, the way Istio's docs show a
 * workload and then the services that select it), then namespace, then name, both by UTF-16 code unit
 * (a database sorting for a streamed export must use the same, e.g. PostgreSQL `COLLATE "C"`).
 */
export function compareManifests(a: AnyKubeObject, b: AnyKubeObject): number {
  return (
    compareKinds(a.kind, b.kind) ||
    codeUnitCompare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    codeUnitCompare(a.metadata.name ?? '', b.metadata.name ?? '')
  );
}

/** A sorted copy; the input is left alone. */
export function sortManifests<T extends AnyKubeObject>(objs: readonly T[]): T[] {
  return [...objs].sort(compareManifests);
}
