import { FieldCause } from '../common/field-error';

/**
 * A cause plus the bookkeeping needed to merge the CRD layer with the webhook layer:
 * CRD causes carry a `key` (`<keyword>:<path>` or `cel:<rule id>:<path>`), webhook causes list the
 * CRD keys they describe better (`supersedes`), so the same defect is reported once.
 */
export interface Finding extends FieldCause {
  key?: string;
  supersedes?: readonly string[];
}

/** Errors and warnings of one layer, before merging. */
export interface RuleResult {
  errors: Finding[];
  warnings: string[];
}

export const emptyResult = (): RuleResult => ({ errors: [], warnings: [] });

export function withKey(cause: FieldCause, key: string): Finding {
  return { ...cause, key };
}

export function superseding(cause: FieldCause, ...keys: string[]): Finding {
  return { ...cause, supersedes: keys };
}

/** Appends `extra` into `into` (mutating) and returns it, for terse accumulation. */
export function merge(into: RuleResult, extra: RuleResult): RuleResult {
  into.errors.push(...extra.errors);
  into.warnings.push(...extra.warnings);
  return into;
}

/** Drops CRD findings a webhook finding supersedes, strips bookkeeping and exact duplicates. */
export function finalize(crd: Finding[], webhook: Finding[]): FieldCause[] {
  const superseded = new Set(webhook.flatMap((f) => f.supersedes ?? []));
  const kept = [...crd.filter((f) => !f.key || !superseded.has(f.key)), ...webhook];
  const seen = new Set<string>();
  const out: FieldCause[] = [];
  for (const { reason, field, message } of kept) {
    const id = `${reason}\u0000${field}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ reason, field, message });
  }
  return out;
}

/** Kubernetes de-duplicates identical warning texts; so do we. */
export const uniqueWarnings = (warnings: string[]): string[] => [...new Set(warnings)];
