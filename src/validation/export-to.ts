/**
 * istiod's validateExportTo for a ServiceEntry: entries are `.`, `*`, `~` or a namespace name; `.` is replaced
 * by the object's namespace before looking for duplicates; `*` and `~` must each be the only entry.
 */
import { fieldErrors, fieldPath } from '../common/field-error';
import { Finding } from './findings';
import { isIstioDNS1123Label } from './primitives';

/** visibility.Instance.Validate (after `.` became the namespace). */
function visibilityProblem(value: string): string | undefined {
  if (value === '.' || value === '*') return undefined;
  if (value === '~') return '"~" (exported to no namespace) is only allowed on a ServiceEntry';
  if (isIstioDNS1123Label(value)) return undefined;
  return 'must be "." (this namespace), "*" (all namespaces), "~" (no namespace) or a namespace name';
}

function mustBeAlone(exportTo: readonly string[], seen: ReadonlySet<string>, token: string, meaning: string): Finding[] {
  if (!seen.has(token) || exportTo.length <= 1) return [];
  const at = fieldPath.index('spec.exportTo', exportTo.indexOf(token));
  return [fieldErrors.invalid(at, token, `"${token}" (${meaning}) must be the only entry of exportTo`)];
}

export function validateExportTo(namespace: string, exportTo: readonly string[] | undefined, isServiceEntry = true): Finding[] {
  const list = exportTo ?? [];
  const errors: Finding[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const at = fieldPath.index('spec.exportTo', i);
    const key = entry === '.' ? namespace : entry;
    if (seen.has(key)) {
      errors.push(
        key === entry
          ? fieldErrors.duplicate(at, entry)
          : fieldErrors.invalid(at, entry, `"." stands for this object's namespace ${JSON.stringify(namespace)}, which is already listed`),
      );
      return;
    }
    const problem = isServiceEntry && entry === '~' ? undefined : visibilityProblem(key);
    if (problem) errors.push(fieldErrors.invalid(at, entry, problem));
    else seen.add(key);
  });
  return [...errors, ...mustBeAlone(list, seen, '*', 'all namespaces'), ...mustBeAlone(list, seen, '~', 'no namespace')];
}
