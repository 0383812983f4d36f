import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { isAbsolute, resolve } from 'node:path';
import { LeaseConfig, loadLeaseConfig } from './lease-config';
import { loadSecurityConfig, SecurityConfig } from './security-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The environment the service reads, validated once at boot (every bad value reported together). */
class EnvironmentVariables {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  HOST?: string;

  @IsOptional() @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// connection URL' })
  DATABASE_URL?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  EMBEDDED_PG_DATA_DIR?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  BODY_LIMIT_BYTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  IMPORT_BODY_LIMIT_BYTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  IMPORT_MAX_DOCUMENTS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64)
  IMPORT_MAX_IN_FLIGHT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100_000)
  YAML_MAX_ALIASES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_MAX?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(100)
  SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(60)
  CHANGE_LOG_RETENTION_SECONDS?: number;
}

export interface AppConfig {
  port: number;
  host: string;
  /** Unset: the service starts an embedded PostgreSQL in `embeddedDataDir`. */
  databaseUrl?: string;
  embeddedDataDir: string;
  /** 0 picks a free port at each start. */
  embeddedPort: number;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Limit of a whole import stream; each document in it still has to fit bodyLimitBytes. */
  importBodyLimitBytes: number;
  /** Documents (List items counted one by one) in one import. */
  importMaxDocuments: number;
  /** Imports running at once; one more gets 429 with Retry-After. */
  importMaxInFlight: number;
  /** YAML aliases per document, in request bodies and imports. */
  yamlMaxAliases: number;
  databasePoolMax: number;
  shutdownTimeoutMs: number;
  /** Change-log rows older than this are compacted; a watch or replica further behind starts over. */
  changeLogRetentionMs: number;
  /** TLS, authentication, rate limits (security-config.ts). */
  security: SecurityConfig;
  /** Leases, heartbeats and expiry of registered entries (lease-config.ts). */
  leases: LeaseConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const PROJECT_ROOT = resolve(__dirname, '../..');

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  const security = loadSecurityConfig(env, vars.HOST ?? '0.0.0.0', PROJECT_ROOT);
  const leases = loadLeaseConfig(env);
  const problems = [
    ...errors.map((e) => `${Object.values(e.constraints ?? {}).join(', ')} (got ${JSON.stringify(e.value)})`),
    ...security.problems,
    ...leases.problems,
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = vars.EMBEDDED_PG_DATA_DIR ?? '.data/postgres';
  return {
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '0.0.0.0',
    databaseUrl: vars.DATABASE_URL,
    embeddedDataDir: isAbsolute(dataDir) ? dataDir : resolve(PROJECT_ROOT, dataDir),
    embeddedPort: vars.EMBEDDED_PG_PORT ?? 0,
    logLevel: vars.LOG_LEVEL ?? 'info',
    bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1024 * 1024,
    importBodyLimitBytes: vars.IMPORT_BODY_LIMIT_BYTES ?? 16 * 1024 * 1024,
    importMaxDocuments: vars.IMPORT_MAX_DOCUMENTS ?? 10_000,
    importMaxInFlight: vars.IMPORT_MAX_IN_FLIGHT ?? 2,
    yamlMaxAliases: vars.YAML_MAX_ALIASES ?? 100,
    databasePoolMax: vars.DATABASE_POOL_MAX ?? 10,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    changeLogRetentionMs: (vars.CHANGE_LOG_RETENTION_SECONDS ?? 3600) * 1000,
    security: security.config!,
    leases: leases.config,
  };
}
