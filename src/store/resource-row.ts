import { KubeObject, ObjectMeta } from '../common/kube-object';
import { sortKeysDeep } from '../common/sort-keys';
import { KindDefinition } from '../kinds/kind-definition';

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** A `resources` row as the repository reads it. */
export interface ResourceRow {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: bigint;
  generation: bigint;
  creationTimestamp: Date;
  labels: unknown;
  annotations: unknown;
  spec: unknown;
  status: unknown;
  hosts: string[];
}

/** RFC 3339 at second precision, as Kubernetes prints timestamps. */
export const formatTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const nonEmpty = (map: unknown) =>
  map && typeof map === 'object' && Object.keys(map).length > 0 ? (map as Record<string, string>) : undefined;

export function rowToObject(kind: KindDefinition, row: ResourceRow): KubeObject {
  // Field order follows Kubernetes' ObjectMeta, so output reads like a cluster's.
  const metadata: ObjectMeta = {
    name: row.name,
    namespace: row.namespace,
    uid: row.uid,
    resourceVersion: row.resourceVersion.toString(),
    generation: Number(row.generation),
    creationTimestamp: formatTimestamp(row.creationTimestamp),
  };
  const labels = nonEmpty(sortKeysDeep(row.labels));
  const annotations = nonEmpty(sortKeysDeep(row.annotations));
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  return {
    apiVersion: `${kind.group}/${kind.version}`,
    kind: kind.kind,
    metadata,
    spec: sortKeysDeep(row.spec) as Record<string, unknown>,
    ...(row.status !== null && row.status !== undefined ? { status: sortKeysDeep(row.status) as Record<string, unknown> } : {}),
  };
}
