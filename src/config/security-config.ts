import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync, ValidationError } from 'class-validator';
import { isAbsolute, resolve } from 'node:path';
import { Clock, systemClock } from '../common/clock';
import { TOKEN_PATTERN } from '../auth/token-format';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined);

/** The environment of TLS, authentication and rate limits. */
class SecurityVariables {
  @IsOptional() @Transform(lowerCase) @IsIn(['on', 'off'], { message: 'TLS must be "on" or "off"' })
  TLS?: 'on' | 'off';

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  TLS_KEY_FILE?: string;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^[A-Za-z0-9.:*-]+(,[A-Za-z0-9.:*-]+)*$/, { message: 'TLS_SANS must be a comma-separated list of DNS names and IP addresses' })
  TLS_SANS?: string;

  @IsOptional() @Transform(lowerCase) @IsIn(['on', 'off'], { message: 'AUTH must be "on" or "off"' })
  AUTH?: 'on' | 'off';

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  DATA_DIR?: string;

  @IsOptional() @Transform(emptyToUndefined)
  @Matches(TOKEN_PATTERN, { message: 'REGISTRY_ADMIN_TOKEN must look like mr_<6 of a-z0-9>.<at least 32 of A-Za-z0-9_->' })
  REGISTRY_ADMIN_TOKEN?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true }, { message: 'PUBLIC_URL must be an http(s):// URL' })
  PUBLIC_URL?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_READS_PER_SECOND?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_WRITES_PER_SECOND?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_HEARTBEATS_PER_SECOND?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_UNAUTHENTICATED_PER_SECOND?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100_000)
  WATCHES_PER_TOKEN?: number;
}

/** Requests a second per bucket; each bucket holds twice as many (the burst). 0 turns a limit off. */
export interface RateLimits {
  /** Per token: GET, list and other reads. */
  readsPerSecond: number;
  /** Per token: create, update, patch, delete (registrations included). */
  writesPerSecond: number;
  /** Per token: heartbeats, limited apart from writes so a registration storm never starves them. */
  heartbeatsPerSecond: number;
  /** Per source address: requests without a valid token. */
  unauthenticatedPerSecond: number;
  /** Concurrent watches per token; the next one is a 429. */
  watchesPerToken: number;
}

export interface SecurityConfig {
  tls: 'on' | 'off';
  /** Both or neither; neither serves the certificate generated into dataDir. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Extra names and addresses for the generated server certificate. */
  tlsSans: string[];
  auth: 'on' | 'off';
  /** Generated CA, server certificate, first admin token and kubeconfig (mode 0700, files 0600). */
  dataDir: string;
  adminToken?: string;
  /** The URL written into the generated kubeconfig; by default https://127.0.0.1:<port>. */
  publicUrl?: string;
  rateLimits: RateLimits;
  /** Tests give a clock they control; the system clock otherwise. */
  clock: Clock;
}

const LOOPBACK_HOSTS = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

export const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.test(host);

/** A secret is never echoed back, not even a malformed one: only its length. */
const SECRET_VARIABLES = new Set(['REGISTRY_ADMIN_TOKEN']);

const problemsOf = (errors: ValidationError[]) =>
  errors.map((e) => {
    const got = SECRET_VARIABLES.has(e.property) ? `a value of ${String(e.value).length} characters` : JSON.stringify(e.value);
    return `${Object.values(e.constraints ?? {}).join(', ')} (got ${got})`;
  });

/** Reads the security variables; returns the config, or the problems (reported with the others). */
export function loadSecurityConfig(env: NodeJS.ProcessEnv, host: string, projectRoot: string): { config?: SecurityConfig; problems: string[] } {
  const vars = plainToInstance(SecurityVariables, { ...env });
  const problems = problemsOf(validateSync(vars, { forbidUnknownValues: false }));
  if (!!vars.TLS_CERT_FILE !== !!vars.TLS_KEY_FILE) problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  const tls = vars.TLS ?? 'on';
  const auth = vars.AUTH ?? 'on';
  if (tls === 'off' && auth === 'on' && !isLoopbackHost(host)) {
    problems.push(
      `TLS=off with authentication on needs HOST on a loopback address (127.0.0.1, ::1, localhost), got ${JSON.stringify(host)}: ` +
        'tokens would cross the network in clear text; serve TLS (the default), or set HOST=127.0.0.1, or AUTH=off',
    );
  }
  if (problems.length > 0) return { problems };
  // Its own directory: .data itself must stay enterable by the embedded PostgreSQL's user (see README).
  const dataDir = vars.DATA_DIR ?? '.data/registry';
  const rate = (value: number | undefined, fallback: number) => value ?? fallback;
  return {
    problems,
    config: {
      tls,
      tlsCertFile: vars.TLS_CERT_FILE,
      tlsKeyFile: vars.TLS_KEY_FILE,
      tlsSans: vars.TLS_SANS ? vars.TLS_SANS.split(',') : [],
      auth,
      dataDir: isAbsolute(dataDir) ? dataDir : resolve(projectRoot, dataDir),
      adminToken: vars.REGISTRY_ADMIN_TOKEN,
      publicUrl: vars.PUBLIC_URL,
      rateLimits: {
        readsPerSecond: rate(vars.RATE_LIMIT_READS_PER_SECOND, 200),
        writesPerSecond: rate(vars.RATE_LIMIT_WRITES_PER_SECOND, 50),
        heartbeatsPerSecond: rate(vars.RATE_LIMIT_HEARTBEATS_PER_SECOND, 500),
        unauthenticatedPerSecond: rate(vars.RATE_LIMIT_UNAUTHENTICATED_PER_SECOND, 20),
        watchesPerToken: rate(vars.WATCHES_PER_TOKEN, 50),
      },
      clock: systemClock,
    },
  };
}
