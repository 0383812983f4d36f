import { Inject, Injectable } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ChangeFeed } from '../cache/change-feed.service';
import { ApiError, apiErrors } from '../common/status';
import { warningHeaderValue } from '../common/warnings';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { kindByPlural } from '../kinds/kinds';
import { Metrics } from '../observability/metrics';
import { authorize, forbidden, ObjectOwner, PUBLIC_RULES, Verdict } from './authorizer';
import { ANONYMOUS, Principal } from './principal';
import { RateLimiter, WatchSlots } from './rate-limit';
import { REGISTERED_BY_ANNOTATION } from './registration-scope';
import { registryAccess } from './registry-access';
import { requestAttributes } from './request-attributes';
import { ROLES } from './roles';
import { decide, RequestAttributes } from './rules';
import { TokenCache } from './token-cache.service';

export const AUTH_DISABLED_WARNING = warningHeaderValue('authentication disabled');
const ANONYMOUS_PRINCIPAL: Principal = { username: ANONYMOUS, groups: ['system:unauthenticated'], rules: PUBLIC_RULES };
/** With AUTH=off every request is anonymous and may do anything. */
const AUTH_DISABLED_PRINCIPAL: Principal = { username: ANONYMOUS, groups: ['system:unauthenticated'], rules: ROLES.admin };
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
/** How long a check may wait for this replica to see an object another replica just wrote. */
const OWNER_SYNC_TIMEOUT_MS = 1000;

/**
 * Authentication, rate limits and authorization of every request, in one onRequest hook: before any
 * body is read and before any handler (or stream) starts. Callback style and synchronous on the hot
 * path: a map lookup, a SHA-256, a few string comparisons.
 *
 * Watches (`?watch=true`) spend no request budget; the hook takes one of the token's watch slots and
 * gives it back when the response closes, so the watch route needs nothing for the cap. Handlers that
 * learn what they do from the body (import) ask `refusal()`; the register route asks RegistrationGuard.
 */
@Injectable()
export class AccessGate {
  private readonly reads: RateLimiter;
  private readonly writes: RateLimiter;
  private readonly heartbeats: RateLimiter;
  private readonly unauthenticated: RateLimiter;
  readonly watches: WatchSlots;

  constructor(
    @Inject(TokenCache) private readonly tokens: TokenCache,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    const { rateLimits, clock } = config.security;
    this.reads = new RateLimiter(rateLimits.readsPerSecond, clock);
    this.writes = new RateLimiter(rateLimits.writesPerSecond, clock);
    this.heartbeats = new RateLimiter(rateLimits.heartbeatsPerSecond, clock);
    this.unauthenticated = new RateLimiter(rateLimits.unauthenticatedPerSecond, clock);
    this.watches = new WatchSlots(rateLimits.watchesPerToken);
    setInterval(() => [this.reads, this.writes, this.heartbeats, this.unauthenticated].forEach((l) => l.sweep()), 60_000).unref();
  }

  register(fastify: FastifyInstance): void {
    fastify.decorateRequest('principal', null);
    if (this.config.security.auth === 'off') {
      fastify.addHook('onRequest', (request, reply, done) => {
        request.principal = AUTH_DISABLED_PRINCIPAL;
        void reply.header('warning', AUTH_DISABLED_WARNING);
        done();
      });
      return;
    }
    fastify.addHook('onRequest', (request, reply, done) => this.check(request, reply, done));
  }

  private check(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const authentication = this.tokens.authenticate(request.headers.authorization);
    if (authentication.outcome === 'invalid') return this.unauthorized(request, reply, done);
    const attributes = requestAttributes(request.method, request.url);
    if (authentication.outcome === 'anonymous') {
      request.principal = ANONYMOUS_PRINCIPAL;
      return decide(PUBLIC_RULES, attributes) === 'allow' ? done() : this.unauthorized(request, reply, done);
    }
    const principal = (request.principal = authentication.principal);
    const budget = this.budgetOf(attributes);
    const wait = attributes.verb === 'watch' ? 0 : budget.limiter.take(principal.tokenId!);
    if (wait > 0) return done(this.tooManyRequests(request, reply, wait, `token ${principal.tokenId} is over its ${budget.name} budget`));
    // An unknown route stays a 404 for a caller who is who they say.
    if (request.routeOptions.url === undefined) return done();
    const checks = registryAccess(request.method, request.url) ?? [attributes];
    let missingSeen = false;
    const owner = (check: RequestAttributes) => {
      const found = this.ownerOf(check);
      missingSeen ||= !found.exists;
      return found;
    };
    const denied = this.firstDenied(principal, checks, owner);
    if (denied) return done(forbidden(principal, denied.check, denied.verdict.reason));
    // A missing object may be one another replica just wrote: look again once this replica has caught up.
    if (missingSeen) return void this.recheckAfterSync(principal, checks).then((error) => this.admit(request, reply, attributes, done, error));
    this.admit(request, reply, attributes, done);
  }

