import { ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { ApiError } from '../../common/status';
import { statusValidationPipe } from '../../common/validation-pipe';
import { ResolveQueryDto } from './resolve-query.dto';
import { fastResolveQuery, RESOLVE_QUERY_PATTERNS, RESOLVE_QUERY_RULES, ResolveQueryPipe } from './resolve-query.pipe';

/** What Fastify hands over: fast-querystring's object without Object.prototype. */
const fastifyQuery = (query: Record<string, unknown>) => Object.assign(Object.create(null) as object, query);
const META: ArgumentMetadata = { type: 'query', metatype: ResolveQueryDto, data: undefined };
const validationPipe = statusValidationPipe();

type Verdict = { dto: unknown } | { error: unknown };

/** The DTO, or the Status the client would get. */
async function verdictOf(run: () => unknown): Promise<Verdict> {
  try {
    return { dto: await run() };
  } catch (error) {
    return { error: error instanceof ApiError ? error.status : error };
  }
}

/** The global ValidationPipe's verdict on a `@Query() query: ResolveQueryDto`. */
const viaValidationPipe = (query: Record<string, unknown>) => verdictOf(() => validationPipe.transform(fastifyQuery(query), META));

const CASES: Record<string, unknown>[] = [
  { host: 'details.bookinfo.com' },
  { host: 'EP10.Bench.example.com', namespace: 'bench', locality: 'region-1/zone-1/sub', network: 'n1' },
  { host: '*.bookinfo.com', port: '80', includeUnhealthy: 'true', explain: 'false', resourceVersion: '123' },
  { host: 'x.com', port: 'http-web', includeUnhealthy: 'false', explain: 'true' },
  { host: 'x.com', locality: '', network: '' },
  { host: 'x.com', port: '65535' },
  { resourceVersion: '1', host: 'x.com' },
];

describe('ResolveQueryPipe', () => {
  it.each(CASES)('takes the fast path for %j and returns what the ValidationPipe returns', async (query) => {
    const fast = fastResolveQuery(fastifyQuery(query));
    const expected = await viaValidationPipe(query);
    expect(expected).toHaveProperty('dto');
    expect(fast).toBeInstanceOf(ResolveQueryDto);
    expect(fast).toStrictEqual((expected as { dto: unknown }).dto);
    expect(Object.keys(fast!)).toEqual(Object.keys((expected as { dto: object }).dto));
  });

  // Per parameter, values around each rule's edges: the fast path must never accept what the
  // ValidationPipe rejects, and must agree on the value when both accept.
  const long = (n: number) => 'a'.repeat(n);
  const EDGES: Record<string, unknown[]> = {
    host: ['', ' ', 'a b', 'a', '-a', 'a-', 'a.', '*', '*.a', 'a..b', long(255), long(256), 'é.com', '😀', ['a.com', 'b.com'], 'A.COM'],
    port: ['', '0', '1', '80', '65535', '65536', '070', 'http', 'HTTP', 'a-', '-a', 'a_b', '1a', long(64), ['80', '81']],
    namespace: ['', 'a', 'A', 'a-b', '-a', 'a-', long(63), long(64), 'a.b', ['a', 'b']],
    locality: ['', 'r/z/s', long(2048), long(2049), '😀'.repeat(1024), '😀'.repeat(1025), ['a', 'b']],
    network: ['', 'net-1', long(2048), long(2049), ['a', 'b']],
    includeUnhealthy: ['true', 'false', 'True', '1', '', 'yes', ['true', 'false']],
    explain: ['true', 'false', 'TRUE', '0', ''],
    resourceVersion: ['', '0', '1', '9'.repeat(19), '9'.repeat(20), '-1', '1.5', 'a'],
    bogus: ['1'],
    constructor: ['1'],
    ['__proto__']: ['1'],
    toString: ['1'],
  };
  const edgeCases = Object.entries(EDGES).flatMap(([key, values]) =>
    values.map((value) => (key === 'host' ? { host: value } : JSON.parse(JSON.stringify({ host: 'x.com', [key]: value })))),
  );

  it.each(edgeCases)('never accepts more than the ValidationPipe: %j', async (query: Record<string, unknown>) => {
    const fast = fastResolveQuery(fastifyQuery(query));
    const expected = await viaValidationPipe(query);
    if (fast) {
      expect(expected).toHaveProperty('dto');
      expect(fast).toStrictEqual((expected as { dto: unknown }).dto);
      expect(Object.keys(fast)).toEqual(Object.keys((expected as { dto: object }).dto));
    }
    // The pipe as the route uses it: the same DTO, or the same 400 Status.
    expect(await verdictOf(() => new ResolveQueryPipe().transform(fastifyQuery(query)))).toStrictEqual(expected);
  });

  it('fails without a host, as the ValidationPipe does', async () => {
    expect(fastResolveQuery(fastifyQuery({}))).toBeUndefined();
    expect(fastResolveQuery(null)).toBeUndefined();
    await expect(Promise.resolve(new ResolveQueryPipe().transform(fastifyQuery({})))).rejects.toBeInstanceOf(ApiError);
  });

  it('mirrors exactly the rules of ResolveQueryDto (change both together)', () => {
    const rules = getMetadataStorage()
      .getTargetValidationMetadatas(ResolveQueryDto, '', true, false)
      .map((m) => {
        const constraints = (m.constraints ?? []).filter((c) => c !== undefined && typeof c !== 'function');
        return `${m.propertyName} ${m.name ?? m.type} ${constraints.map(String).join(' ')}`.trim();
      })
      .sort();
    expect(rules).toEqual(
      [
        'explain isOptional',
        'explain isBoolean',
        'host isNotEmpty',
        'host isString',
        'host matches /^[A-Za-z0-9*]([-A-Za-z0-9.*]*[A-Za-z0-9.])?$/',
        'host maxLength 255',
        'includeUnhealthy isOptional',
        'includeUnhealthy isBoolean',
        'locality isOptional',
        'locality isString',
        'locality maxLength 2048',
        'namespace isOptional',
        'namespace matches /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/',
        'namespace maxLength 63',
        'network isOptional',
        'network isString',
        'network maxLength 2048',
        'port isOptional',
        'port matches /^(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5]|(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/i',
        'resourceVersion isOptional',
        'resourceVersion matches /^\\d{1,19}$/',
      ].sort(),
    );
    for (const [property, pattern] of Object.entries(RESOLVE_QUERY_PATTERNS)) {
      expect(rules).toContain(`${property} matches ${String(pattern)}`);
    }
    expect(Object.keys(RESOLVE_QUERY_RULES).sort()).toEqual(
      ['explain', 'host', 'includeUnhealthy', 'locality', 'namespace', 'network', 'port', 'resourceVersion'],
    );
  });
});
