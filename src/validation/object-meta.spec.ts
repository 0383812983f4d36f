import { ObjectMeta } from '../common/kube-object';
import {
  ISTIO_ALWAYS_REJECT_ANNOTATION,
  ISTIO_DRY_RUN_ANNOTATION,
  ISTIO_PARENT_NAMES_ANNOTATION,
  ISTIO_PARENT_NAMESPACE_ANNOTATION,
  validateIstioMetadata,
  validateKubeObjectMeta,
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
