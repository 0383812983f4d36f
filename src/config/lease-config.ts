import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min, validateSync } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+(\.\d+)?$/.test(String(value)) ? Number(value) : value;

/** The environment of leases, heartbeats and expiry (src/leases); each group may override the durations. */
class LeaseVariables {
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(86_400)
  LEASE_DURATION_SECONDS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(86_400)
  LEASE_RENEW_INTERVAL_SECONDS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(30 * 86_400)
  LEASE_DEREGISTER_AFTER_SECONDS?: number;

  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(1)
  LEASE_MAX_EXPIRY_FRACTION?: number;

  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0.01) @Max(10_000)
  LEASE_DELETES_PER_SECOND?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(1000)
  LEASE_FLUSH_DELAY_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(3600)
  LEASE_OUTAGE_GAP_SECONDS?: number;
}

export interface LeaseConfig {
  /** A lease lapses when now > renewTime + duration (Kubernetes node leases: 40 s). */
  durationSeconds: number;
  /** What the register answer suggests between heartbeats (a quarter of the duration, as kubelet). */
  renewIntervalSeconds: number;
  /** After a lapse, how long until an auto-registered entry is deleted (hand-made ones never are). */
  deregisterAfterSeconds: number;
  /** Deletion pauses in a group when more than this fraction of its leases has lapsed. */
  maxExpiryFraction: number;
  /** Deletions by the reaper, across all groups. */
  deletesPerSecond: number;
  /** How long a renewal waits for others to share its database write (group commit). */
  flushDelayMs: number;
  /** No replica touching the liveness row for this long means the registry was down. */
  outageGapSeconds: number;
}

/** Reads the lease variables; returns the config, or the problems (reported with the others). */
export function loadLeaseConfig(env: NodeJS.ProcessEnv): { config: LeaseConfig; problems: string[] } {
  const vars = plainToInstance(LeaseVariables, { ...env });
  const problems = validateSync(vars, { forbidUnknownValues: false }).map(
    (e) => `${Object.values(e.constraints ?? {}).join(', ')} (got ${JSON.stringify(e.value)})`,
  );
  const durationSeconds = vars.LEASE_DURATION_SECONDS ?? 40;
  const config: LeaseConfig = {
    durationSeconds,
    renewIntervalSeconds: vars.LEASE_RENEW_INTERVAL_SECONDS ?? Math.max(1, Math.floor(durationSeconds / 4)),
    deregisterAfterSeconds: vars.LEASE_DEREGISTER_AFTER_SECONDS ?? 300,
    maxExpiryFraction: vars.LEASE_MAX_EXPIRY_FRACTION ?? 0.5,
    deletesPerSecond: vars.LEASE_DELETES_PER_SECOND ?? 20,
    flushDelayMs: vars.LEASE_FLUSH_DELAY_MS ?? 2,
    outageGapSeconds: vars.LEASE_OUTAGE_GAP_SECONDS ?? 5,
  };
  if (problems.length === 0 && config.renewIntervalSeconds >= config.durationSeconds) {
    problems.push(`LEASE_RENEW_INTERVAL_SECONDS (${config.renewIntervalSeconds}) must be shorter than LEASE_DURATION_SECONDS (${config.durationSeconds})`);
  }
  return { config, problems };
}