  private admit(request: FastifyRequest, reply: FastifyReply, attributes: RequestAttributes, done: HookHandlerDoneFunction, error?: ApiError): void {
    if (error || attributes.verb !== 'watch') return done(error);
    const release = this.watches.acquire(request.principal!.tokenId!);
    if (!release) return done(this.tooManyRequests(request, reply, 1, `token ${request.principal!.tokenId} has ${this.config.security.rateLimits.watchesPerToken} watches open, its limit`));
    reply.raw.once('close', release);
    done();
  }

  private firstDenied(principal: Principal, checks: readonly RequestAttributes[], owner: (check: RequestAttributes) => ObjectOwner): { check: RequestAttributes; verdict: Verdict } | undefined {
    for (const check of checks) {
      const verdict = authorize(principal, check, () => owner(check));
      if (!verdict.allowed) return { check, verdict };
    }
    return undefined;
  }

  private async recheckAfterSync(principal: Principal, checks: readonly RequestAttributes[]): Promise<ApiError | undefined> {
    await this.feed.sync(OWNER_SYNC_TIMEOUT_MS).catch(() => false);
    const denied = this.firstDenied(principal, checks, (check) => this.ownerOf(check));
    return denied && forbidden(principal, denied.check, denied.verdict.reason);
  }

  /**
   * For handlers that learn what a request does only from its body (import): the 403 for the first of
   * `checks` the principal may not do, or undefined.
   */
  refusal(principal: Principal, checks: RequestAttributes[]): ApiError | undefined {
    const denied = this.firstDenied(principal, checks, (check) => this.ownerOf(check));
    return denied && forbidden(principal, denied.check, denied.verdict.reason);
  }

  /** The object a registeredBySelf rule is about, from this replica's cache. */
  ownerOf(attributes: RequestAttributes): ObjectOwner {
    const kind = kindByPlural(attributes.resource);
    // A kind this registry does not serve has no object to own: the handler's 404 follows only where it exists.
    if (!kind || kind.group !== attributes.apiGroup) return { exists: true };
    const object = this.feed.cache.get(kind.kind, { namespace: attributes.namespace, name: attributes.name });
    if (!object) return { exists: false };
    return { exists: true, registeredBy: object.metadata.annotations?.[REGISTERED_BY_ANNOTATION] };
  }

  /** Heartbeats, writes and reads each spend a budget of their own. */
  private budgetOf(attributes: RequestAttributes): { limiter: RateLimiter; name: string } {
    const limits = this.config.security.rateLimits;
    if (attributes.subresource === 'heartbeat') return { limiter: this.heartbeats, name: `heartbeat (${limits.heartbeatsPerSecond}/s)` };
    if (WRITE_VERBS.has(attributes.verb)) return { limiter: this.writes, name: `write (${limits.writesPerSecond}/s)` };
    return { limiter: this.reads, name: `read (${limits.readsPerSecond}/s)` };
  }

  /** 401, unless this address has failed too often: then 429, so guessing is slow. */
  private unauthorized(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    request.principal ??= ANONYMOUS_PRINCIPAL;
    const wait = this.unauthenticated.take(request.ip);
    done(wait > 0 ? this.tooManyRequests(request, reply, wait, 'too many requests without a valid token from this address') : apiErrors.unauthorized());
  }

  private tooManyRequests(request: FastifyRequest, reply: FastifyReply, seconds: number, why: string): ApiError {
    this.metrics.recordRateLimited(request.routeOptions.url ?? 'unmatched');
    void reply.header('retry-after', String(seconds));
    return apiErrors.tooManyRequests(`Too many requests, please try again later: ${why}`, seconds);
  }
}
