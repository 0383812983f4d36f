import { FastifyInstance, FastifyRequest } from 'fastify';
import { kubeDNS1123LabelErrors } from '../validation/kube-names';
import { urlTextProblem } from '../validation/text';
import { fieldErrors } from './field-error';
import { apiErrors } from './status';

/** Methods whose body carries the object: a bad namespace there is the object's, a 422 of metadata.namespace. */
const BODY_NAMES_THE_NAMESPACE = new Set(['POST', 'PUT']);

/**
 * Path segments and query parameters are checked before anything reads them: none may hold a control
 * character or a lone surrogate (PostgreSQL would refuse the query that carries it: a 500 before), and
 * a `{namespace}` segment must be a namespace's name (a list of `Bad_NS` answered 200 and an empty
 * list). Each is a 400 naming the parameter.
 */
export function rejectMalformedUrlInput(fastify: FastifyInstance): void {
  // A callback hook, on every request: no promise, no generator.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const targetProblem = requestTargetProblem(request.url);
    if (targetProblem) return done(apiErrors.badRequest(`the request target ${JSON.stringify(request.url.slice(0, 200))} ${targetProblem}`));
    try {
      checkAll(request.params);
      checkAll(request.query);
      const namespace = (request.params as Record<string, unknown> | undefined)?.namespace;
      if (typeof namespace === 'string' && !BODY_NAMES_THE_NAMESPACE.has(request.method)) checkNamespace(namespace);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/**
 * The router and the authorizer must read the same path. The router cuts a path at `#` as well as `?`
 * and routes an absolute-form target (`http://host/apis/…`) by its path; the authorizer read the whole
 * text, so `…/workloadentries/victim#x` was authorized as an object named `victim#x` (which does not exist,
 * so a registration token's own-entries rule let it through) and handled as `victim`. No client sends a
 * fragment, and Kubernetes clients send origin-form targets only: both are refused before anything else.
 */
export function requestTargetProblem(url: string): string | undefined {
  if (!url.startsWith('/')) return 'must be a path starting with "/" (origin-form)';
  if (url.includes('#')) return 'must not contain "#" (a fragment is never sent to a server)';
  return undefined;
}

function checkAll(values: FastifyRequest['params' | 'query']): void {
  if (!values) return;
  for (const name in values as Record<string, unknown>) {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value === 'string') checkText(name, value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') checkText(name, item);
  }
}

function checkText(name: string, value: string): void {
  const problem = urlTextProblem(value) ?? urlTextProblem(name);
  if (problem) throw invalidParameter(name, value, problem);
}

function checkNamespace(namespace: string): void {
  const [problem] = kubeDNS1123LabelErrors(namespace);
  if (problem) throw invalidParameter('namespace', namespace, problem);
}

function invalidParameter(name: string, value: string, problem: string) {
  const cause = fieldErrors.invalid(name, value, problem);
  return apiErrors.badRequest(`${cause.field}: ${cause.message}`, [cause]);
}
