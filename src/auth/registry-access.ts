import { KINDS } from '../kinds/kinds';
import { RequestAttributes } from './rules';

const REGISTRY = '/registry/v1/';
const MANIFEST = /^namespaces\/([^/]+)\/workloadentries\/([^/]+)\/manifest$/;

const on = (verb: string, plural: string, namespace: string, name = ''): RequestAttributes => {
  const kind = KINDS.find((k) => k.plural === plural);
  return {
    resourceRequest: true, verb, path: '', apiGroup: kind?.group ?? 'networking.istio.io', apiVersion: kind?.version ?? 'v1',
    resource: plural, subresource: '', namespace, name,
  };
};

const kindsAsked = (text: string | null) => {
  const wanted = text?.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean) ?? [];
  const kinds = KINDS.filter((k) => wanted.includes(k.kind.toLowerCase()) || wanted.includes(k.plural));
  // Unknown kinds are the handler's 400; asking for none or only unknown ones is asking for all.
  return (kinds.length ? kinds : KINDS).map((k) => k.plural);
};

// Resolve is the hot one: its checks are built once.
const RESOLVE_CHECKS: readonly RequestAttributes[] = Object.freeze([on('list', 'serviceentries', ''), on('list', 'workloadentries', '')]);

/**
 * What a registry route needs, as the resource requests it amounts to: resolve and analyze read every
 * ServiceEntry and WorkloadEntry (analyze in one namespace when asked), export reads the kinds asked
 * for, a manifest reads its WorkloadEntry and the namespace's ServiceEntries. Import needs nothing here:
 * its body names the kinds, so it checks each document (ImportService). Undefined for other paths;
 * every other registry route (audit) is checked as a non-resource URL.
 */
export function registryAccess(method: string, url: string): readonly RequestAttributes[] | undefined {
  if (!url.startsWith(REGISTRY)) return undefined;
  const queryAt = url.indexOf('?');
  const route = (queryAt < 0 ? url : url.slice(0, queryAt)).slice(REGISTRY.length);
  const read = method === 'GET' || method === 'HEAD';
  if (read && route === 'resolve') return RESOLVE_CHECKS;
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  const namespace = query.get('namespace') ?? '';
  if (read && route === 'analyze') return [on('list', 'serviceentries', namespace), on('list', 'workloadentries', namespace)];
  if (read && route === 'export') return kindsAsked(query.get('kind')).map((plural) => on('list', plural, namespace));
  const manifest = read ? MANIFEST.exec(route) : null;
  if (manifest) {
    const [ns, name] = [manifest[1], manifest[2]].map((part) => safeDecode(part));
    return [on('get', 'workloadentries', ns, name), on('list', 'serviceentries', ns)];
  }
  if (method === 'POST' && route === 'import') return [];
  return undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** What importing one document takes: create and update of its kind, in its namespace, by name. */
export function importChecks(object: { kind: string; namespace: string; name: string }): RequestAttributes[] {
  const plural = KINDS.find((k) => k.kind === object.kind)?.plural ?? object.kind.toLowerCase();
  return ['create', 'update'].map((verb) => on(verb, plural, object.namespace, object.name));
}
