import { ObjectMeta } from '../common/kube-object';
import {
  ISTIO_ALWAYS_REJECT_ANNOTATION,
  ISTIO_DRY_RUN_ANNOTATION,
  ISTIO_PARENT_NAMES_ANNOTATION,
  ISTIO_PARENT_NAMESPACE_ANNOTATION,
  validateIstioMetadata,
  validateKubeObjectMeta,
  validateOwnerReferences,
} from './object-meta';

const base: ObjectMeta = { name: 'details-svc', namespace: 'bookinfo' };

describe('validateKubeObjectMeta', () => {
  it.each<[string, ObjectMeta]>([
    ['a plain name', base],
    ['generateName only', { generateName: 'vm-', namespace: 'ns' }],
    ['generateName ending in a dash after one character', { generateName: 'a-', namespace: 'ns' }],
    ['dotted name', { name: 'vm1.corp', namespace: 'ns' }],
    ['labels and annotations', { ...base, labels: { app: 'x', 'example.com/Tier': '' }, annotations: { 'Example.com/Note': 'any text' } }],
  ])('accepts %s', (_, meta) => expect(validateKubeObjectMeta(meta)).toEqual([]));

  it.each<[string, ObjectMeta, string, string, string]>([
    ['missing name', { namespace: 'ns' }, 'FieldValueRequired', 'metadata.name', 'name or generateName is required'],
    ['upper-case name', { ...base, name: 'Details' }, 'FieldValueInvalid', 'metadata.name', 'a lowercase RFC 1123 subdomain'],
    ['too long name', { ...base, name: 'a'.repeat(254) }, 'FieldValueInvalid', 'metadata.name', 'must be no more than 253 characters'],
    ['bad generateName', { generateName: 'VM-', namespace: 'ns' }, 'FieldValueInvalid', 'metadata.generateName', 'RFC 1123 subdomain'],
    ['missing namespace', { name: 'x' }, 'FieldValueRequired', 'metadata.namespace', 'Required value'],
    ['dotted namespace', { name: 'x', namespace: 'a.b' }, 'FieldValueInvalid', 'metadata.namespace', 'must not contain dots'],
    ['long namespace', { name: 'x', namespace: 'n'.repeat(64) }, 'FieldValueInvalid', 'metadata.namespace', 'no more than 63'],
    ['bad label key', { ...base, labels: { 'bad key': 'v' } }, 'FieldValueInvalid', 'metadata.labels', 'Invalid value: "bad key": name part must consist'],
    ['bad label value', { ...base, labels: { app: '-v' } }, 'FieldValueInvalid', 'metadata.labels', 'a valid label must be an empty string'],
    ['long label value', { ...base, labels: { app: 'v'.repeat(64) } }, 'FieldValueInvalid', 'metadata.labels', 'must be no more than 63 characters'],
    ['bad annotation key', { ...base, annotations: { 'a/b/c': 'v' } }, 'FieldValueInvalid', 'metadata.annotations', 'a qualified name'],
    ['huge annotations', { ...base, annotations: { big: 'x'.repeat(256 * 1024) } }, 'FieldValueTooLong', 'metadata.annotations', 'may not be more than 262144 bytes'],
  ])('rejects %s', (_, meta, reason, field, words) => {
    expect(validateKubeObjectMeta(meta)).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a numeric name', { name: 5 }, ['metadata.name']],
    ['a numeric generateName', { generateName: 5 }, ['metadata.generateName']],
    ['a numeric label value', { name: 'x', labels: { app: 1, ok: 'v' } }, ['metadata.labels.app']],
    ['labels as a list', { name: 'x', labels: ['app'] }, ['metadata.labels']],
    ['annotations as a string', { name: 'x', annotations: 'note' }, ['metadata.annotations']],
    ['a null annotation value', { name: 'x', annotations: { note: null } }, ['metadata.annotations.note']],
  ])('reports %s as a type error instead of throwing', (_, meta, fields) => {
    const errors = validateKubeObjectMeta({ namespace: 'ns', ...meta } as ObjectMeta);
    expect(errors.map((e) => `${e.reason} ${e.field}`)).toEqual(fields.map((f) => `FieldValueTypeInvalid ${f}`));
    expect(() => validateIstioMetadata({ namespace: 'ns', ...meta } as ObjectMeta)).not.toThrow();
  });

  it('reads a null name as absent, as Kubernetes decodes it', () => {
    expect(validateKubeObjectMeta({ namespace: 'ns', name: null } as unknown as ObjectMeta)).toEqual([
      expect.objectContaining({ reason: 'FieldValueRequired', field: 'metadata.name' }),
    ]);
  });

  it('counts annotation size in UTF-8 bytes, keys included', () => {
    const value = 'é'.repeat(128 * 1024); // 256 KiB of bytes, plus the key
    expect(validateKubeObjectMeta({ ...base, annotations: { k: value } })).toHaveLength(1);
    expect(validateKubeObjectMeta({ ...base, annotations: { k: value.slice(1) } })).toEqual([]);
  });
});

