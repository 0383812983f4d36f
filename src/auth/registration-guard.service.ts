import { Inject, Injectable } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { apiErrors } from '../common/status';
import { Principal } from './principal';
import { REGISTERED_BY_ANNOTATION, RegistrationRequest, registrationRefusal } from './registration-scope';

/**
 * What the register route asks before it builds an entry (the route itself is authorized by the gate:
 * `create` on `workloadgroups/register` for that group):
 *
 *   this.registrations.check(principal, { namespace, group, address, labels, name });  // 403 if refused
 *   annotations: { ...this.registrations.annotations(principal), ... }                 // registered-by
 *
 * Heartbeats and deletes need nothing here: the gate lets a registration token touch only the entries
 * whose registered-by annotation is its own id.
 */
@Injectable()
export class RegistrationGuard {
  constructor(@Inject(ChangeFeed) private readonly feed: ChangeFeed) {}

  /** Throws the 403 when the principal's registration scope refuses this registration; other principals pass. */
  check(principal: Principal | null, request: RegistrationRequest): void {
    const scope = principal?.registration;
    if (!scope) return;
    const refusal = registrationRefusal(scope, request, this.registeredBy(principal.tokenId!, request.namespace));
    if (refusal) {
      throw apiErrors.forbidden({ group: 'networking.istio.io', plural: 'workloadgroups' }, request.group, `registration token ${principal.tokenId} may not register this entry: ${refusal}`);
    }
  }

  /** The annotations every entry (and lease) a registration writes carries. */
  annotations(principal: Principal | null): Record<string, string> {
    return principal?.tokenId ? { [REGISTERED_BY_ANNOTATION]: principal.tokenId } : {};
  }

  /** Names of the WorkloadEntries of `namespace` this token registered. */
  registeredBy(tokenId: string, namespace: string): string[] {
    const { items } = this.feed.cache.list('WorkloadEntry', { namespace, labels: [], fields: [] });
    return items.filter((entry) => entry.metadata.annotations?.[REGISTERED_BY_ANNOTATION] === tokenId).map((entry) => entry.metadata.name!);
  }
}
