import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeObject } from '../common/kube-object';
import type { ObjectValidationResult, SchemaNode } from '../validation';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
}

/**
 * What differs between kinds, and nothing else: the generic resource layer (store, selectors, patch,
 * dry-run, Status errors, discovery, OpenAPI) serves any kind described by one of these, the way the
 * Kubernetes API server's generic registry takes a strategy per resource.
 */
export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  /** The CRD's `openAPIV3Schema` (spec and status). */
  schema: SchemaNode;
  printerColumns: PrinterColumn[];
  /** All causes (schema, CEL, istiod webhook, ObjectMeta) and warnings for a write. */
  validate(object: KubeObject): ObjectValidationResult;
  /** Valid objects shown as the request examples in Swagger UI (create and replace). */
  examples: Record<string, Example<KubeObject>>;
  /** One patch of each type for the object and for its status, each applicable to the examples above. */
  patchExamples: { spec: PatchExamples; status: PatchExamples };
  /**
   * Kinds whose objects may name one of this kind in their ownerReferences, and are garbage-collected
   * when it is deleted (a WorkloadGroup's registered WorkloadEntries). None: deleting one collects nothing.
   */
  dependentKinds?: string[];
}

export interface Example<T> {
  summary: string;
  value: T;
}

/** A JSON merge patch (RFC 7386) and a JSON patch (RFC 6902), as sent with their media types. */
export interface PatchExamples {
  merge: Example<Record<string, unknown>>;
  json: Example<Record<string, unknown>[]>;
}

interface CrdFile {
  names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
  additionalPrinterColumns?: PrinterColumn[];
  openAPIV3Schema: SchemaNode;
}

/** Reads one of Istio's CRD files kept in `kinds/crds` (copied next to the compiled code by nest-cli). */
export function loadCrd(file: string): CrdFile {
  return parse(readFileSync(join(__dirname, 'crds', file), 'utf8')) as CrdFile;
}

/** The CRD-derived half of a KindDefinition. */
export function fromCrd(file: string) {
  const crd = loadCrd(file);
  return {
    kind: crd.names.kind,
    listKind: crd.names.listKind,
    plural: crd.names.plural,
    singular: crd.names.singular,
    shortNames: crd.names.shortNames ?? [],
    categories: crd.names.categories ?? [],
    schema: crd.openAPIV3Schema,
    printerColumns: crd.additionalPrinterColumns ?? [],
  };
}
