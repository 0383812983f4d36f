import { loadLeaseConfig } from '../config/lease-config';
import { deletionPaused, isLapsed, leaseDeadline, leaseSettings, reportedHealth, withHealth } from './lease-rules';

const defaults = loadLeaseConfig({}).config;

describe('isLapsed: now > max(renewTime, acceptingSince) + duration, by timestamps', () => {
  it.each([
    ['before the deadline', 39_999, 0, 40_000, 0, false],
    ['exactly at the deadline', 40_000, 0, 40_000, 0, false],
    ['a millisecond after', 40_001, 0, 40_000, 0, true],
    ['renewed later', 60_000, 30_000, 40_000, 0, false],
    ['no 2x drift (Eureka): one duration after the last renewal', 70_001, 30_000, 40_000, 0, true],
    ['within a duration of the registry coming back', 100_000, 0, 40_000, 80_000, false],
    ['a duration after the registry came back', 120_001, 0, 40_000, 80_000, true],
    ['a renewal after coming back counts from itself', 130_001, 90_000, 40_000, 80_000, true],
  ])('%s', (_case, now, renew, duration, since, lapsed) => {
    expect(isLapsed(now, renew, duration, since)).toBe(lapsed);
    expect(leaseDeadline(renew, duration, since)).toBe(Math.max(renew, since) + duration);
  });
});

describe('deletionPaused: more than the fraction of a group lapsed at once', () => {
  it.each([
    [6, 10, 0.5, true],
    [5, 10, 0.5, false],
    [4, 10, 0.5, false],
    [2, 2, 0.5, false], // too few to look like a partition
    [3, 3, 0.5, true],
    [10, 10, 1, false], // fraction 1 turns the guard off
    [0, 0, 0.5, false],
  ])('%i of %i with fraction %f: paused %s', (lapsed, total, fraction, paused) => {
    expect(deletionPaused(lapsed, total, fraction)).toBe(paused);
  });
});

describe('leaseSettings: the entry, then the group, then the environment', () => {
  it.each([
    ['defaults', [], { durationMs: 40_000, renewIntervalSeconds: 10, deregisterAfterMs: 300_000, maxExpiryFraction: 0.5 }],
    ['a group duration: the interval follows it', [{}, { 'registry.mesh.io/lease-duration-seconds': '8' }], { durationMs: 8000, renewIntervalSeconds: 2 }],
    ['the entry wins over the group', [{ 'registry.mesh.io/lease-duration-seconds': '20' }, { 'registry.mesh.io/lease-duration-seconds': '8' }], { durationMs: 20_000 }],
    ['a malformed value is ignored', [{ 'registry.mesh.io/lease-duration-seconds': '10s' }], { durationMs: 40_000 }],
    ['zero duration is refused', [{ 'registry.mesh.io/lease-duration-seconds': '0' }], { durationMs: 40_000 }],
    ['an interval as long as the duration is not kept', [{ 'registry.mesh.io/lease-duration-seconds': '8', 'registry.mesh.io/renew-interval-seconds': '8' }], { renewIntervalSeconds: 2 }],
    ['deregister at once', [{ 'registry.mesh.io/deregister-after-seconds': '0' }], { deregisterAfterMs: 0 }],
    ['a fraction', [{ 'registry.mesh.io/max-expiry-fraction': '0.8' }], { maxExpiryFraction: 0.8 }],
    ['a fraction above 1 is ignored', [{ 'registry.mesh.io/max-expiry-fraction': '2' }], { maxExpiryFraction: 0.5 }],
  ])('%s', (_case, sources, expected) => {
    expect(leaseSettings(defaults, ...(sources as Record<string, string>[]))).toMatchObject(expected);
  });
});

describe('withHealth: the Healthy condition as istiod writes it, only on a change', () => {
  const at = '2026-12-01T12:00:00Z';
  const other = { type: 'Other', status: 'True' };
  it.each([
    ['no status: written', undefined, reportedHealth(undefined, undefined), { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: at, lastTransitionTime: at }] }],
    ['the same health: nothing', { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: 'x' }] }, reportedHealth(true, undefined), undefined],
    ['unhealthy with a message', { conditions: [other, { type: 'Healthy', status: 'True' }] }, reportedHealth(false, 'db down'),
      { conditions: [other, { type: 'Healthy', status: 'False', reason: 'Reported', message: 'db down', lastProbeTime: at, lastTransitionTime: at }] }],
    ['a new message is a change', { conditions: [{ type: 'Healthy', status: 'False', reason: 'Reported', message: 'a' }] }, reportedHealth(false, 'b'),
      { conditions: [{ type: 'Healthy', status: 'False', reason: 'Reported', message: 'b', lastProbeTime: at, lastTransitionTime: at }] }],
    ['healthy after LeaseExpired', { conditions: [{ type: 'Healthy', status: 'False', reason: 'LeaseExpired' }] }, reportedHealth(undefined, undefined),
      { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: at, lastTransitionTime: at }] }],
  ])('%s', (_case, status, desired, expected) => {
    expect(withHealth(status as never, desired, at)).toEqual(expected);
  });
});
