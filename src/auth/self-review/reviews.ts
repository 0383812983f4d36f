import { authorize, ObjectOwner, rulesOf } from '../authorizer';
import { Principal } from '../principal';
import { RequestAttributes } from '../rules';

type Spec = Record<string, unknown>;
const string = (value: unknown) => (typeof value === 'string' ? value : '');
const TOKEN_ID_EXTRA = 'registry.mesh.io/token-id';

/** The request attributes a SelfSubjectAccessReview asks about; undefined when it names none. */
export function reviewAttributes(spec: Spec | undefined): RequestAttributes | undefined {
  const resource = spec?.resourceAttributes as Spec | undefined;
  const nonResource = spec?.nonResourceAttributes as Spec | undefined;
  if (resource) {
    return {
      resourceRequest: true, verb: string(resource.verb), path: '', apiGroup: string(resource.group), apiVersion: string(resource.version),
      resource: string(resource.resource), subresource: string(resource.subresource), namespace: string(resource.namespace), name: string(resource.name),
    };
  }
  if (nonResource) return { ...reviewAttributes({ resourceAttributes: {} })!, resourceRequest: false, verb: string(nonResource.verb), path: string(nonResource.path) };
  return undefined;
}

/** SelfSubjectAccessReview: may I? Answered exactly as the request itself would be. */
export function accessReview(principal: Principal, spec: Spec | undefined, owner: (attributes: RequestAttributes) => ObjectOwner) {
  const attributes = reviewAttributes(spec);
  const verdict = attributes ? authorize(principal, attributes, () => owner(attributes)) : { allowed: false, reason: 'spec names neither resourceAttributes nor nonResourceAttributes' };
  return {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: spec ?? {},
    status: { allowed: verdict.allowed, ...(verdict.reason ? { reason: verdict.reason } : {}) },
  };
}

/** SelfSubjectRulesReview: everything I may do in a namespace (kubectl auth can-i --list). */
export function rulesReview(principal: Principal, spec: Spec | undefined) {
  const namespace = string(spec?.namespace);
  const rules = rulesOf(principal);
  const applies = (namespaces: readonly string[] | undefined) => !namespaces?.length || namespaces.includes('*') || namespaces.includes(namespace);
  const resourceRules = rules
    .filter((rule) => rule.resources?.length && applies(rule.namespaces))
    .map((rule) => ({ verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources, ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}) }));
  const nonResourceRules = rules.filter((rule) => rule.nonResourceURLs?.length).map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs }));
  const conditional = rules.some((rule) => rule.registeredBySelf && applies(rule.namespaces));
  return {
    kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { namespace },
    status: {
      resourceRules, nonResourceRules, incomplete: conditional,
      ...(conditional ? { evaluationError: 'some rules grant only the entries this token registered' } : {}),
    },
  };
}

/** SelfSubjectReview: who am I (kubectl auth whoami). */
export function selfReview(principal: Principal) {
  return {
    kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
    status: { userInfo: { username: principal.username, groups: principal.groups, ...(principal.tokenId ? { extra: { [TOKEN_ID_EXTRA]: [principal.tokenId] } } : {}) } },
  };
}
