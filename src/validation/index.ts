/**
 * The validation a Kubernetes cluster running Istio applies to WorkloadEntry, ServiceEntry and WorkloadGroup writes:
 * ObjectMeta rules, the CRD schema (structural schema + CEL) and istiod's validating webhook, merged so a defect
 * both layers see is reported once (the webhook's more specific message wins). Pure: no Nest, no Prisma.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { ValidationResult } from '../common/field-error';
import { ObjectMeta } from '../common/kube-object';
import { ServiceEntry, ServiceEntrySpec, WorkloadEntry, WorkloadEntrySpec, WorkloadGroup, WorkloadGroupSpec } from '../kinds/istio-types';
import { emptyResult, finalize, Finding, RuleResult, uniqueWarnings } from './findings';
import { validateIstioMetadata, validateKubeObjectMeta } from './object-meta';
import { isObject, SchemaNode } from './schema-types';
import { validateServiceEntrySpec } from './service-entry.rules';
import { pruneNulls, validateStructural } from './structural-schema';
import { validateWorkloadEntrySpec } from './workload-entry.rules';
import { validateWorkloadGroupSpec } from './workload-group.rules';

export type { SchemaNode } from './schema-types';
export { pruneToSchema } from './structural-schema';
export type ObjectValidationResult = ValidationResult & { unknownFields: string[] };

export interface ValidateOptions {
  /** The CRD's openAPIV3Schema; defaults to the copy shipped in `kinds/crds`. */
  schema?: SchemaNode;
  /** istiod's PILOT_ENABLE_IP_AUTOALLOCATE (default true); only affects the TCP-without-addresses warning. */
  ipAutoAllocate?: boolean;
}

/** Reads `openAPIV3Schema` from `kinds/crds/<kind>.v1.openapi.yaml` (copied to dist by nest-cli assets). */
export function loadCrdSchema(kind: 'workloadentry' | 'serviceentry' | 'workloadgroup'): SchemaNode {
  const file = join(__dirname, '../kinds/crds', `${kind}.v1.openapi.yaml`);
  return (parse(readFileSync(file, 'utf8')) as { openAPIV3Schema: SchemaNode }).openAPIV3Schema;
}

const WORKLOAD_ENTRY_SCHEMA = loadCrdSchema('workloadentry');
const SERVICE_ENTRY_SCHEMA = loadCrdSchema('serviceentry');
const WORKLOAD_GROUP_SCHEMA = loadCrdSchema('workloadgroup');

/** Kubernetes' ObjectMeta rules plus the annotations istiod refuses on every Istio config kind. */
export function validateObjectMeta(meta: ObjectMeta | undefined): ValidationResult {
  return { errors: [...validateKubeObjectMeta(meta), ...validateIstioMetadata(meta)], warnings: [] };
}

const underSpec = (field: string) => field === 'spec' || field.startsWith('spec.') || field.startsWith('spec[');

/** istiod cannot even decode a spec with a wrong type or an unknown enum value, so its rules do not run then. */
const specUndecodable = (errors: readonly Finding[]) =>
  errors.some((e) => (e.reason === 'FieldValueTypeInvalid' || e.reason === 'FieldValueNotSupported') && underSpec(e.field));

function validateObject<S>(
  obj: { metadata?: ObjectMeta; spec?: unknown },
  schema: SchemaNode,
  webhook: (spec: S, meta: ObjectMeta) => RuleResult,
): ObjectValidationResult {
  const meta = obj.metadata ?? {};
  // apiVersion, kind and metadata are not part of a CRD's openAPIV3Schema.
  const { apiVersion: _v, kind: _k, metadata: _m, ...body } = obj as Record<string, unknown>;
  const structural = validateStructural(body, schema);
  const kubeMeta = validateKubeObjectMeta(meta);
  const istioMeta = validateIstioMetadata(meta);
  const spec = pruneNulls(obj.spec, schema.properties?.spec);
  // Metadata of the wrong type (a numeric label value) cannot be decoded either, so istiod never sees it.
  const metaUndecodable = kubeMeta.some((e) => e.reason === 'FieldValueTypeInvalid');
  const runWebhook = !metaUndecodable && istioMeta.length === 0 && isObject(spec) && !specUndecodable(structural.errors);
  const hook = runWebhook ? webhook(spec as S, meta) : emptyResult();
  return {
    errors: [...kubeMeta, ...finalize(structural.errors, [...istioMeta, ...hook.errors])],
    warnings: uniqueWarnings(hook.warnings),
    unknownFields: structural.unknownFields,
  };
}

export function validateWorkloadEntry(obj: WorkloadEntry, options: ValidateOptions = {}): ObjectValidationResult {
  return validateObject<WorkloadEntrySpec>(obj, options.schema ?? WORKLOAD_ENTRY_SCHEMA, (spec) =>
    validateWorkloadEntrySpec(spec, undefined, true, 'spec'),
  );
}

export function validateServiceEntry(obj: ServiceEntry, options: ValidateOptions = {}): ObjectValidationResult {
  return validateObject<ServiceEntrySpec>(obj, options.schema ?? SERVICE_ENTRY_SCHEMA, (spec, meta) =>
    validateServiceEntrySpec(
      { ...spec, hosts: spec.hosts ?? [] },
      { namespace: meta.namespace ?? '', labels: meta.labels, ipAutoAllocate: options.ipAutoAllocate },
    ),
  );
}

export function validateWorkloadGroup(obj: WorkloadGroup, options: ValidateOptions = {}): ObjectValidationResult {
  return validateObject<WorkloadGroupSpec>(obj, options.schema ?? WORKLOAD_GROUP_SCHEMA, (spec) => validateWorkloadGroupSpec(spec));
}
