import ipaddr from 'ipaddr.js';

/** The annotation a registration writes on its WorkloadEntry (and Lease): the id of the token that made it. */
export const REGISTERED_BY_ANNOTATION = 'registry.mesh.io/registered-by';

/** What a registration token may register: one WorkloadGroup in one namespace, within these limits. */
export interface RegistrationScope {
  namespace: string;
  group: string;
  /** Addresses must fall in one of these (any address when unset). */
  addressCIDRs?: string[];
  /** Entries this token may have registered at once (no limit when unset). */
  maxEntries?: number;
  /** Request label keys it may set; none by default, since labels decide which ServiceEntry selects an entry. */
  allowedLabelKeys: string[];
}

/** One registration, as the register route sees it. */
export interface RegistrationRequest {
  namespace: string;
  group: string;
  address: string;
  labels?: Record<string, string>;
  /** The entry's name. Re-registering an entry this token already made never counts against maxEntries. */
  name: string;
}

function addressIn(address: string, cidrs: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return cidrs.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    return range.kind() === parsed.kind() && parsed.match(range, bits);
  });
}

/**
 * Why the scope refuses this registration, or undefined when it allows it. `registered` names the
 * entries this token has registered so far (for maxEntries).
 */
export function registrationRefusal(scope: RegistrationScope, request: RegistrationRequest, registered: readonly string[]): string | undefined {
  if (request.namespace !== scope.namespace || request.group !== scope.group) {
    return `this token registers into workloadgroup "${scope.group}" in namespace "${scope.namespace}" only`;
  }
  if (scope.addressCIDRs?.length && !addressIn(request.address, scope.addressCIDRs)) {
    return `address ${JSON.stringify(request.address)} is outside this token's addressCIDRs (${scope.addressCIDRs.join(', ')})`;
  }
  const refused = Object.keys(request.labels ?? {}).filter((key) => !scope.allowedLabelKeys.includes(key));
  if (refused.length > 0) {
    const allowed = scope.allowedLabelKeys.length ? `allowedLabelKeys: ${scope.allowedLabelKeys.join(', ')}` : 'it allows no request labels';
    return `label ${refused.map((key) => JSON.stringify(key)).join(', ')} is not allowed by this token (${allowed})`;
  }
  if (scope.maxEntries !== undefined && !registered.includes(request.name) && registered.length >= scope.maxEntries) {
    return `this token has registered ${registered.length} entries, its maxEntries`;
  }
  return undefined;
}

/** CIDRs as the registration token API accepts them. */
export function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
