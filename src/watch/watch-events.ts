import { CacheEvent, fieldsOf } from '../cache/object-cache';
import { KubeObject } from '../common/kube-object';
import { Status } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { FieldRequirement, matchesFieldSelector } from '../resources/field-selector';
import { LabelRequirement, matchesLabelSelector } from '../resources/label-selector';

/** The wire types of a Kubernetes watch (metav1.WatchEvent). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchFilter {
  kind: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** The annotation on the bookmark that ends a watch-list's initial events. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export function matchesFilter(filter: WatchFilter, object: KubeObject, labels = object.metadata.labels): boolean {
  if (object.kind !== filter.kind) return false;
  if (filter.namespace !== undefined && object.metadata.namespace !== filter.namespace) return false;
  if (filter.labels.length > 0 && !matchesLabelSelector(labels, filter.labels)) return false;
  return filter.fields.length === 0 || matchesFieldSelector(fieldsOf(object), filter.fields);
}

/**
 * What a watcher with this filter sees of a change, as the apiserver's cache watcher decides it: an
 * object that starts to match is ADDED, one that stops matching (or is deleted) is DELETED, one that
 * matches before and after is MODIFIED; a change it never sees is nothing.
 */
export function eventTypeFor(filter: WatchFilter, change: CacheEvent): 'ADDED' | 'MODIFIED' | 'DELETED' | undefined {
  if (change.object.kind !== filter.kind) return undefined;
  const before = change.type !== 'ADDED' && matchesFilter(filter, change.object, change.previousLabels ?? change.object.metadata.labels);
  const now = change.type !== 'DELETED' && matchesFilter(filter, change.object);
  if (before && now) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

/** A BOOKMARK: an object of the watched kind carrying only the resourceVersion the watch has reached. */
export function bookmarkObject(kind: KindDefinition, resourceVersion: string, initialEventsEnd = false): KubeObject {
  return {
    apiVersion: `${kind.group}/${kind.version}`,
    kind: kind.kind,
    metadata: { resourceVersion, ...(initialEventsEnd ? { annotations: { [INITIAL_EVENTS_END]: 'true' } } : {}) },
  } as KubeObject;
}

/** The ERROR a watch from a compacted revision ends with (HTTP 200, then this event, then EOF). */
export function expiredStatus(requested: bigint, oldest: bigint): Status {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`, reason: 'Expired', code: 410,
  };
}

/** One event on the wire: compact JSON, one per line, as client-node's line reader wants it. */
export function frame(type: WatchEventType, object: unknown): string {
  return `{"type":"${type}","object":${JSON.stringify(object)}}\n`;
}
