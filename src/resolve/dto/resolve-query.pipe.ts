import { createParamDecorator, ExecutionContext, PipeTransform } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { statusValidationPipe } from '../../common/validation-pipe';
import { RESOLVE_QUERY_PATTERNS, ResolveQueryDto } from './resolve-query.dto';

const INVALID = Symbol('invalid');
const REQUIRED = ['host'];

function toBoolean(value: string): boolean | typeof INVALID {
  return value === 'true' ? true : value === 'false' ? false : INVALID;
}

/**
 * The query of `GET /registry/v1/resolve`, validated as the global ValidationPipe validates a
 * `@Query() query: ResolveQueryDto`, at a fraction of the cost on the hot path.
 *
 * class-transformer + class-validator cost ~30 µs per request, about as much as resolving a
 * 10-endpoint host (bench/api-bench.js, BENCHMARKS.md). A query made only of known parameters,
 * each a single value that obviously passes its rules, is turned into the same ResolveQueryDto here;
 * anything else — a missing host, an unknown or repeated parameter, a value the rules might reject —
 * goes to the very ValidationPipe the app uses (statusValidationPipe), so errors are unchanged.
 * The fast path may only ever accept less than the DTO: resolve-query.pipe.spec.ts checks its rules
 * against the DTO's class-validator metadata and its output against the ValidationPipe's.
 */
export { RESOLVE_QUERY_PATTERNS };
const P = RESOLVE_QUERY_PATTERNS;

/** Per parameter: the value the DTO gets, or INVALID when the ValidationPipe must decide. */
export const RESOLVE_QUERY_RULES: Readonly<Record<string, (value: string) => unknown>> = {
  host: (v) => (v !== '' && v.length <= 255 && P.host.test(v) ? v : INVALID),
  port: (v) => (P.port.test(v) ? v : INVALID),
  namespace: (v) => (v.length <= 63 && P.namespace.test(v) ? v : INVALID),
  // A string no longer than the limit in UTF-16 units is no longer in class-validator's count either.
  locality: (v) => (v.length <= 2048 ? v : INVALID),
  network: (v) => (v.length <= 2048 ? v : INVALID),
  includeUnhealthy: toBoolean,
  explain: toBoolean,
  resourceVersion: (v) => (P.resourceVersion.test(v) ? v : INVALID),
};

/** The DTO the ValidationPipe would return, or undefined when only the ValidationPipe can decide. */
export function fastResolveQuery(query: unknown): ResolveQueryDto | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  const dto = new ResolveQueryDto() as unknown as Record<string, unknown>;
  const keys = Object.keys(query);
  for (const key of keys) {
    const value = (query as Record<string, unknown>)[key];
    // Own rules only: a key such as `constructor` or `__proto__` must not find anything inherited.
    const rule = Object.hasOwn(RESOLVE_QUERY_RULES, key) ? RESOLVE_QUERY_RULES[key] : undefined;
    if (!rule || typeof value !== 'string') return undefined;
    const converted = rule(value);
    if (converted === INVALID) return undefined;
    dto[key] = converted;
  }
  for (const key of REQUIRED) if (!keys.includes(key)) return undefined;
  return dto as unknown as ResolveQueryDto;
}

/** Validates the resolve query: the fast path above, else the app's ValidationPipe (same result, same errors). */
export class ResolveQueryPipe implements PipeTransform {
  private readonly validationPipe = statusValidationPipe();

  transform(query: unknown): ResolveQueryDto | Promise<ResolveQueryDto> {
    return (
      fastResolveQuery(query) ??
      this.validationPipe.transform(query, { type: 'query', metatype: ResolveQueryDto, data: undefined })
    );
  }
}

/**
 * `@Query()` for the resolve route, validated by ResolveQueryPipe only. A custom parameter decorator,
 * because the global ValidationPipe validates `@Query()` parameters itself (and leaves custom ones
 * alone: validateCustomDecorators is off), which would cost the ~30 µs again.
 */
export const ResolveQuery = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().query,
);
