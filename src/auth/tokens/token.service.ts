import { Inject, Injectable } from '@nestjs/common';
import { apiErrors } from '../../common/status';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { TokenRepository, TokenRow } from '../../store/token.repository';
import { rulesOf } from '../authorizer';
import { Principal } from '../principal';
import { rulesCovered } from '../rules';
import { TokenCache } from '../token-cache.service';
import { formatToken, hashSecret, newSecret, newTokenId } from '../token-format';
import { registrationGrantOf, TokenGrant, tokenGrantOf } from './token-requests';
import { tokenObject } from './token-object';

const ID_ATTEMPTS = 5;
const ref = (kind: string, plural: string, name: string) => ({ group: 'registry.mesh.io', kind, plural, name });

/** Token management: make one (its secret shown once), list and read them without secrets, revoke. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(TokenRepository) private readonly repository: TokenRepository,
    @Inject(TokenCache) private readonly tokens: TokenCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createToken(creator: Principal, body: unknown) {
    const { grant, causes } = tokenGrantOf(body, this.config.security.clock.now());
    if (!grant) throw apiErrors.invalid(ref('Token', 'tokens', ''), causes);
    // No token makes one with more power than its own (RBAC's escalation check).
    if (!rulesCovered(rulesOf(creator), grant.rules)) {
      throw apiErrors.forbidden({ group: 'registry.mesh.io', plural: 'tokens' }, '', `User ${JSON.stringify(creator.username)} cannot grant rules it does not hold itself`);
    }
    return this.store(creator, grant);
  }

  async createRegistrationToken(creator: Principal, namespace: string, body: unknown) {
    const { grant, causes } = registrationGrantOf(namespace, body, this.config.security.clock.now());
    if (!grant) throw apiErrors.invalid(ref('RegistrationToken', 'registrationtokens', ''), causes);
    return this.store(creator, grant);
  }

  list(namespace?: string): TokenRow[] {
    return this.rows().filter((row) => namespace === undefined || (row.registration as { namespace?: string } | null)?.namespace === namespace);
  }

  get(id: string, namespace?: string): TokenRow {
    const row = this.list(namespace).find((candidate) => candidate.id === id);
    if (!row) throw namespace === undefined ? apiErrors.notFound(ref('Token', 'tokens', id)) : apiErrors.notFound(ref('RegistrationToken', 'registrationtokens', id));
    return row;
  }

  /** Revokes at once on this replica, and within milliseconds (at most a second) on every other. */
  async revoke(id: string, namespace?: string) {
    this.get(id, namespace);
    const revoked = await this.repository.revoke(id, new Date(this.config.security.clock.now()));
    await this.tokens.refresh();
    await this.repository.announce(id);
    return tokenObject(revoked!);
  }

  private rows(): TokenRow[] {
    return this.tokens.all().map((record) => record.row);
  }

  private async store(creator: Principal, grant: TokenGrant) {
    const secret = newSecret();
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = newTokenId();
      const stored = await this.repository.create({
        id, secretHash: hashSecret(secret), subject: grant.subject, role: grant.role, rules: grant.rules, registration: grant.registration,
        description: grant.description, expiresAt: grant.expiresAt, createdBy: creator.tokenId ? `${creator.username} (token ${creator.tokenId})` : creator.username,
      });
      if (!stored) continue;
      await this.tokens.refresh();
      await this.repository.announce(id);
      return tokenObject(this.tokens.get(id)!.row, formatToken(id, secret));
    }
    throw new Error(`no free token id after ${ID_ATTEMPTS} attempts`);
  }
}
