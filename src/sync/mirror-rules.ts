import { jsonEqual } from '../common/json-equal';
import { LabelRequirement, matchesLabelSelector } from '../resources/label-selector';

/** The label that marks an object as the sync's, and the annotation that names the registry it came from. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'mesh-registry-sync';
export const ORIGIN_ANNOTATION = 'registry.mesh.io/sync-origin';

export interface MirrorObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [field: string]: unknown;
  };
  spec?: unknown;
  status?: unknown;
}

/** Which source objects a cluster gets, and where. */
export interface MirrorScope {
  namespaces?: readonly string[];
  selector: LabelRequirement[];
  namespaceMapping: Readonly<Record<string, string>>;
}

export type Action = 'create' | 'replace' | 'delete' | 'clash' | 'none';

export interface Decision {
  action: Action;
  /** Why, in words for the log line and the status. */
  reason: string;
}

export function inScope(scope: MirrorScope, source: MirrorObject): boolean {
  const { namespace } = source.metadata;
  if (scope.namespaces && !scope.namespaces.includes(namespace)) return false;
  return matchesLabelSelector(source.metadata.labels, scope.selector);
}

export function targetNamespace(scope: MirrorScope, sourceNamespace: string): string {
  return scope.namespaceMapping[sourceNamespace] ?? sourceNamespace;
}

/** The source namespace whose objects land in `namespace`, or undefined when none does. */
export function sourceNamespace(scope: MirrorScope, namespace: string): string | undefined {
  const mapped = Object.entries(scope.namespaceMapping).find(([, to]) => to === namespace);
  const from = mapped ? mapped[0] : Object.hasOwn(scope.namespaceMapping, namespace) ? undefined : namespace;
  return from !== undefined && (!scope.namespaces || scope.namespaces.includes(from)) ? from : undefined;
}

/**
 * What the cluster should hold for a source object: its name, labels, annotations and spec, in the
 * mapped namespace, marked as the sync's. Server-owned metadata (uid, resourceVersion, generation,
 * timestamps, ownerReferences, finalizers) and status stay the cluster's own.
 */
export function desiredObject(source: MirrorObject, scope: MirrorScope, origin: string): MirrorObject {
  const { name, namespace, labels, annotations } = source.metadata;
  return {
    apiVersion: source.apiVersion,
    kind: source.kind,
    metadata: {
      name,
      namespace: targetNamespace(scope, namespace),
      labels: { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: { ...annotations, [ORIGIN_ANNOTATION]: origin },
    },
    spec: source.spec ?? {},
  };
}

export function isOurs(actual: MirrorObject, origin: string): boolean {
  return actual.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && actual.metadata.annotations?.[ORIGIN_ANNOTATION] === origin;
}

/** The parts the sync owns that differ: spec, labels, annotations. */
export function differences(actual: MirrorObject, desired: MirrorObject): string[] {
  const found: string[] = [];
  if (!jsonEqual(actual.spec ?? {}, desired.spec ?? {})) found.push('spec');
  if (!jsonEqual(actual.metadata.labels ?? {}, desired.metadata.labels ?? {})) found.push('labels');
  if (!jsonEqual(actual.metadata.annotations ?? {}, desired.metadata.annotations ?? {})) found.push('annotations');
  return found;
}

function whoseObject(actual: MirrorObject): string {
  const managedBy = actual.metadata.labels?.[MANAGED_BY_LABEL];
  if (managedBy === MANAGED_BY) return `the sync of registry ${JSON.stringify(actual.metadata.annotations?.[ORIGIN_ANNOTATION] ?? '')}`;
  return managedBy ? `${JSON.stringify(managedBy)} (${MANAGED_BY_LABEL})` : 'someone else (no managed-by label)';
}

/** One object's next step, from what the registry wants (or nothing) and what the cluster has (or nothing). */
export function decide(desired: MirrorObject | undefined, actual: MirrorObject | undefined, origin: string): Decision {
  if (!desired && !actual) return { action: 'none', reason: 'absent from both' };
  if (!desired) {
    return isOurs(actual!, origin)
      ? { action: 'delete', reason: 'no longer in the registry, or no longer selected for this cluster' }
      : { action: 'none', reason: 'not the sync\'s, and not in the registry' };
  }
  if (!actual) return { action: 'create', reason: 'missing from the cluster' };
  if (!isOurs(actual, origin)) return { action: 'clash', reason: `the name is taken by an object made by ${whoseObject(actual)}` };
  const differ = differences(actual, desired);
  if (!differ.length) return { action: 'none', reason: 'in sync' };
  return { action: 'replace', reason: `${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from the registry` };
}

/** The cluster's object with the sync's parts replaced; its resourceVersion makes the write conditional. */
export function replacement(actual: MirrorObject, desired: MirrorObject): MirrorObject {
  return {
    ...actual,
    metadata: { ...actual.metadata, labels: desired.metadata.labels, annotations: desired.metadata.annotations },
    spec: desired.spec,
  };
}
