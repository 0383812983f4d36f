import { randomBytes, randomUUID } from 'node:crypto';
import { jsonEqual } from '../common/json-equal';
import { KubeObject, ObjectMeta } from '../common/kube-object';
import { apiErrors, ResourceRef } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { pruneToSchema } from '../validation';
import { contentFindings } from '../validation/json-content';
import { FieldValidation } from './request-options';
import { ObjectKey } from '../store/resource-row';

/**
 * The generic rules of a Kubernetes write, as pure functions: what a request body may say, what the
 * server owns, when generation moves, and which fields the schema does not know.
 */

/**
 * ObjectMeta fields a client may set; the server owns uid, resourceVersion, generation, creationTimestamp.
 * ownerReferences make an object garbage when its owner is deleted (a WorkloadGroup's registered entries).
 */
const CLIENT_METADATA = ['name', 'generateName', 'namespace', 'labels', 'annotations', 'ownerReferences'] as const;
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

/**
 * Checks the envelope of a request body and keeps only what a client may set. As the apiserver decodes
 * a custom resource: `kind` is required (`Object 'Kind' is missing in '…'`), and an absent `apiVersion`
 * matches no served version; either way a 400, before anything of the body is used.
 */
export function decodeObject(kind: KindDefinition, body: unknown, namespace: string): DecodedObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw apiErrors.badRequest('the request body must be a JSON or YAML object');
  }
  const { apiVersion, kind: bodyKind, metadata = {}, ...rest } = body as Record<string, unknown>;
  const expectedApiVersion = `${kind.group}/${kind.version}`;
  if (bodyKind === undefined || bodyKind === null || bodyKind === '') {
    throw apiErrors.badRequest(`Object 'Kind' is missing in '${excerpt(body)}'`);
  }
  if (apiVersion !== expectedApiVersion) {
    throw apiErrors.badRequest(`the API version in the data (${String(apiVersion ?? '')}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (bodyKind !== kind.kind) {
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

/** The body as the apiserver quotes it in decode errors, cut short: an error stays small whatever was sent. */
function excerpt(body: object): string {
  const json = JSON.stringify(body);
  return json.length > 200 ? `${json.slice(0, 200)}...` : json;
}

/** Rejects a body naming another object than the URL. */
export function assertNamed(object: KubeObject, key: ObjectKey): void {
  if (object.metadata.name !== undefined && object.metadata.name !== key.name) {
    throw apiErrors.badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${key.name})`);
  }
  object.metadata.name = key.name;
}

const GENERATED_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Fills in what the server owns on create; a name from generateName comes later (see withGeneratedName). */
export function initialiseForCreate(object: KubeObject, now: Date): KubeObject {
  const { status: _ignored, ...withoutStatus } = object;
  return {
    ...withoutStatus,
    metadata: { ...object.metadata, uid: randomUUID(), generation: 1, creationTimestamp: now.toISOString() },
  };
}

/** Kubernetes' generateName: the prefix plus five random characters, once the prefix has been validated. */
export function withGeneratedName(object: KubeObject): KubeObject {
  const { generateName, ...meta } = object.metadata;
  if (meta.name || !generateName) return { ...object, metadata: meta };
  const suffix = [...randomBytes(5)].map((b) => GENERATED_SUFFIX_ALPHABET[b % GENERATED_SUFFIX_ALPHABET.length]).join('');
  return { ...object, metadata: { ...meta, name: `${generateName}${suffix}` } };
}

/** An update keeps identity, creation time and status; generation moves only when spec changes. */
export function carryOverForUpdate(next: KubeObject, current: KubeObject): KubeObject {
  const specChanged = !jsonEqual(next.spec, current.spec);
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
  const visible = (o: KubeObject) => [o.spec, o.status, o.metadata.labels ?? {}, o.metadata.annotations ?? {}, o.metadata.ownerReferences ?? []];
  return jsonEqual(visible(next), visible(current));
}

/**
 * Validates with the kind's rules and handles unknown fields per `fieldValidation`. Returns what is
 * stored (unknown fields and nulls pruned, as the apiserver does) and the warnings.
 */
export function validateForWrite(
  kind: KindDefinition, object: KubeObject, fieldValidation: FieldValidation,
): { object: KubeObject; warnings: string[] } {
  const name = object.metadata.name ?? object.metadata.generateName ?? '';
  // Before the schema walk, which prunes what it does not know and so would never see these.
  const content = contentFindings(object);
  if (content.length > 0) throw apiErrors.invalid(refOf(kind, name), content);
  const result = kind.validate(object);
  if (result.errors.length > 0) throw apiErrors.invalid(refOf(kind, name), result.errors);
  if (result.unknownFields.length > 0 && fieldValidation === 'Strict') {
    throw apiErrors.badRequest(`strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  const { apiVersion, kind: kindName, metadata, ...body } = object;
  const pruned = { apiVersion, kind: kindName, metadata, ...(pruneToSchema(body, kind.schema) as Pick<KubeObject, 'spec' | 'status'>) };
  const unknownWarnings = fieldValidation === 'Warn' ? result.unknownFields.map((f) => `unknown field "${f}"`) : [];
  return { object: pruned, warnings: [...unknownWarnings, ...result.warnings] };
}
