import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { fieldErrors } from '../common/field-error';
import { KubeObject, ObjectMeta } from '../common/kube-object';
import { apiErrors, ResourceRef } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { FieldValidation } from './request-options';
import { ObjectKey } from '../store/resource-row';

/**
 * The generic rules of a Kubernetes write, as pure functions: what a request body may say, what the
 * server owns, when generation moves, and which fields the schema does not know.
 */

/** ObjectMeta fields a client may set; the server owns uid, resourceVersion, generation, creationTimestamp. */
const CLIENT_METADATA = ['name', 'generateName', 'namespace', 'labels', 'annotations'] as const;
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'managedFields'];

export const refOf = (kind: KindDefinition, name: string): ResourceRef => ({
  group: kind.group, plural: kind.plural, kind: kind.kind, name,
});

export interface DecodedObject {
  object: KubeObject;
  /** metadata.resourceVersion as the client sent it: a precondition on updates. */
  resourceVersion?: string;
  warnings: string[];
}

/** Checks the envelope of a request body and keeps only what a client may set. */
export function decodeObject(kind: KindDefinition, body: unknown, namespace: string): DecodedObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw apiErrors.badRequest('the request body must be a JSON or YAML object');
  }
  const { apiVersion, kind: bodyKind, metadata = {}, ...rest } = body as Record<string, unknown>;
  const expectedApiVersion = `${kind.group}/${kind.version}`;
  if (apiVersion !== undefined && apiVersion !== expectedApiVersion) {
    throw apiErrors.badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (bodyKind !== undefined && bodyKind !== kind.kind) {
    throw apiErrors.badRequest(`the kind in the data (${String(bodyKind)}) does not match the expected kind (${kind.kind})`);
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw apiErrors.badRequest('metadata must be an object');
  }
  const meta = metadata as Record<string, unknown>;
  if (meta.namespace !== undefined && meta.namespace !== namespace) {
    throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const kept: ObjectMeta = { namespace };
  for (const field of CLIENT_METADATA) if (field !== 'namespace' && meta[field] !== undefined) (kept as Record<string, unknown>)[field] = meta[field];
  const ignored = Object.keys(meta).filter((f) => !(CLIENT_METADATA as readonly string[]).includes(f) && !SERVER_METADATA.includes(f));
  return {
    object: { apiVersion: expectedApiVersion, kind: kind.kind, metadata: kept, ...(rest as { spec: Record<string, unknown> }) },
    resourceVersion: typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '' ? meta.resourceVersion : undefined,
    warnings: ignored.map((f) => `metadata.${f} is not supported by this registry and was ignored`),
  };
}

/** Rejects a body naming another object than the URL. */
export function assertNamed(object: KubeObject, key: ObjectKey): void {
  if (object.metadata.name !== undefined && object.metadata.name !== key.name) {
    throw apiErrors.badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${key.name})`);
  }
  object.metadata.name = key.name;
}

const GENERATED_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Fills in what the server owns on create (and a name from generateName, as Kubernetes does). */
export function initialiseForCreate(object: KubeObject, now: Date): KubeObject {
  const { generateName, ...meta } = object.metadata;
  let name = meta.name;
  if (!name && typeof generateName === 'string' && generateName) {
    const suffix = [...randomBytes(5)].map((b) => GENERATED_SUFFIX_ALPHABET[b % GENERATED_SUFFIX_ALPHABET.length]).join('');
    name = `${generateName}${suffix}`;
  }
  const { status: _ignored, ...withoutStatus } = object;
  return {
    ...withoutStatus,
    metadata: { ...meta, name, uid: randomUUID(), generation: 1, creationTimestamp: now.toISOString() },
  };
}

/** An update keeps identity, creation time and status; generation moves only when spec changes. */
export function carryOverForUpdate(next: KubeObject, current: KubeObject): KubeObject {
  const specChanged = !isDeepStrictEqual(next.spec, current.spec);
  const { status: _ignored, ...withoutStatus } = next;
  return {
    ...withoutStatus,
    metadata: {
      ...next.metadata,
      uid: current.metadata.uid,
      resourceVersion: current.metadata.resourceVersion,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
    },
    ...(current.status !== undefined ? { status: current.status } : {}),
  };
}

/** A status write changes status only. */
export function withStatusOf(current: KubeObject, source: KubeObject): KubeObject {
  const { status: _old, ...rest } = current;
  return source.status === undefined ? rest : { ...rest, status: source.status };
}

/** Nothing a client can see would change: the write is skipped and resourceVersion stays. */
export function isNoOp(next: KubeObject, current: KubeObject): boolean {
  const visible = (o: KubeObject) => [o.spec, o.status, o.metadata.labels ?? {}, o.metadata.annotations ?? {}];
  return isDeepStrictEqual(visible(next), visible(current));
}

/** Validates with the kind's rules and handles unknown fields per `fieldValidation`; returns warnings. */
export function validateForWrite(kind: KindDefinition, object: KubeObject, fieldValidation: FieldValidation): string[] {
  const name = object.metadata.name ?? object.metadata.generateName ?? '';
  const result = kind.validate(object);
  if (!object.metadata.name && !object.metadata.generateName) {
    result.errors.unshift(fieldErrors.required('metadata.name', 'name or generateName is required'));
  }
  if (result.errors.length > 0) throw apiErrors.invalid(refOf(kind, name), result.errors);
  if (result.unknownFields.length > 0 && fieldValidation === 'Strict') {
    throw apiErrors.badRequest(`strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const path of result.unknownFields) prune(object as unknown as Record<string, unknown>, path);
  const unknownWarnings = fieldValidation === 'Warn' ? result.unknownFields.map((f) => `unknown field "${f}"`) : [];
  return [...unknownWarnings, ...result.warnings];
}

/** Removes the field at a path such as `spec.ports[0].foo` (unknown fields are pruned, as by the apiserver). */
function prune(root: Record<string, unknown>, path: string): void {
  const segments = path.match(/[^.[\]]+/g) ?? [];
  let node: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[segment];
  }
  if (node && typeof node === 'object') delete (node as Record<string, unknown>)[segments[segments.length - 1]];
}
