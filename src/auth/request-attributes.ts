import { RequestAttributes } from './rules';

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
/** `/api/…` or `/apis/…`, however many slashes lead (segmentsOf skips empty segments). */
const MAYBE_RESOURCE_PATH = /^\/+apis?\//;

const nonResource = (verb: string, path: string): RequestAttributes => ({
  resourceRequest: false, verb, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
});

/** Path segments, percent-decoded as the router decodes them; undefined for a malformed escape. */
function segmentsOf(path: string): string[] | undefined {
  const parts = path.split('/').filter((part) => part !== '');
  if (!path.includes('%')) return parts;
  try {
    return parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * The Kubernetes request attributes of a method and URL, as the apiserver's RequestInfoFactory computes
 * them: `/api/v1/...` and `/apis/{group}/{version}/...` are resource requests (`namespaces/{ns}/{resource}
 * [/{name}[/{subresource}]]`, or cluster-wide `{resource}[/...]`); a GET without a name is `list`, or
 * `watch` with `watch=true`; a DELETE without one `deletecollection`; a list whose fieldSelector names
 * one object (`metadata.name=x`, as `kubectl get -w x` sends) carries that name. Everything else is a
 * non-resource request on its path.
 */
export function requestAttributes(method: string, url: string): RequestAttributes {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const verb = VERBS[method] ?? method.toLowerCase();
  // Every other path (probes, resolve, docs) is known non-resource without splitting it.
  if (!MAYBE_RESOURCE_PATH.test(path) && !path.includes('%')) return nonResource(verb, path);
  const parts = segmentsOf(path);
  if (!parts) return nonResource(verb, path);
  const core = parts[0] === 'api';
  if (!(core || parts[0] === 'apis') || parts.length < (core ? 3 : 4)) return nonResource(verb, path);
  const apiGroup = core ? '' : parts[1];
  const apiVersion = core ? parts[1] : parts[2];
  let rest = parts.slice(core ? 2 : 3);
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    // `namespaces/{ns}` alone (and its status) is the namespace object itself.
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  const attributes: RequestAttributes = {
    resourceRequest: true, verb, path, apiGroup, apiVersion,
    resource: rest[0], name: rest[1] ?? '', subresource: rest[2] ?? '', namespace,
  };
  if (attributes.name === '' && verb === 'get') collectionGet(attributes, queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (attributes.name === '' && verb === 'delete') attributes.verb = 'deletecollection';
  return attributes;
}

function collectionGet(attributes: RequestAttributes, query: string): void {
  const params = query ? new URLSearchParams(query) : undefined;
  attributes.verb = params && TRUE.has(params.get('watch') ?? '') ? 'watch' : 'list';
  const fieldSelector = params?.get('fieldSelector');
  const named = fieldSelector ? /^metadata\.name==?([^,=!]+)$/.exec(fieldSelector.trim()) : null;
  if (named && /^[^/%]+$/.test(named[1]) && named[1] !== '.' && named[1] !== '..') attributes.name = named[1];
}
