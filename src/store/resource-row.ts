import { KubeObject, ObjectMeta } from '../common/kube-object';
import { sortKeysDeep } from '../common/sort-keys';
import { KindDefinition } from '../kinds/kind-definition';

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** The columns of a stored object, as `resources` and `resource_changes` rows both hold them. */
export interface ResourceRow {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  generation: string | number;
  creationTimestamp: Date | string;
  labels: unknown;
  annotations: unknown;
  ownerReferences?: unknown;
  spec: unknown;
  status: unknown;
}

/** The SELECT list that reads a ResourceRow from either table. */
export const ROW_COLUMNS = `uid, kind, namespace, name, resource_version::text AS "resourceVersion", generation,
  creation_timestamp AS "creationTimestamp", labels, annotations, owner_references AS "ownerReferences", spec, status`;

/** RFC 3339 at second precision, as Kubernetes prints timestamps. */
export const formatTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const nonEmpty = (map: unknown) =>
  map && typeof map === 'object' && Object.keys(map).length > 0 ? (map as Record<string, string>) : undefined;

/** Strings every object of a kind or namespace repeats are shared, not copied a million times. */
const interned = new Map<string, string>();
const intern = (text: string): string => {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < 100_000) interned.set(text, text);
  return text;
};
const apiVersionOf = (kind: KindDefinition) => intern(`${kind.group}/${kind.version}`);

/**
 * The object as clients see it. Every answer goes through here (reads from the cache, write responses,
 * dry runs), so all of them agree to the byte: key order, metadata order, timestamp precision.
 */
export function rowToObject(kind: KindDefinition, row: ResourceRow): KubeObject {
  // Field order follows Kubernetes' ObjectMeta, so output reads like a cluster's.
  const metadata: ObjectMeta = {
    name: row.name,
    namespace: intern(row.namespace),
    uid: row.uid,
    ...(row.resourceVersion ? { resourceVersion: row.resourceVersion } : {}),
    generation: Number(row.generation),
    creationTimestamp: formatTimestamp(new Date(row.creationTimestamp)),
  };
  const labels = nonEmpty(sortKeysDeep(row.labels));
  const annotations = nonEmpty(sortKeysDeep(row.annotations));
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  if (Array.isArray(row.ownerReferences) && row.ownerReferences.length > 0) {
    metadata.ownerReferences = sortKeysDeep(row.ownerReferences) as ObjectMeta['ownerReferences'];
  }
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata,
    spec: sortKeysDeep(row.spec) as Record<string, unknown>,
    ...(row.status !== null && row.status !== undefined ? { status: sortKeysDeep(row.status) as Record<string, unknown> } : {}),
  };
}

/** The row an object is stored as; `resourceVersion` empty for what is not stored (yet). */
export function objectToRow(object: KubeObject, resourceVersion = ''): ResourceRow {
  const meta = object.metadata;
  return {
    uid: meta.uid!,
    kind: object.kind,
    namespace: meta.namespace!,
    name: meta.name!,
    resourceVersion,
    generation: meta.generation ?? 1,
    creationTimestamp: meta.creationTimestamp!,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    ownerReferences: meta.ownerReferences,
    spec: object.spec,
    status: object.status,
  };
}

/** `to_jsonb(resources)` as mr_write and mr_lock answer it. */
export function jsonToRow(json: Record<string, unknown>): ResourceRow {
  return {
    uid: json.uid as string,
    kind: json.kind as string,
    namespace: json.namespace as string,
    name: json.name as string,
    resourceVersion: String(json.resource_version),
    generation: json.generation as number,
    creationTimestamp: json.creation_timestamp as string,
    labels: json.labels,
    annotations: json.annotations,
    ownerReferences: json.owner_references,
    spec: json.spec,
    status: json.status,
  };
}
