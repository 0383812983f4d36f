import { ApiError, apiErrors } from '../common/status';
import { Principal } from './principal';
import { decide, RequestAttributes, Rule } from './rules';

/** Probes and Swagger UI: open to anyone (Kubernetes' system:public-info-viewer). */
export const PUBLIC_RULES: readonly Rule[] = [
  { verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez', '/version', '/docs', '/docs*'] },
];

/** What every authenticated caller may do: discovery, OpenAPI, and asking about itself (system:basic-user). */
export const AUTHENTICATED_RULES: readonly Rule[] = [
  ...PUBLIC_RULES,
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*'] },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

/** The object a conditional rule is about: missing, or present with its registered-by annotation. */
export type ObjectOwner = { exists: false } | { exists: true; registeredBy?: string };

export interface Verdict {
  allowed: boolean;
  /** Why not, when the rules alone do not say (kubectl auth can-i prints it). */
  reason?: string;
}

export const ONLY_OWN_ENTRIES = 'a registration token may only act on the entries it registered';

export const rulesOf = (principal: Principal): readonly Rule[] =>
  principal.tokenId ? [...AUTHENTICATED_RULES, ...principal.rules] : principal.rules;

/**
 * The decision for one request. Rules with `registeredBySelf` need the object: allowed when it carries
 * this token's id, and when it does not exist (so the handler answers 404, the re-register signal).
 */
export function authorize(principal: Principal, attributes: RequestAttributes, owner: () => ObjectOwner): Verdict {
  const decision = decide(rulesOf(principal), attributes);
  if (decision === 'allow') return { allowed: true };
  if (decision === 'deny') return { allowed: false };
  if (!attributes.name) return { allowed: false, reason: ONLY_OWN_ENTRIES };
  const found = owner();
  const allowed = !found.exists || (found.registeredBy !== undefined && found.registeredBy === principal.tokenId);
  return allowed ? { allowed } : { allowed, reason: ONLY_OWN_ENTRIES };
}

/** The apiserver's forbidden message (endpoints/handlers/responsewriters `forbiddenMessage`). */
export function forbiddenMessage(username: string, attributes: RequestAttributes): string {
  if (!attributes.resourceRequest) return `User ${JSON.stringify(username)} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const where = attributes.namespace ? `in the namespace ${JSON.stringify(attributes.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(username)} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup)} ${where}`;
}

export function forbidden(principal: Principal, attributes: RequestAttributes, reason?: string): ApiError {
  const message = forbiddenMessage(principal.username, attributes);
  const resource = attributes.resourceRequest ? { group: attributes.apiGroup, plural: attributes.resource } : undefined;
  return apiErrors.forbidden(resource, attributes.name, reason ? `${message}: ${reason}` : message);
}
