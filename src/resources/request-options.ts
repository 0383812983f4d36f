import { apiErrors } from '../common/status';
import { decodeContinue } from './continue-token';
import { FieldRequirement, parseFieldSelector } from './field-selector';
import { LabelRequirement, parseLabelSelector, SelectorParseError } from './label-selector';

/** Query parameters of Kubernetes list and write requests, parsed and checked (bad ones are a 400). */
export type Query = Record<string, string | string[] | undefined>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

export interface ListOptions {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

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
  if (single(query, 'watch') === 'true' || single(query, 'watch') === '1') {
    throw apiErrors.badRequest('watch is not supported by this registry yet; list and poll with resourceVersion instead');
  }
  try {
    return {
      labels: parseLabelSelector(single(query, 'labelSelector') ?? ''),
      fields: parseFieldSelector(single(query, 'fieldSelector') ?? '', supportedFields),
      limit: parseLimit(single(query, 'limit')),
      continueToken: validContinue(single(query, 'continue') || undefined),
    };
  } catch (error) {
    if (error instanceof SelectorParseError) throw apiErrors.badRequest(error.message);
    throw error;
  }
}

/** Checked here, not only when a list decodes it: deletecollection ignores the token, and used to ignore a bad one. */
const validContinue = (token: string | undefined) => (token === undefined ? undefined : (decodeContinue(token), token));

/** A page never holds more than this; a larger limit (up to int64, as the apiserver reads it) means the same. */
const MAX_PAGE = 2 ** 31 - 1;
const INT64_MAX = 2n ** 63n - 1n;

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw apiErrors.badRequest(`limit: Invalid value: "${text}": must be a non-negative integer`);
  if (BigInt(text) > INT64_MAX) throw apiErrors.badRequest(`limit: Invalid value: "${text}": must be at most ${INT64_MAX}`);
  const limit = Math.min(Number(text), MAX_PAGE);
  return limit === 0 ? undefined : limit;
}
