import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { loadCrdSchema, validateObjectMeta, validateServiceEntry, validateWorkloadEntry } from './index';
import { ISTIO_DRY_RUN_ANNOTATION } from './object-meta';

const meta = { name: 'x', namespace: 'ns' };
const we = (spec: unknown, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: meta, spec, ...extra }) as unknown as WorkloadEntry;
const se = (spec: unknown, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta, spec, ...extra }) as unknown as ServiceEntry;
const causes = (r: { errors: { reason: string; field: string; message: string }[] }) => r.errors.map((e) => `${e.reason} ${e.field}: ${e.message}`);

describe('one defect seen by both layers is reported once, with the more specific message', () => {
  it.each<[string, WorkloadEntry | ServiceEntry, string]>([
    ['WE port 70000', we({ address: '1.1.1.1', ports: { http: 70000 } }), 'FieldValueInvalid spec.ports.http: Invalid value: 70000: must be between 1 and 65535'],
    ['WE no address', we({}), 'FieldValueRequired spec.address: Required value: an endpoint needs an address'],
    ['WE UDS with ports', we({ address: 'unix:///a', ports: { http: 1 } }), 'FieldValueForbidden spec.ports: Forbidden: must not be set for a unix socket address'],
    ['WE empty unix path', we({ address: 'unix://' }), 'FieldValueInvalid spec.address: Invalid value: "unix://": needs a socket path'],
    ['WE bad port name', we({ address: '1.1.1.1', ports: { '@': 80 } }), 'FieldValueInvalid spec.ports.@: Invalid value: "@": a port name must be a DNS-1123 label'],
    ['SE missing hosts', se({}), 'FieldValueRequired spec.hosts: Required value: a ServiceEntry needs at least one host'],
    ['SE empty hosts', se({ hosts: [] }), 'FieldValueRequired spec.hosts: Required value: a ServiceEntry needs at least one host'],
    ['SE host "*"', se({ hosts: ['*'] }), 'FieldValueInvalid spec.hosts[0]: Invalid value: "*": a host cannot be just "*"; use a domain wildcard such as "*.example.com"'],
    ['SE duplicate port name', se({ hosts: ['a.com'], ports: [{ name: 'a', number: 1, protocol: 'HTTP' }, { name: 'a', number: 2, protocol: 'HTTP' }] }), 'FieldValueDuplicate spec.ports[1].name: Duplicate value: "a"'],
    ['SE duplicate port number', se({ hosts: ['a.com'], ports: [{ name: 'a', number: 1, protocol: 'HTTP' }, { name: 'b', number: 1, protocol: 'HTTP' }] }), 'FieldValueDuplicate spec.ports[1].number: Duplicate value: 1'],
    ['SE port 70000', se({ hosts: ['a.com'], ports: [{ name: 'a', number: 70000, protocol: 'HTTP' }] }), 'FieldValueInvalid spec.ports[0].number: Invalid value: 70000: must be between 1 and 65535'],
    ['SE NONE with endpoints', se({ hosts: ['a.com'], endpoints: [{ address: '1.1.1.1' }] }), 'FieldValueForbidden spec.endpoints: Forbidden: endpoints cannot be set when resolution is NONE'],
    ['SE selector wildcard', se({ hosts: ['a.com'], resolution: 'STATIC', workloadSelector: { labels: { a: 'b*' } } }), 'FieldValueInvalid spec.workloadSelector.labels.a: Invalid value: "b*": wildcards'],
  ])('%s', (_, obj, expected) => {
    const result = obj.kind === 'WorkloadEntry' ? validateWorkloadEntry(obj as WorkloadEntry) : validateServiceEntry(obj as ServiceEntry);
    expect(causes(result)).toEqual([expect.stringContaining(expected)]);
  });
});

