import { createHash } from 'node:crypto';
import { apiErrors, ResourceRef } from '../common/status';
import { formatTimestamp } from '../store/resource-row';
import { kubeDNS1123LabelErrors } from '../validation/kube-names';

/**
 * Core v1 Namespaces, derived rather than stored: every valid namespace name exists and is Active
 * (objects may be written to any of them), and a list shows those that hold objects. This is what
 * kubectl reads when a get in a namespace finds nothing, to tell "no such object" from "no such namespace".
 */
export interface Namespace {
  kind: 'Namespace';
  apiVersion: 'v1';
  metadata: { name: string; uid: string; creationTimestamp: string | null; labels: Record<string, string> };
  spec: { finalizers: string[] };
  status: { phase: 'Active' };
}

export interface NamespaceList {
  kind: 'NamespaceList';
  apiVersion: 'v1';
  metadata: { resourceVersion: string };
  items: Namespace[];
}

export const NAMESPACE_RESOURCE = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'] };

const refOf = (name: string): ResourceRef => ({ group: '', plural: 'namespaces', kind: 'Namespace', name });

/** The same uid for the same name on every replica and at every start (a name-based UUID, RFC 4122 §4.3). */
export function namespaceUid(name: string): string {
  const hex = createHash('sha1').update(`mesh-registry/namespaces/${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The Namespace of that name. Its creationTimestamp is that of its oldest object; null (as the
 * apiserver writes an unset time) while it holds none.
 */
export function namespaceObject(name: string, firstCreated?: Date): Namespace {
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name,
      uid: namespaceUid(name),
      creationTimestamp: firstCreated ? formatTimestamp(firstCreated) : null,
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function namespaceList(items: Namespace[], resourceVersion: string): NamespaceList {
  return { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion }, items };
}

/**
 * Checks a name from the path as the apiserver does: a name that is no valid path segment is a 400;
 * one that is no DNS-1123 label can never have been created, so it is not found.
 */
export function checkNamespaceName(name: string): void {
  const segmentErrors = pathSegmentNameErrors(name);
  if (segmentErrors.length > 0) {
    throw apiErrors.badRequest(`invalid resource name "${name}": [${segmentErrors.join(', ')}]`);
  }
  if (kubeDNS1123LabelErrors(name).length > 0) throw apiErrors.notFound(refOf(name));
}

/** apimachinery's path.IsValidPathSegmentName. */
function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** What a write to a Namespace gets: namespaces here are derived, never written. */
export const namespaceWriteRefused = (action: 'create' | 'update' | 'patch' | 'delete' | 'deletecollection') =>
  apiErrors.methodNotSupported({ group: '', plural: 'namespaces' }, action);
