import { FieldCause, fieldErrors, fieldPath } from '../common/field-error';
import { MAX_NESTING_DEPTH } from '../parsing/limits';
import { storedTextProblem } from './text';

/**
 * What any object must not hold, whatever its schema says, found in one walk over all of it (status and
 * unknown fields included, before anything prunes them): strings and keys PostgreSQL cannot store,
 * `__proto__` keys (JavaScript would turn an assignment of one into a prototype change, so they are
 * refused rather than silently lost), and nesting deeper than MAX_NESTING_DEPTH (a JSON patch can add
 * a deep value under a deep path). At most MAX_CAUSES are reported.
 */
const MAX_CAUSES = 20;

export function contentFindings(value: unknown, path = ''): FieldCause[] {
  const causes: FieldCause[] = [];
  visit(value, path, 0, causes);
  return causes;
}

function visit(value: unknown, path: string, depth: number, causes: FieldCause[]): void {
  if (causes.length >= MAX_CAUSES) return;
  if (typeof value === 'string') return checkText(causes, path, value, value);
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_NESTING_DEPTH) {
    causes.push(fieldErrors.invalid(path, 'object', `must not be nested more than ${MAX_NESTING_DEPTH} levels deep`));
    return;
  }
  if (Array.isArray(value)) return value.forEach((item, i) => visit(item, fieldPath.index(path, i), depth + 1, causes));
  for (const key of Object.keys(value)) {
    const child = fieldPath.child(path, key);
    if (key === '__proto__') causes.push(fieldErrors.forbidden(child, 'the key "__proto__" is not allowed'));
    else checkText(causes, child, key, key);
    visit((value as Record<string, unknown>)[key], child, depth + 1, causes);
  }
}

function checkText(causes: FieldCause[], path: string, text: string, shown: string): void {
  const problem = storedTextProblem(text);
  if (problem) causes.push(fieldErrors.invalid(path, shown.length > 64 ? `${shown.slice(0, 64)}...` : shown, problem));
}