describe('validateIstioMetadata (istiod validateMetadata)', () => {
  it('accepts ordinary annotations', () => {
    expect(validateIstioMetadata({ ...base, annotations: { 'istio.io/autoRegistrationGroup': 'g' } })).toEqual([]);
  });

  it.each([
    [ISTIO_DRY_RUN_ANNOTATION, 'only supported on AuthorizationPolicy'],
    [ISTIO_ALWAYS_REJECT_ANNOTATION, 'reject the object'],
    [ISTIO_PARENT_NAMESPACE_ANNOTATION, 'may not be set by users'],
    [ISTIO_PARENT_NAMES_ANNOTATION, 'may not be set by users'],
  ])('rejects %s', (annotation, words) => {
    expect(validateIstioMetadata({ ...base, annotations: { [annotation]: 'true' } })).toEqual([
      expect.objectContaining({
        reason: 'FieldValueForbidden',
        field: `metadata.annotations.${annotation}`,
        message: expect.stringContaining(words),
      }),
    ]);
  });

  it('uses the exact annotation names from Istio', () => {
    expect([ISTIO_DRY_RUN_ANNOTATION, ISTIO_ALWAYS_REJECT_ANNOTATION, ISTIO_PARENT_NAMESPACE_ANNOTATION, ISTIO_PARENT_NAMES_ANNOTATION]).toEqual([
      'istio.io/dry-run',
      'internal.istio.io/webhook-always-reject',
      'internal.istio.io/parent-namespace',
      'internal.istio.io/parents',
    ]);
  });

  it('stops at the first forbidden annotation, like the webhook', () => {
    const annotations = { [ISTIO_PARENT_NAMES_ANNOTATION]: 'x', [ISTIO_DRY_RUN_ANNOTATION]: 'true' };
    const errors = validateIstioMetadata({ ...base, annotations });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(`metadata.annotations.${ISTIO_DRY_RUN_ANNOTATION}`);
  });
});

describe('validateOwnerReferences (ValidateOwnerReferences)', () => {
  const ref = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', name: 'g', uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };
  const causes = (refs: unknown) => validateOwnerReferences(refs).map((e) => `${e.reason} ${e.field}: ${e.message}`);

  it.each<[string, unknown]>([
    ['none', undefined],
    ['one controller reference', [{ ...ref, controller: true, blockOwnerDeletion: true }]],
    ['two references, one controller', [{ ...ref, controller: true }, { ...ref, name: 'h', controller: false }]],
  ])('accepts %s', (_, refs) => expect(causes(refs)).toEqual([]));

  it.each<[string, unknown, string]>([
    ['not a list', { ...ref }, 'FieldValueTypeInvalid metadata.ownerReferences: Invalid value: {'],
    ['a reference that is not an object', ['g'], 'FieldValueTypeInvalid metadata.ownerReferences[0]: Invalid value: "g"'],
    ['no apiVersion', [{ ...ref, apiVersion: '' }], 'FieldValueInvalid metadata.ownerReferences[0].apiVersion: Invalid value: "": version must not be empty'],
    ['no kind', [{ ...ref, kind: undefined }], 'FieldValueInvalid metadata.ownerReferences[0].kind: Invalid value: "": kind must not be empty'],
    ['no name', [{ ...ref, name: '' }], 'FieldValueInvalid metadata.ownerReferences[0].name: Invalid value: "": name must not be empty'],
    ['no uid', [{ ...ref, uid: '' }], 'FieldValueInvalid metadata.ownerReferences[0].uid: Invalid value: "": uid must not be empty'],
    ['a numeric uid', [{ ...ref, uid: 7 }], 'FieldValueTypeInvalid metadata.ownerReferences[0].uid: Invalid value: 7'],
    ['a string controller flag', [{ ...ref, controller: 'yes' }], 'FieldValueTypeInvalid metadata.ownerReferences[0].controller: Invalid value: "yes"'],
    ['kind List', [{ ...ref, kind: 'List' }], 'FieldValueInvalid metadata.ownerReferences[0].kind: Invalid value: "List": List is not a valid kind'],
    ['two controllers', [{ ...ref, controller: true }, { ...ref, name: 'h', controller: true }], 'FieldValueInvalid metadata.ownerReferences: Invalid value: 2: Only one reference can have Controller set to true. Found "true" in references for WorkloadGroup/g, WorkloadGroup/h'],
  ])('rejects %s', (_, refs, expected) => expect(causes(refs)).toEqual([expect.stringContaining(expected)]));
});