describe('defects only one layer sees', () => {
  it('CRD only: an explicit targetPort 0 (istiod reads 0 as unset)', () => {
    expect(causes(validateServiceEntry(se({ hosts: ['a.com'], ports: [{ name: 'a', number: 1, protocol: 'HTTP', targetPort: 0 }] })))).toEqual([
      'FieldValueInvalid spec.ports[0].targetPort: Invalid value: "integer": port must be between 1-65535',
    ]);
  });
  it('CRD only: a 63-character port name (the CEL rule wants < 63)', () => {
    const name = 'p'.repeat(63);
    expect(causes(validateWorkloadEntry(we({ address: '1.1.1.1', ports: { [name]: 80 } })))).toEqual([
      'FieldValueInvalid spec.ports: Invalid value: "object": port name must be valid',
    ]);
  });
  it('CRD only: an empty ports map on a unix address', () => {
    expect(causes(validateWorkloadEntry(we({ address: 'unix:///a', ports: {} })))).toEqual(['FieldValueInvalid spec: Invalid value: "object": UDS may not include ports']);
  });
  it('webhook only: an empty address without network', () => {
    expect(causes(validateWorkloadEntry(we({ address: '' })))).toEqual([expect.stringContaining('FieldValueRequired spec.address')]);
  });
  it('CRD only: maxLength on a workload selector label value', () => {
    const result = validateServiceEntry(se({ hosts: ['a.com'], resolution: 'STATIC', workloadSelector: { labels: { a: 'v'.repeat(64) } } }));
    expect(causes(result)).toEqual(['FieldValueTooLong spec.workloadSelector.labels.a: Too long: may not be more than 63 bytes']);
  });
});

describe('pipeline', () => {
  it('skips istiod when the spec cannot be decoded (type errors), like a real cluster', () => {
    expect(causes(validateWorkloadEntry(we({ weight: 'heavy' })))).toEqual([
      'FieldValueTypeInvalid spec.weight: Invalid value: "heavy": spec.weight in body must be of type integer: "string"',
      'FieldValueInvalid <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('skips istiod spec rules after a forbidden annotation, keeping CRD and ObjectMeta errors', () => {
    const obj = se({ hosts: ['*'] }, { metadata: { ...meta, name: 'Bad', annotations: { [ISTIO_DRY_RUN_ANNOTATION]: 'true' } } });
    expect(causes(validateServiceEntry(obj))).toEqual([
      expect.stringContaining('FieldValueInvalid metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain'),
      'FieldValueInvalid spec.hosts[0]: Invalid value: "string": hostname cannot be wildcard',
      expect.stringContaining(`FieldValueForbidden metadata.annotations.${ISTIO_DRY_RUN_ANNOTATION}: Forbidden: ns/Bad: annotation`),
    ]);
  });

  it('returns unknown fields separately and ignores them otherwise', () => {
    const result = validateWorkloadEntry(we({ address: '1.1.1.1', colour: 'red' }, { extra: 1, status: { anything: true } }));
    expect(result).toEqual({ errors: [], warnings: [], unknownFields: ['spec.colour', 'extra'] });
  });

  it('validates the status against its schema', () => {
    const result = validateWorkloadEntry(we({ address: '1.1.1.1' }, { status: { conditions: [{ type: 'Healthy', status: 'True', observedGeneration: 2 }], validationMessages: [{ level: 'LOUD' }] } }));
    expect(causes(result)).toContainEqual(expect.stringContaining('FieldValueNotSupported status.validationMessages[0].level'));
  });

  it('treats null fields as absent', () => {
    expect(validateServiceEntry(se({ hosts: ['a.com'], addresses: null, resolution: null })).errors).toEqual([]);
  });

  it('reports identical warnings once', () => {
    const ports = [{ name: 'a', number: 1 }, { name: 'b', number: 2, protocol: 'TCP' }];
    expect(validateServiceEntry(se({ hosts: ['a.com'], ports })).warnings).toEqual([
      'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled',
    ]);
  });

  it('honours the auto-allocation feature switch', () => {
    const obj = se({ hosts: ['a.com'], resolution: 'DNS', ports: [{ name: 'a', number: 1, protocol: 'TCP' }] });
    expect(validateServiceEntry(obj).warnings).toEqual([]);
    expect(validateServiceEntry(obj, { ipAutoAllocate: false }).warnings).toHaveLength(1);
  });

  it('accepts a schema passed in', () => {
    const schema = loadCrdSchema('workloadentry');
    expect(schema.properties?.spec?.properties?.address?.maxLength).toBe(256);
    expect(validateWorkloadEntry(we({ address: 'a'.repeat(257) }), { schema }).errors.map((e) => e.reason)).toContain('FieldValueTooLong');
  });

  it('validateObjectMeta combines Kubernetes and Istio metadata rules', () => {
    const result = validateObjectMeta({ namespace: 'ns', annotations: { 'internal.istio.io/parents': 'x' } });
    expect(result.errors.map((e) => e.field)).toEqual(['metadata.name', 'metadata.annotations.internal.istio.io/parents']);
    expect(result.warnings).toEqual([]);
  });
});
