import { ageOf } from '../discovery/human-duration';
import { AGE_COLUMN, IncludeObject, NAME_DESCRIPTION, Table, TableColumnDefinition, TableRow } from '../discovery/table';
import { Namespace } from './namespace-object';

/** The apiserver's own printer columns for namespaces: what `kubectl get ns` shows (NAME STATUS AGE). */
const COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
  { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: AGE_COLUMN.description!, priority: 0 },
];

function row(namespace: Namespace, include: IncludeObject, now: Date): TableRow {
  const { creationTimestamp } = namespace.metadata;
  const cells = [namespace.metadata.name, namespace.status.phase, creationTimestamp ? ageOf(creationTimestamp, now) : '<unknown>'];
  if (include === 'None') return { cells };
  if (include === 'Object') return { cells, object: namespace };
  return { cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: namespace.metadata } };
}

export function namespaceTable(namespaces: Namespace[], resourceVersion: string | undefined, include: IncludeObject, now: Date): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: resourceVersion === undefined ? {} : { resourceVersion },
    columnDefinitions: COLUMNS,
    rows: namespaces.map((namespace) => row(namespace, include, now)),
  };
}
