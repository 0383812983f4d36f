/**
 * Permissions in the shape of a Kubernetes RBAC PolicyRule, so that `kubectl auth can-i` and the
 * self-review APIs can answer exactly: verbs, API groups, resources (`plural` or `plural/subresource`,
 * `*` for all, `*` + `/status` for that subresource of any), namespaces (none: every namespace and cluster-wide),
 * resource names (none: all), or non-resource URLs (`/metrics`, a trailing `*` for a prefix).
 */
export interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  namespaces?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  /** Only objects whose `registry.mesh.io/registered-by` annotation names the requesting token. */
  registeredBySelf?: boolean;
}

/** What a request asks to do, as the apiserver's RequestInfo describes it. */
export interface RequestAttributes {
  resourceRequest: boolean;
  verb: string;
  /** The URL path, without the query. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  /** '' for cluster-wide requests. */
  namespace: string;
  /** '' for collections. */
  name: string;
}

export type RuleDecision = 'allow' | 'deny' | 'allow-if-registered-by-self';

const all = (values: readonly string[] | undefined) => !values || values.length === 0 || values.includes('*');
const has = (values: readonly string[] | undefined, value: string) => !!values && (values.includes('*') || values.includes(value));

function resourceMatches(rule: Rule, attributes: RequestAttributes): boolean {
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  return (rule.resources ?? []).some((resource) =>
    resource === '*' || resource === combined || (attributes.subresource !== '' && resource === `*/${attributes.subresource}`),
  );
}

const urlMatches = (pattern: string, path: string) =>
  pattern === '*' || pattern === path || (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1)));

/** Whether one rule grants the request (ignoring its registeredBySelf condition). */
export function ruleMatches(rule: Rule, attributes: RequestAttributes): boolean {
  if (!has(rule.verbs, attributes.verb)) return false;
  if (!attributes.resourceRequest) return (rule.nonResourceURLs ?? []).some((pattern) => urlMatches(pattern, attributes.path));
  if (!rule.resources?.length || !has(rule.apiGroups, attributes.apiGroup) || !resourceMatches(rule, attributes)) return false;
  // A rule limited to namespaces never grants a cluster-wide request (like a RoleBinding).
  if (!all(rule.namespaces) && (attributes.namespace === '' || !rule.namespaces!.includes(attributes.namespace))) return false;
  return !rule.resourceNames?.length || (attributes.name !== '' && rule.resourceNames.includes(attributes.name));
}

/** The rules' answer: an unconditional grant wins over one that still needs the object's annotation. */
export function decide(rules: readonly Rule[], attributes: RequestAttributes): RuleDecision {
  let conditional = false;
  for (const rule of rules) {
    if (!ruleMatches(rule, attributes)) continue;
    if (!rule.registeredBySelf) return 'allow';
    conditional = true;
  }
  return conditional ? 'allow-if-registered-by-self' : 'deny';
}

/** A URL pattern covers another when everything the other matches, it matches. */
const urlCovers = (pattern: string, url: string) =>
  pattern === '*' || (pattern.endsWith('*') ? url.startsWith(pattern.slice(0, -1)) : pattern === url);

const covers = (owner: readonly string[] | undefined, requested: readonly string[] | undefined) =>
  all(owner) || (!all(requested) && requested!.every((value) => owner!.includes(value)));

/**
 * Whether `owner` grants at least everything `rule` grants: the check that stops a token from creating
 * one with more power than its own (RBAC's escalation check).
 */
export function ruleCovers(owner: Rule, rule: Rule): boolean {
  if (owner.registeredBySelf && !rule.registeredBySelf) return false;
  if (!covers(owner.verbs, rule.verbs)) return false;
  if (rule.nonResourceURLs?.length) {
    return rule.nonResourceURLs.every((url) => (owner.nonResourceURLs ?? []).some((pattern) => urlCovers(pattern, url)));
  }
  if (!rule.resources?.length) return true;
  if (!owner.resources?.length || !covers(owner.apiGroups, rule.apiGroups) || !covers(owner.namespaces, rule.namespaces)) return false;
  const resourcesCovered = owner.resources.includes('*') || rule.resources.every((r) => owner.resources!.includes(r) || (r.includes('/') && owner.resources!.includes(`*/${r.split('/')[1]}`)));
  const namesCovered = !owner.resourceNames?.length || (!!rule.resourceNames?.length && rule.resourceNames.every((n) => owner.resourceNames!.includes(n)));
  return resourcesCovered && namesCovered;
}

/** Every rule of `requested` is covered by one of `owner` (each split per verb, so two owner rules can share one). */
export function rulesCovered(owner: readonly Rule[], requested: readonly Rule[]): boolean {
  return requested.every((rule) => rule.verbs.every((verb) => owner.some((o) => ruleCovers(o, { ...rule, verbs: [verb] }))));
}
