import { idOf, IndexedObject } from '../resolve/registry-index';

/**
 * Findings of the cross-object analyzers: advisory only (reported as Kubernetes `Warning` headers on
 * writes, never blocking), each with a stable code that clients may filter on.
 */
export type Severity = 'Error' | 'Warning' | 'Info';

export interface FindingObject {
  kind: 'ServiceEntry' | 'WorkloadEntry';
  namespace: string;
  name: string;
  /** Where in this object the problem lies, e.g. `spec.ports[1].protocol`. */
  field?: string;
}

export interface Finding {
  code: string;
  /** Stable CamelCase name of the code, e.g. `ServiceEntrySelectsNothing`. */
  name: string;
  severity: Severity;
  message: string;
  /** The object the finding is about comes first; the others are sorted by namespace/name. */
  objects: FindingObject[];
  /** The first object's field. */
  field?: string;
}

export interface Rule {
  code: string;
  name: string;
  severity: Severity;
}

/** Codes are append-only: never renumber or reuse one, clients match on them. */
export const RULES = {
  ServiceEntrySelectsNothing: { code: 'MR0001', name: 'ServiceEntrySelectsNothing', severity: 'Warning' },
  // Info: a Kubernetes Service (not stored here) may still select the entry.
  WorkloadEntryNotSelected: { code: 'MR0002', name: 'WorkloadEntryNotSelected', severity: 'Info' },
  DnsOnlyWorkloadNeverUsed: { code: 'MR0003', name: 'DnsOnlyWorkloadNeverUsed', severity: 'Warning' },
  SelectorIgnoredWithResolutionNone: { code: 'MR0004', name: 'SelectorIgnoredWithResolutionNone', severity: 'Warning' },
  UnknownWorkloadPortName: { code: 'MR0005', name: 'UnknownWorkloadPortName', severity: 'Warning' },
  DuplicateWorkloadAddress: { code: 'MR0006', name: 'DuplicateWorkloadAddress', severity: 'Warning' },
  // Error: clients in the shared namespaces get one of the two protocols, the other service breaks.
  ConflictingPortProtocols: { code: 'MR0007', name: 'ConflictingPortProtocols', severity: 'Error' },
} as const satisfies Record<string, Rule>;

export function refOf(obj: IndexedObject, field?: string): FindingObject {
  const kind = obj.kind === 'ServiceEntry' ? 'ServiceEntry' : 'WorkloadEntry';
  return { kind, ...idOf(obj), ...(field ? { field } : {}) };
}

/** `namespace/name`, as kubectl prints it. */
export const nameOf = (obj: IndexedObject): string => `${idOf(obj).namespace}/${idOf(obj).name}`;

export function finding(rule: Rule, message: string, objects: FindingObject[]): Finding {
  const field = objects[0]?.field;
  return { code: rule.code, name: rule.name, severity: rule.severity, message, objects, ...(field ? { field } : {}) };
}

/** Plain code-unit comparison: locale-independent, so the order is the same on every host. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareRefs(a: FindingObject, b: FindingObject): number {
  return compareText(a.namespace, b.namespace) || compareText(a.name, b.name) || compareText(a.kind, b.kind);
}

export function sortObjects<T extends IndexedObject>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => compareRefs(refOf(a), refOf(b)));
}

/** By code, then the first object's namespace/name, then field and message (full determinism). */
export function compareFindings(a: Finding, b: Finding): number {
  const [x, y] = [a.objects[0], b.objects[0]];
  return (
    compareText(a.code, b.code) ||
    (x && y ? compareRefs(x, y) : 0) ||
    compareText(a.field ?? '', b.field ?? '') ||
    compareText(a.message, b.message)
  );
}

export function involves(f: Finding, obj: IndexedObject): boolean {
  const ref = refOf(obj);
  return f.objects.some((o) => o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name);
}

export const involvesNamespace = (f: Finding, namespace: string): boolean =>
  f.objects.some((o) => o.namespace === namespace);

/**
 * One line for a Kubernetes `Warning` header: `<code> <name>: <message>`. Control characters and runs
 * of whitespace become one space, since a header value cannot span lines.
 */
export function findingToWarning(f: Finding): string {
  // eslint-disable-next-line no-control-regex
  return `${f.code} ${f.name}: ${f.message}`.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** Same kind, namespace and name: a stored object and the candidate replacing it. */
export function sameObject(a: IndexedObject, b: IndexedObject): boolean {
  const [x, y] = [refOf(a), refOf(b)];
  return x.kind === y.kind && x.namespace === y.namespace && x.name === y.name;
}
