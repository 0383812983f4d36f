/**
 * Shared by the validation and analyze e2e specs: reading Warning headers, asserting a 422 `Invalid`
 * Status and its causes, and building request bodies from the factories.
 */
import request from 'supertest';
import { CauseReason } from '../../src/common/field-error';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export type Reason = CauseReason;

export interface Cause {
  reason: Reason;
  field: string;
  message: string;
}

/** A cause a test expects: reason and exact field, plus words (or the whole text) its message contains. */
export interface ExpectedCause {
  reason: Reason;
  field: string;
  words?: string | string[];
}

export type Kind = 'WorkloadEntry' | 'ServiceEntry';
export type Spec = Record<string, unknown>;
export type Meta = Record<string, unknown>;

export const collectionOf = (kind: Kind, namespace: string): string =>
  kind === 'WorkloadEntry' ? paths.workloadEntries(namespace) : paths.serviceEntries(namespace);
export const itemOf = (kind: Kind, name: string, namespace: string): string =>
  kind === 'WorkloadEntry' ? paths.workloadEntry(name, namespace) : paths.serviceEntry(name, namespace);

/** The factory's valid body of `kind`, with spec and metadata overrides (an `undefined` override drops the field). */
export const bodyOf = (kind: Kind, name: string, spec: Spec = {}, metadata: Meta = {}) =>
  kind === 'WorkloadEntry' ? aWorkloadEntry(name, spec, metadata) : aServiceEntry(name, spec, metadata);

/** A JSON round trip drops `undefined` fields exactly as the request body will. */
export const asSent = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Every `Warning: 299 - "<text>"` header of a response, unescaped, in the order sent (but the test app's "authentication disabled"). */
export function warningsOf(res: request.Response): string[] {
  const raw = (res as unknown as { res?: { rawHeaders?: string[] } }).res?.rawHeaders ?? [];
  const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === 'warning');
  return values.flatMap((value) =>
    [...value.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1')),
  ).filter((warning) => warning !== 'authentication disabled');
}

const ANALYZER_WARNING = /^MR\d{4} /;
/** Warnings of the validation layers (Istio webhook, unknown fields), without the analyzers' MR codes. */
export const istioWarningsOf = (res: request.Response): string[] => warningsOf(res).filter((w) => !ANALYZER_WARNING.test(w));
/** The cross-object analyzer warnings (`MRxxxx Name: message`). */
export const analyzerWarningsOf = (res: request.Response): string[] => warningsOf(res).filter((w) => ANALYZER_WARNING.test(w));

const wordsOf = (words: ExpectedCause['words']): string[] => (words === undefined ? [] : Array.isArray(words) ? words : [words]);

/** A matcher for one expected cause. */
export const causeMatching = ({ reason, field, words }: ExpectedCause) =>
  expect.objectContaining({
    reason,
    field,
    message: wordsOf(words).length > 0 ? expect.stringMatching(wordsOf(words).map(escapeRegExp).map((w) => `(?=[\\s\\S]*${w})`).join('')) : expect.any(String),
  });

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A 422 Invalid Status naming the object, whose causes include every expected one. Status and body are
 * compared together so that a failure shows what came back instead.
 */
export function expectInvalid(res: request.Response, expected: ExpectedCause | ExpectedCause[], name?: string): Cause[] {
  const list = Array.isArray(expected) ? expected : [expected];
  expect({ status: res.status, body: res.body }).toMatchObject({
    status: 422,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { group: 'networking.istio.io', causes: expect.arrayContaining(list.map(causeMatching)), ...(name ? { name } : {}) },
    },
  });
  return res.body.details.causes as Cause[];
}

/** A successful create: 201, the stored object as sent (plus server fields), and exactly these Istio warnings. */
export function expectCreated(res: request.Response, istioWarnings: string[] = []): void {
  expect({ status: res.status, body: res.status === 201 ? undefined : res.body }).toEqual({ status: 201, body: undefined });
  expect(istioWarningsOf(res)).toEqual(istioWarnings);
}

/** A fresh, valid DNS label per call: every table row gets a namespace of its own. */
export function namespaces(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** `count` distinct `k<i>: v` entries, for maxProperties limits. */
export const manyEntries = <V>(count: number, value: (i: number) => V, key = (i: number) => `k${i}`): Record<string, V> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [key(i), value(i)]));
