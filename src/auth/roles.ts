import { Rule } from './rules';

export const ISTIO_GROUP = 'networking.istio.io';
export const REGISTRY_GROUP = 'registry.mesh.io';
/** Where the onboarding routes keep their leases (Kubernetes' own Lease group). */
export const LEASE_GROUP = 'coordination.k8s.io';

const READ = ['get', 'list', 'watch'];

/**
 * The built-in roles. Registry routes (resolve, analyze, export, manifest, import) need the rules on
 * the kinds they read or write; `/registry/v1/audit` and token management are the admin's.
 */
export const ROLES = {
  admin: [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
  editor: [
    { verbs: ['*'], apiGroups: [ISTIO_GROUP, LEASE_GROUP], resources: ['*'] },
    { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
    { verbs: ['create', 'get', 'list', 'delete'], apiGroups: [REGISTRY_GROUP], resources: ['registrationtokens'] },
    { verbs: ['get'], nonResourceURLs: ['/metrics'] },
  ],
  viewer: [
    { verbs: READ, apiGroups: [ISTIO_GROUP, LEASE_GROUP, ''], resources: ['*'] },
    { verbs: ['get'], nonResourceURLs: ['/metrics'] },
  ],
  registrar: registrarRules(),
} satisfies Record<string, Rule[]>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

/**
 * What a registrar may do: read the WorkloadGroup it registers into (its probe says how the VM checks its
 * health) and register into it, then heartbeat, read and delete only the entries (and leases) it
 * registered. A registration token gets these narrowed to one group in one namespace.
 */
export function registrarRules(scope?: { namespace: string; group: string }): Rule[] {
  const where = scope ? { namespaces: [scope.namespace] } : {};
  const theGroup = scope ? { resourceNames: [scope.group] } : {};
  return [
    { verbs: ['get'], apiGroups: [ISTIO_GROUP], resources: ['workloadgroups'], ...where, ...theGroup },
    { verbs: ['create'], apiGroups: [ISTIO_GROUP], resources: ['workloadgroups/register'], ...where, ...theGroup },
    { verbs: ['create', 'update', 'patch'], apiGroups: [ISTIO_GROUP], resources: ['workloadentries/heartbeat'], ...where, registeredBySelf: true },
    { verbs: ['get', 'delete'], apiGroups: [ISTIO_GROUP], resources: ['workloadentries'], ...where, registeredBySelf: true },
    { verbs: ['get', 'update', 'patch'], apiGroups: [LEASE_GROUP], resources: ['leases'], ...where, registeredBySelf: true },
  ];
}

/** A role's rules limited to some namespaces (its resource rules; non-resource ones are dropped, being cluster-wide). */
export function inNamespaces(rules: readonly Rule[], namespaces: readonly string[] | undefined): Rule[] {
  if (!namespaces?.length) return [...rules];
  return rules.filter((rule) => rule.resources?.length).map((rule) => ({ ...rule, namespaces: [...namespaces] }));
}
