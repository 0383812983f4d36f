import { KubeObject } from '../common/kube-object';
import { apiErrors } from '../common/status';
import { KindDefinition, PrinterColumn } from '../kinds/kind-definition';
import { evaluateSimpleJsonPath, printerCell } from './printer-cells';

/**
 * meta.k8s.io/v1 Table: what `kubectl get` asks for (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`)
 * so that the server decides the columns. Built as the API server does for a CRD: Name, then the
 * CRD's additionalPrinterColumns (or Age when it declares none).
 */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** What each row carries besides its cells (`?includeObject=`): kubectl reads namespace and labels from it. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a ' +
  'client to request the generation of an appropriate name automatically. Name is primarily intended for creation ' +
  'idempotence and configuration definition. Cannot be updated. More info: ' +
  'https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** A CRD printer column may also carry format and priority (>0 only shown by `-o wide`). */
type CrdPrinterColumn = PrinterColumn & { format?: string; priority?: number };

const printerColumnsOf = (kind: KindDefinition): CrdPrinterColumn[] =>
  kind.printerColumns.length > 0 ? kind.printerColumns : [AGE_COLUMN];

export function columnDefinitionsOf(kind: KindDefinition): TableColumnDefinition[] {
  return [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
    ...printerColumnsOf(kind).map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
}

export function parseIncludeObject(value: unknown): IncludeObject {
  const text = Array.isArray(value) ? value[value.length - 1] : value;
  if (text === undefined || text === '') return 'Metadata';
  if (text === 'None' || text === 'Metadata' || text === 'Object') return text;
  throw apiErrors.badRequest(`includeObject: Unsupported value: "${String(text)}": supported values: "Metadata", "None", "Object"`);
}

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function tableRow(kind: KindDefinition, object: KubeObject, include: IncludeObject, now: Date): TableRow {
  const cells = [
    object.metadata.name ?? '',
    ...printerColumnsOf(kind).map((c) => printerCell(c.type, evaluateSimpleJsonPath(object, c.jsonPath), now)),
  ];
  const rowObj = rowObject(object, include);
  return rowObj === undefined ? { cells } : { cells, object: rowObj };
}

export function tableOf(
  kind: KindDefinition,
  objects: readonly KubeObject[],
  metadata: Table['metadata'],
  include: IncludeObject,
  now: Date,
): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columnDefinitionsOf(kind),
    rows: objects.map((object) => tableRow(kind, object, include, now)),
  };
}

/**
 * The Table for a response body when it is an object or a list of one of the kinds; undefined for
 * anything else (Status, discovery), which is then sent as it is.
 */
export function tableForBody(kinds: readonly KindDefinition[], body: unknown, include: IncludeObject, now: Date): Table | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { apiVersion, kind: bodyKind, metadata, items } = body as { apiVersion?: unknown; kind?: unknown; metadata?: Table['metadata']; items?: unknown };
  const kind = kinds.find((k) => `${k.group}/${k.version}` === apiVersion && (k.kind === bodyKind || k.listKind === bodyKind));
  if (!kind) return undefined;
  if (bodyKind === kind.listKind && Array.isArray(items)) {
    const listMeta = { resourceVersion: metadata?.resourceVersion, ...(metadata?.continue ? { continue: metadata.continue } : {}) };
    return tableOf(kind, items as KubeObject[], listMeta, include, now);
  }
  const object = body as KubeObject;
  return tableOf(kind, [object], { resourceVersion: object.metadata?.resourceVersion }, include, now);
}
