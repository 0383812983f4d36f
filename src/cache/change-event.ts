import { kindByName } from '../kinds/kinds';
import { ChangeRow } from '../store/change-log.repository';
import { rowToObject } from '../store/resource-row';
import { CacheEvent } from './object-cache';

/** A change-log row as the cache and the watches see it; none for GAP rows and kinds no longer served. */
export function changeToEvent(change: ChangeRow): CacheEvent | undefined {
  if (change.type === 'GAP') return undefined;
  const kind = kindByName(change.row.kind);
  if (!kind) return undefined;
  return {
    type: change.type,
    object: rowToObject(kind, change.row),
    ...(change.previousLabels ? { previousLabels: change.previousLabels } : {}),
  };
}
