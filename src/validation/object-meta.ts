/**
 * ObjectMeta rules for a namespaced custom resource (k8s.io/apimachinery ValidateObjectMetaAccessor with
 * NameIsDNSSubdomain), using Kubernetes' paths (`metadata.labels`, not per key) and wording, plus the
 * annotations istiod's `validateMetadata` wrapper rejects before it looks at the spec.
 */
import { FieldCause, fieldErrors, fieldPath } from '../common/field-error';
import { ObjectMeta } from '../common/kube-object';
import {
  byteLength,
  kubeDNS1123LabelErrors,
  kubeDNS1123SubdomainErrors,
  kubeLabelValueErrors,
  kubeQualifiedNameErrors,
} from './kube-names';
import { isObject, jsonType } from './schema-types';

/** 256 KiB: the total of annotation key and value bytes Kubernetes accepts. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Names from istio/api annotation and istio/istio pkg/config/constants. */
export const ISTIO_DRY_RUN_ANNOTATION = 'istio.io/dry-run';
export const ISTIO_ALWAYS_REJECT_ANNOTATION = 'internal.istio.io/webhook-always-reject';
export const ISTIO_PARENT_NAMESPACE_ANNOTATION = 'internal.istio.io/parent-namespace';
export const ISTIO_PARENT_NAMES_ANNOTATION = 'internal.istio.io/parents';
const DRY_RUN_DETAIL = `annotation "${ISTIO_DRY_RUN_ANNOTATION}" is only supported on AuthorizationPolicy; remove it`;

const invalidEach = (field: string, value: unknown, messages: string[]): FieldCause[] =>
  messages.map((m) => fieldErrors.invalid(field, value, m));

/**
 * A JSON body may carry any type where ObjectMeta has strings (Kubernetes cannot even decode such a body):
 * each is a type error, in the structural schema's wording, and is never looked at further.
 */
const typeError = (field: string, value: unknown, expected: 'string' | 'object'): FieldCause =>
  fieldErrors.typeInvalid(field, value, `${field} in body must be of type ${expected}: "${jsonType(value)}"`);

/** Type errors of a `map[string]string` (labels, annotations): not an object, or a value that is not a string. */
function stringMapTypeErrors(map: unknown, path: string): FieldCause[] {
  if (map === undefined || map === null) return [];
  if (!isObject(map)) return [typeError(path, map, 'object')];
  return Object.entries(map)
    .filter(([, value]) => typeof value !== 'string')
    .map(([key, value]) => typeError(fieldPath.key(path, key), value, 'string'));
}

/** The well-typed entries of a `map[string]string`. */
const stringEntries = (map: unknown): [string, string][] =>
  isObject(map) ? Object.entries(map).filter((entry): entry is [string, string] => typeof entry[1] === 'string') : [];

const notAString = (value: unknown): boolean => value !== undefined && value !== null && typeof value !== 'string';

/** maskTrailingDash, quirk included: a trailing `-` (and the character before it) become `a`. */
const maskTrailingDash = (s: string): string => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

/** A generated name is `generateName` + 5 random characters, so a trailing `-` is fine in the prefix. */
function validateNames(meta: ObjectMeta): FieldCause[] {
  const { name, generateName } = meta as { name?: unknown; generateName?: unknown };
  const typeErrors = [
    ...(notAString(generateName) ? [typeError('metadata.generateName', generateName, 'string')] : []),
    ...(notAString(name) ? [typeError('metadata.name', name, 'string')] : []),
  ];
  if (typeErrors.length > 0) return typeErrors;
  return validateNameStrings(name as string | undefined, generateName as string | undefined);
}

function validateNameStrings(name: string | undefined, generateName: string | undefined): FieldCause[] {
  const errors: FieldCause[] = [];
  if (generateName) {
    errors.push(...invalidEach('metadata.generateName', generateName, kubeDNS1123SubdomainErrors(maskTrailingDash(generateName))));
  }
  if (name) errors.push(...invalidEach('metadata.name', name, kubeDNS1123SubdomainErrors(name)));
  else if (!generateName) errors.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  return errors;
}

function validateNamespace(namespace: string | undefined): FieldCause[] {
  if (!namespace) return [fieldErrors.required('metadata.namespace')];
  return invalidEach('metadata.namespace', namespace, kubeDNS1123LabelErrors(namespace));
}

export function validateLabels(labels: Record<string, string> | undefined, path = 'metadata.labels'): FieldCause[] {
  return [
    ...stringMapTypeErrors(labels, path),
    ...stringEntries(labels).flatMap(([key, value]) => [
      ...invalidEach(path, key, kubeQualifiedNameErrors(key)),
      ...invalidEach(path, value, kubeLabelValueErrors(value)),
    ]),
  ];
}

