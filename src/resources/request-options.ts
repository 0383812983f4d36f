import { fieldErrors } from '../common/field-error';
import { parseQueryBool } from '../common/query-bool';
import { apiErrors } from '../common/status';
import { FieldRequirement, parseFieldSelector } from './field-selector';
import { LabelRequirement, parseLabelSelector, SelectorParseError } from './label-selector';
import type { Actor } from '../store/resource.repository';

/** Query parameters of Kubernetes list and write requests, parsed and checked (bad ones are a 400). */
export type Query = Record<string, string | string[] | undefined>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Who asks: recorded with the write in the change log (the audit trail). */
  actor?: Actor;
}

/**
 * How fresh a read must be, from `resourceVersion` (and a list's `resourceVersionMatch`), with the
 * apiserver's meaning: unset is the latest state (consistent with every acknowledged write); "0" is any
 * state this replica holds; N is a state at least as new as N (NotOlderThan), or exactly N (Exact).
 */
export type Freshness = { kind: 'latest' } | { kind: 'any' } | { kind: 'notOlderThan' | 'exact'; revision: bigint };

export interface ListOptions {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  limit?: number;
  continueToken?: string;
  freshness: Freshness;
  watch: boolean;
}

const LIST_OPTIONS_REF = { group: 'meta.k8s.io', plural: 'listoptions', kind: 'ListOptions', name: '' };
const MATCHES = ['NotOlderThan', 'Exact'] as const;

const single = (query: Query, name: string): string | undefined => {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
};

export function parseWriteOptions(query: Query): WriteOptions {
  const dryRun = query.dryRun === undefined ? [] : ([] as string[]).concat(query.dryRun);
  const unsupported = dryRun.find((value) => value !== 'All');
  if (unsupported !== undefined) throw apiErrors.badRequest(`dryRun: Unsupported value: "${unsupported}": supported values: "All"`);
  const fieldValidation = single(query, 'fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) {
    throw apiErrors.badRequest(
      `fieldValidation: Unsupported value: "${fieldValidation}": supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  return { dryRun: dryRun.length > 0, fieldValidation: fieldValidation as FieldValidation };
}

export function parseListOptions(query: Query, supportedFields: readonly string[]): ListOptions {
  try {
    const continueToken = single(query, 'continue') || undefined;
    const resourceVersion = single(query, 'resourceVersion');
    if (continueToken && resourceVersion) {
      throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersion', 'specifying resource version is not allowed when using continue')]);
    }
    return {
      labels: parseLabelSelector(single(query, 'labelSelector') ?? ''),
      fields: parseFieldSelector(single(query, 'fieldSelector') ?? '', supportedFields),
      limit: parseLimit(single(query, 'limit')),
      continueToken,
      freshness: parseFreshness(resourceVersion, single(query, 'resourceVersionMatch')),
      watch: parseQueryBool('watch', query.watch) ?? false,
    };
  } catch (error) {
    if (error instanceof SelectorParseError) throw apiErrors.badRequest(error.message);
    throw error;
  }
}

/** A GET's `resourceVersion`. */
export function parseGetFreshness(query: Query): Freshness {
  return parseFreshness(single(query, 'resourceVersion'), undefined);
}

function parseFreshness(resourceVersion: string | undefined, match: string | undefined): Freshness {
  if (match !== undefined && match !== '' && !(MATCHES as readonly string[]).includes(match)) {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.notSupported('resourceVersionMatch', match, MATCHES)]);
  }
  if (resourceVersion === undefined || resourceVersion === '') {
    if (match) throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided')]);
    return { kind: 'latest' };
  }
  if (!/^\d{1,19}$/.test(resourceVersion)) {
    throw apiErrors.badRequest(`resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}: must be a resourceVersion this server issued`);
  }
  const revision = BigInt(resourceVersion);
  if (match === 'Exact') {
    if (revision === 0n) throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"')]);
    return { kind: 'exact', revision };
  }
  return revision === 0n ? { kind: 'any' } : { kind: 'notOlderThan', revision };
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw apiErrors.badRequest(`limit: Invalid value: "${text}": must be a non-negative integer`);
  const limit = Number(text);
  return limit === 0 ? undefined : limit;
}
