import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../common/kube-object';
import { KindDefinition } from '../kinds/kind-definition';
import { KINDS, kindByName } from '../kinds/kinds';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { sortManifests } from './clean-manifest';
import { renderJsonList } from './json-list';
import { renderYamlStream } from './yaml-stream';
import { workloadManifest } from './workload-manifest';
import { allFixtures, detailsService, detailsWorkload } from './test-fixtures';

/**
 * Everything emitted must validate against Istio's CRD openAPIV3Schema. The `x-kubernetes-*` keywords
 * (CEL rules, list types) are stripped: ajv does not know them, and the project's own validator checks
 * CEL. Spec objects are closed (`additionalProperties: false`): the apiserver would prune an unknown
 * field, so emitting one would lose data silently. status is not allowed at all in a clean manifest.
 */
type Schema = Record<string, unknown>;

function stripExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripExtensions);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).filter(([key]) => !key.startsWith('x-kubernetes-'));
  return Object.fromEntries(entries.map(([key, value]) => [key, stripExtensions(value)]));
}

function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closed(value)])) as Schema;
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const stringMap = { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } };
const METADATA = {
  type: 'object',
  required: ['name', 'namespace'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
    namespace: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
    labels: stringMap,
    annotations: stringMap,
  },
};

/** The CRD schema wrapped as a whole-manifest schema: apiVersion, kind and metadata allowed and pinned. */
function manifestSchema(def: KindDefinition): Schema {
  const crd = stripExtensions(def.schema) as { properties: { spec: unknown }; required?: string[] };
  return {
    type: 'object',
    required: [...(crd.required ?? []), 'apiVersion', 'kind', 'metadata'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: `${def.group}/${def.version}` },
      kind: { const: def.kind },
      metadata: METADATA,
      spec: closed(crd.properties.spec),
    },
  };
}

// With the formats Istio's schemas use (int32, date-time), checked and without a warning each.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = new Map<string, ValidateFunction>(KINDS.map((def) => [def.kind, ajv.compile(manifestSchema(def))]));

function schemaErrors(doc: Record<string, unknown>): string[] {
  const validate = validators.get(String(doc.kind));
  if (!validate) return [`no schema for kind ${String(doc.kind)}`];
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const withNamespace = (obj: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata, namespace: 'bookinfo' } });
const kindExamples = KINDS.flatMap((def) => Object.values(def.examples).map((e) => withNamespace(e.value)));
const emitted = (): Array<[string, string]> => [
  ['fixtures as YAML', renderYamlStream(sortManifests(allFixtures()))],
  ['Istio docs examples as YAML', renderYamlStream(kindExamples)],
  ['a workload manifest', renderYamlStream(workloadManifest(detailsWorkload() as unknown as WorkloadEntry, [detailsService() as unknown as ServiceEntry]))],
];

describe('emitted manifests validate against the CRD schemas', () => {
  it.each(emitted())('%s', (_name, text) => {
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expect(schemaErrors(doc)).toEqual([]);
  });

  it('the JSON List items', () => {
    const items = (JSON.parse(renderJsonList(allFixtures())) as { items: Record<string, unknown>[] }).items;
    for (const item of items) expect(schemaErrors(item)).toEqual([]);
  });

  it("and pass the registry's own validation (schema, CEL, istiod webhook, ObjectMeta)", () => {
    const docs = parseAllDocuments(renderYamlStream([...allFixtures(), ...kindExamples])).map((d) => d.toJS() as KubeObject);
    for (const doc of docs) expect(kindByName(doc.kind)?.validate(doc).errors).toEqual([]);
  });
});

describe('the wrapped schema is not vacuous', () => {
  const clean = () => JSON.parse(JSON.stringify(parseAllDocuments(renderYamlStream(allFixtures())).map((d) => d.toJS()))) as Record<string, any>[];
  it.each<[string, (docs: Record<string, any>[]) => Record<string, unknown>, RegExp]>([
    ['a status', (d) => ({ ...d[0], status: {} }), /must NOT have additional properties/],
    ['a uid', (d) => ({ ...d[0], metadata: { ...d[0].metadata, uid: 'x' } }), /\/metadata must NOT have additional properties/],
    ['no namespace', (d) => ({ ...d[0], metadata: { name: 'a' } }), /\/metadata must have required property 'namespace'/],
    ['an unknown spec field', (d) => ({ ...d[0], spec: { ...d[0].spec, adress: '1.1.1.1' } }), /\/spec must NOT have additional properties/],
    ['a string weight', (d) => ({ ...d[2], spec: { ...d[2].spec, weight: '3' } }), /\/spec\/weight must be integer/],
    ['an unknown resolution', (d) => ({ ...d[1], spec: { ...d[1].spec, resolution: 'MAGIC' } }), /\/spec\/resolution must be equal to one of/],
    ['no hosts', (d) => ({ ...d[1], spec: { location: 'MESH_INTERNAL' } }), /\/spec must have required property 'hosts'/],
    ['a port without a name', (d) => ({ ...d[1], spec: { ...d[1].spec, ports: [{ number: 80 }] } }), /\/spec\/ports\/0 must have required property 'name'/],
    ['an old apiVersion', (d) => ({ ...d[0], apiVersion: 'networking.istio.io/v1alpha3' }), /\/apiVersion must be equal to constant/],
  ])('rejects %s', (_name, mutate, expected) => {
    expect(schemaErrors(mutate(clean())).join('\n')).toMatch(expected);
  });
});
