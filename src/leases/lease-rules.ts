import { LeaseConfig } from '../config/lease-config';
import { IstioCondition, IstioStatus } from '../kinds/istio-types';

/** Per-group (or per hand-made entry) overrides of the environment's lease defaults, as annotations. */
export const LEASE_ANNOTATIONS = {
  duration: 'registry.mesh.io/lease-duration-seconds',
  renewInterval: 'registry.mesh.io/renew-interval-seconds',
  deregisterAfter: 'registry.mesh.io/deregister-after-seconds',
  maxExpiryFraction: 'registry.mesh.io/max-expiry-fraction',
} as const;

/** Heartbeat messages are kept on the entry: bounded, like a probe's output. */
export const MAX_HEALTH_MESSAGE = 1024;
export const LEASE_EXPIRED_REASON = 'LeaseExpired';
export const REPORTED_REASON = 'Reported';
/** The WorkloadGroup condition that says deletion is paused there. */
export const EXPIRY_PAUSED_CONDITION = 'ExpiryPaused';
/** Fewer lapsed leases than this never pause a group: one VM of two dying is no partition. */
export const MIN_LAPSED_FOR_PAUSE = 3;

export interface LeaseSettings {
  durationMs: number;
  renewIntervalSeconds: number;
  deregisterAfterMs: number;
  maxExpiryFraction: number;
}

const positiveInt = (text: string | undefined, max: number, allowZero = false): number | undefined => {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value <= max && (allowZero || value > 0) ? value : undefined;
};

/**
 * The lease settings that apply: annotations of the entry, then of its WorkloadGroup, then the
 * environment. A malformed annotation is ignored (the next source applies), so a typo never makes a
 * lease shorter than intended; the renew interval always stays below the duration.
 */
export function leaseSettings(defaults: LeaseConfig, ...sources: (Record<string, string> | undefined)[]): LeaseSettings {
  const pick = (key: string, parse: (text: string | undefined) => number | undefined): number | undefined => {
    for (const source of sources) {
      const value = parse(source?.[key]);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const duration = pick(LEASE_ANNOTATIONS.duration, (t) => positiveInt(t, 86_400)) ?? defaults.durationSeconds;
  const interval = pick(LEASE_ANNOTATIONS.renewInterval, (t) => positiveInt(t, 86_400)) ?? (
    sources.some((s) => positiveInt(s?.[LEASE_ANNOTATIONS.duration], 86_400) !== undefined) ? Math.max(1, Math.floor(duration / 4)) : defaults.renewIntervalSeconds
  );
  const fraction = pick(LEASE_ANNOTATIONS.maxExpiryFraction, (t) => {
    if (t === undefined || !/^(0(\.\d+)?|1(\.0+)?)$/.test(t.trim())) return undefined;
    return Number(t);
  }) ?? defaults.maxExpiryFraction;
  return {
    durationMs: duration * 1000,
    renewIntervalSeconds: interval < duration ? interval : Math.max(1, Math.floor(duration / 4)),
    deregisterAfterMs: (pick(LEASE_ANNOTATIONS.deregisterAfter, (t) => positiveInt(t, 30 * 86_400, true)) ?? defaults.deregisterAfterSeconds) * 1000,
    maxExpiryFraction: fraction,
  };
}

/** When a lease lapses: a full duration after its renewal, and never before one after the registry came back. */
export function leaseDeadline(renewMs: number, durationMs: number, acceptingSinceMs: number): number {
  return Math.max(renewMs, acceptingSinceMs) + durationMs;
}

/** Exact expiry, by timestamps, never by counting ticks: `now > renewTime + duration`. */
export function isLapsed(nowMs: number, renewMs: number, durationMs: number, acceptingSinceMs: number): boolean {
  return nowMs > leaseDeadline(renewMs, durationMs, acceptingSinceMs);
}

/**
 * Whether deletion pauses in a group: more than `maxFraction` of its leases lapsed at once looks like a
 * partition between its VMs and the registry, not like that many VMs dying (Eureka's self-preservation,
 * Kubernetes' unhealthy-zone threshold). Marking continues regardless: it is the truth.
 */
export function deletionPaused(lapsed: number, total: number, maxFraction: number): boolean {
  if (total === 0 || lapsed < MIN_LAPSED_FOR_PAUSE) return false;
  return lapsed / total > maxFraction;
}

export interface DesiredHealth {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

/** What a heartbeat says: healthy unless it says otherwise (level-triggered: each one carries the whole truth). */
export function reportedHealth(healthy: boolean | undefined, message: string | undefined): DesiredHealth {
  if (healthy === false) return { status: 'False', reason: REPORTED_REASON, ...(message ? { message } : {}) };
  return { status: 'True', ...(message ? { message } : {}) };
}

export function healthyCondition(status: IstioStatus | undefined): IstioCondition | undefined {
  return status?.conditions?.find((c) => c.type === 'Healthy');
}

/**
 * The status with its `Healthy` condition set as istiod sets it (replaced in place, other conditions
 * untouched, lastProbeTime = lastTransitionTime = now), or undefined when it already says the same:
 * a renewal that changes nothing writes nothing.
 */
export function withHealth(status: IstioStatus | undefined, desired: DesiredHealth, nowIso: string): IstioStatus | undefined {
  const current = healthyCondition(status);
  if (current && current.status === desired.status && current.reason === desired.reason && current.message === desired.message) return undefined;
  return withCondition(status, { type: 'Healthy', ...desired, lastProbeTime: nowIso, lastTransitionTime: nowIso });
}

/** Replaces (or appends) the condition of that type. */
export function withCondition(status: IstioStatus | undefined, condition: IstioCondition): IstioStatus {
  const conditions = status?.conditions ?? [];
  const at = conditions.findIndex((c) => c.type === condition.type);
  const next = at < 0 ? [...conditions, condition] : conditions.map((c, i) => (i === at ? condition : c));
  return { ...(status ?? {}), conditions: next };
}

/** The condition set when a lease lapses. */
export function lapsedHealth(deadlineMs: number): DesiredHealth {
  return { status: 'False', reason: LEASE_EXPIRED_REASON, message: `no heartbeat renewed the lease before ${new Date(deadlineMs).toISOString()}` };
}
