import { fieldErrors } from '../common/field-error';
import { parseQueryBool } from '../common/query-bool';
import { apiErrors } from '../common/status';
import { decodeContinue } from './continue-token';
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
}

/** A watch's options (the ListOptions of `?watch=true`), checked as the apiserver checks them. */
export interface WatchOptions {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** Unset or "0": start with the current state (synthetic ADDED events); N: the changes after N. */
  resourceVersion?: bigint;
  /** resourceVersion unset: that current state is the latest (a consistent read), not any state held here. */
  latest: boolean;
  allowWatchBookmarks: boolean;
  /** Watch-list: the initial ADDED events end with a bookmark marked `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
  /** Undefined: the server's default (a random time in [30, 60] minutes, as kube-apiserver). */
  timeoutSeconds?: number;
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

/** `?watch=true` (any spelling the apiserver accepts) turns a list into a watch. */
export const isWatch = (query: Query): boolean => parseQueryBool('watch', query.watch) ?? false;

export function parseListOptions(query: Query, supportedFields: readonly string[]): ListOptions {
  const continueToken = single(query, 'continue') || undefined;
  const resourceVersion = single(query, 'resourceVersion');
  const match = single(query, 'resourceVersionMatch');
  if (query.sendInitialEvents !== undefined) {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list')]);
  }
  if (continueToken && match) {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided')]);
  }
  if (continueToken && resourceVersion && resourceVersion !== '0') {
    throw apiErrors.badRequest('specifying resource version is not allowed when using continue');
  }
  return {
    ...parseSelectors(query, supportedFields),
    limit: parseLimit(single(query, 'limit')),
    continueToken: validContinue(continueToken),
    freshness: continueToken ? { kind: 'any' } : parseFreshness(resourceVersion, match),
  };
}

export function parseWatchOptions(query: Query, supportedFields: readonly string[]): WatchOptions {
  const sendInitialEvents = parseQueryBool('sendInitialEvents', query.sendInitialEvents);
  const match = single(query, 'resourceVersionMatch') || undefined;
  if (sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan')]);
  }
  if (match !== undefined && sendInitialEvents === undefined) {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided')]);
  }
  if (match !== undefined && match !== 'NotOlderThan') {
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.notSupported('resourceVersionMatch', match, ['NotOlderThan'])]);
  }
  const resourceVersion = single(query, 'resourceVersion');
  if (resourceVersion && !/^\d{1,19}$/.test(resourceVersion)) {
    throw apiErrors.badRequest(`resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}: must be a resourceVersion this server issued`);
  }
  const timeout = single(query, 'timeoutSeconds');
  if (timeout !== undefined && timeout !== '' && !/^\d{1,9}$/.test(timeout)) {
    throw apiErrors.badRequest(`timeoutSeconds: Invalid value: ${JSON.stringify(timeout)}: must be a non-negative integer`);
  }
  const revision = resourceVersion ? BigInt(resourceVersion) : undefined;
  return {
    ...parseSelectors(query, supportedFields),
    ...(revision ? { resourceVersion: revision } : {}),
    latest: !resourceVersion,
    allowWatchBookmarks: parseQueryBool('allowWatchBookmarks', query.allowWatchBookmarks) ?? false,
    ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
    ...(timeout && Number(timeout) > 0 ? { timeoutSeconds: Number(timeout) } : {}),
  };
}

function parseSelectors(query: Query, supportedFields: readonly string[]): Pick<ListOptions, 'labels' | 'fields'> {
  try {
    return {
      labels: parseLabelSelector(single(query, 'labelSelector') ?? ''),
      fields: parseFieldSelector(single(query, 'fieldSelector') ?? '', supportedFields),
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
    throw apiErrors.invalid(LIST_OPTIONS_REF, [fieldErrors.notSupported('resourceVersionMatch', match, [...MATCHES, ''])]);
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
