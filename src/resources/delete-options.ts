import { fieldErrors, FieldCause } from '../common/field-error';
import { parseQueryBool } from '../common/query-bool';
import { apiErrors } from '../common/status';
import { parseWriteOptions, Query } from './request-options';

export const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'] as const;
export type PropagationPolicy = (typeof PROPAGATION_POLICIES)[number];

/** metav1.DeleteOptions, as far as this registry acts on it. */
export interface DeleteOptions {
  dryRun: boolean;
  preconditions: { uid?: string; resourceVersion?: string };
  /** What happens to objects this one owns (a WorkloadGroup's registered entries). */
  propagationPolicy?: PropagationPolicy;
  /** Accepted and ignored: objects of these kinds are deleted at once. */
  gracePeriodSeconds?: number;
}

const DELETE_OPTIONS_REF = { group: 'meta.k8s.io', plural: 'deleteoptions', kind: 'DeleteOptions', name: '' };
const API_VERSIONS = ['v1', 'meta.k8s.io/v1'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * DeleteOptions from the request body, as the official clients send them (`Content-Type:
 * application/json` and an empty body, or a DeleteOptions object), or else from the query string, as
 * the apiserver reads them. Malformed options are a 400; options that contradict each other a 422.
 */
export function parseDeleteOptions(body: unknown, query: Query): DeleteOptions {
  // The write parameters every route takes are checked here too (a bad one is a 400, never ignored).
  parseWriteOptions(query);
  const fromBody = body !== undefined && body !== null && body !== '';
  const source = fromBody ? bodyOptions(body) : queryOptions(query);
  // dryRun may also come in the query string beside a body (curl users put it there).
  const dryRun = [...(source.dryRun ?? []), ...(fromBody ? queryList(query.dryRun) : [])];
  const { propagationPolicy, orphanDependents } = source;
  const causes: FieldCause[] = [];
  for (const value of dryRun) if (value !== 'All') causes.push(fieldErrors.notSupported('dryRun', value, ['All']));
  if (propagationPolicy !== undefined && !(PROPAGATION_POLICIES as readonly string[]).includes(propagationPolicy)) {
    causes.push(fieldErrors.notSupported('propagationPolicy', propagationPolicy, [...PROPAGATION_POLICIES, 'nil']));
  }
  if (propagationPolicy !== undefined && orphanDependents !== undefined) {
    causes.push(fieldErrors.invalid('propagationPolicy', propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (causes.length > 0) throw apiErrors.invalid(DELETE_OPTIONS_REF, causes);
  const policy = (propagationPolicy ?? (orphanDependents === true ? 'Orphan' : undefined)) as PropagationPolicy | undefined;
  return {
    dryRun: dryRun.length > 0,
    preconditions: source.preconditions ?? {},
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(source.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: source.gracePeriodSeconds } : {}),
  };
}

interface RawOptions {
  dryRun?: string[];
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: DeleteOptions['preconditions'];
}

function bodyOptions(body: unknown): RawOptions {
  if (!isObject(body)) throw apiErrors.badRequest('the request body must be a DeleteOptions object');
  const { apiVersion, kind, dryRun, propagationPolicy, orphanDependents, gracePeriodSeconds, preconditions } = body;
  if (kind !== undefined && kind !== 'DeleteOptions') {
    throw apiErrors.badRequest(`the body of a delete must be DeleteOptions, not ${JSON.stringify(kind)}`);
  }
  if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion as string)) {
    throw apiErrors.badRequest(`DeleteOptions apiVersion must be one of ${API_VERSIONS.join(', ')}, not ${JSON.stringify(apiVersion)}`);
  }
  const wrongType = (field: string, type: string) => apiErrors.badRequest(`DeleteOptions.${field} must be ${type}`);
  if (dryRun !== undefined && dryRun !== null && !(Array.isArray(dryRun) && dryRun.every((v) => typeof v === 'string'))) throw wrongType('dryRun', 'a list of strings');
  if (propagationPolicy !== undefined && propagationPolicy !== null && typeof propagationPolicy !== 'string') throw wrongType('propagationPolicy', 'a string');
  if (orphanDependents !== undefined && orphanDependents !== null && typeof orphanDependents !== 'boolean') throw wrongType('orphanDependents', 'a boolean');
  if (gracePeriodSeconds !== undefined && gracePeriodSeconds !== null && !Number.isSafeInteger(gracePeriodSeconds)) throw wrongType('gracePeriodSeconds', 'an integer');
  return {
    ...(Array.isArray(dryRun) ? { dryRun: dryRun as string[] } : {}),
    ...(typeof propagationPolicy === 'string' ? { propagationPolicy } : {}),
    ...(typeof orphanDependents === 'boolean' ? { orphanDependents } : {}),
    ...(typeof gracePeriodSeconds === 'number' ? { gracePeriodSeconds } : {}),
    ...(preconditions !== undefined && preconditions !== null ? { preconditions: parsePreconditions(preconditions) } : {}),
  };
}

function parsePreconditions(value: unknown): DeleteOptions['preconditions'] {
  if (!isObject(value)) throw apiErrors.badRequest('DeleteOptions.preconditions must be an object');
  const { uid, resourceVersion } = value;
  if (uid !== undefined && uid !== null && typeof uid !== 'string') throw apiErrors.badRequest('DeleteOptions.preconditions.uid must be a string');
  if (resourceVersion !== undefined && resourceVersion !== null && typeof resourceVersion !== 'string') {
    throw apiErrors.badRequest('DeleteOptions.preconditions.resourceVersion must be a string');
  }
  return { ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
}

function queryOptions(query: Query): RawOptions {
  const last = (name: string) => {
    const value = query[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  const grace = last('gracePeriodSeconds');
  if (grace !== undefined && !/^-?\d+$/.test(grace)) {
    throw apiErrors.badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(grace)}: must be an integer`);
  }
  const orphanDependents = parseQueryBool('orphanDependents', query.orphanDependents);
  return {
    dryRun: queryList(query.dryRun),
    ...(last('propagationPolicy') !== undefined ? { propagationPolicy: last('propagationPolicy') } : {}),
    ...(orphanDependents !== undefined ? { orphanDependents } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: Number(grace) } : {}),
  };
}

const queryList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value));
