import { KubeObject, ObjectMeta } from '../common/kube-object';
import { Prisma } from '../generated/prisma/client';
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

/** The columns of a `resources` row for an object stored at revision `rv`. */
export function toRowData(kind: KindDefinition, object: KubeObject, rv: bigint) {
  return {
    kind: kind.kind,
    namespace: object.metadata.namespace!,
    name: object.metadata.name!,
    resourceVersion: rv,
    generation: BigInt(object.metadata.generation ?? 1),
    creationTimestamp: new Date(object.metadata.creationTimestamp!),
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    spec: object.spec as Prisma.InputJsonValue,
    status: object.status === undefined ? Prisma.DbNull : (object.status as Prisma.InputJsonValue),
    hosts: kind.hostsOf?.(object) ?? [],
  };
}
