import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import type { Actor } from '../store/resource.repository';
import { RegistrationScope } from './registration-scope';
import { Rule } from './rules';

/** Who a request is from: what the authorizer decides on, and what a write records. */
export interface Principal {
  /** The token's public id; undefined for anonymous requests and with authentication off. */
  tokenId?: string;
  /** The user name of the self-review APIs, of 403 messages and of the audit trail. */
  username: string;
  groups: string[];
  rules: readonly Rule[];
  /** Set for registration tokens: the one WorkloadGroup they may register into, and its limits. */
  registration?: RegistrationScope;
}

export const ANONYMOUS = 'system:anonymous';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any handler runs. */
    principal: Principal | null;
  }
}

/** The actor a write records in the change log. */
export function actorOf(principal: Principal | null | undefined): Actor {
  return principal?.tokenId ? { tokenId: principal.tokenId, subject: principal.username } : { subject: principal?.username ?? ANONYMOUS };
}

/** The request's principal, for handlers: `@CurrentPrincipal() principal: Principal`. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().principal,
);

/** The actor of the request's writes: `@RequestActor() actor: Actor`. */
export const RequestActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => actorOf(context.switchToHttp().getRequest<FastifyRequest>().principal),
);