/** Keys are qualified names compared in lower case; the whole map may not exceed 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path = 'metadata.annotations'): FieldCause[] {
  const entries = stringEntries(annotations);
  const errors = [
    ...stringMapTypeErrors(annotations, path),
    ...entries.flatMap(([key]) => invalidEach(path, key, kubeQualifiedNameErrors(key.toLowerCase()))),
  ];
  const size = entries.reduce((sum, [k, v]) => sum + byteLength(k) + byteLength(v), 0);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

const OWNER_STRINGS = [['apiVersion', 'version'], ['kind', 'kind'], ['name', 'name'], ['uid', 'uid']] as const;

/** One reference: the four identifying strings present, the two flags booleans (ValidateOwnerReference). */
function validateOwnerReference(ref: unknown, at: string): FieldCause[] {
  if (!isObject(ref)) return [typeError(at, ref, 'object')];
  const errors: FieldCause[] = [];
  for (const [field, noun] of OWNER_STRINGS) {
    const value = ref[field];
    if (notAString(value)) errors.push(typeError(fieldPath.child(at, field), value, 'string'));
    else if (!value) errors.push(fieldErrors.invalid(fieldPath.child(at, field), value ?? '', `${noun} must not be empty`));
  }
  for (const flag of ['controller', 'blockOwnerDeletion']) {
    const value = ref[flag];
    if (value !== undefined && value !== null && typeof value !== 'boolean') {
      errors.push(fieldErrors.typeInvalid(fieldPath.child(at, flag), value, `${fieldPath.child(at, flag)} in body must be of type boolean: "${jsonType(value)}"`));
    }
  }
  if (ref.kind === 'List') errors.push(fieldErrors.invalid(fieldPath.child(at, 'kind'), 'List', 'List is not a valid kind for an owner'));
  return errors;
}

/** ValidateOwnerReferences: each reference well formed, and at most one of them the controller. */
export function validateOwnerReferences(refs: unknown, path = 'metadata.ownerReferences'): FieldCause[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [fieldErrors.typeInvalid(path, refs, `${path} in body must be of type array: "${jsonType(refs)}"`)];
  const errors = refs.flatMap((ref, i) => validateOwnerReference(ref, fieldPath.index(path, i)));
  const controllers = refs.filter((ref) => isObject(ref) && ref.controller === true) as Record<string, unknown>[];
  if (controllers.length > 1) {
    const named = controllers.map((ref) => `${String(ref.kind)}/${String(ref.name)}`).join(', ');
    errors.push(fieldErrors.invalid(path, controllers.length, `Only one reference can have Controller set to true. Found "true" in references for ${named}`));
  }
  return errors;
}

/** Kubernetes' own ObjectMeta checks for a namespaced custom resource. */
export function validateKubeObjectMeta(meta: ObjectMeta | undefined): FieldCause[] {
  const m = meta ?? {};
  return [
    ...validateNames(m), ...validateNamespace(m.namespace), ...validateLabels(m.labels), ...validateAnnotations(m.annotations),
    ...validateOwnerReferences(m.ownerReferences),
  ];
}

/**
 * istiod's validateMetadata: the first forbidden annotation found rejects the object, and the webhook then
 * stops without validating the spec (so this returns at most one cause).
 */
export function validateIstioMetadata(meta: ObjectMeta | undefined): FieldCause[] {
  const annotations = Object.fromEntries(stringEntries(meta?.annotations));
  const at = (name: string) => fieldPath.key('metadata.annotations', name);
  const ref = `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
  const reject = (name: string, why: string) => [fieldErrors.forbidden(at(name), `annotation "${name}" ${why}`)];
  if (ISTIO_DRY_RUN_ANNOTATION in annotations) {
    return [fieldErrors.forbidden(at(ISTIO_DRY_RUN_ANNOTATION), `${ref}: ${DRY_RUN_DETAIL}`)];
  }
  if (ISTIO_ALWAYS_REJECT_ANNOTATION in annotations) {
    return reject(ISTIO_ALWAYS_REJECT_ANNOTATION, "makes Istio's validating webhook reject the object (it exists to test the webhook)");
  }
  for (const name of [ISTIO_PARENT_NAMESPACE_ANNOTATION, ISTIO_PARENT_NAMES_ANNOTATION]) {
    if (name in annotations) return reject(name, 'is reserved for objects Istio generates internally and may not be set by users');
  }
  return [];
}
