import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { ChangeFeed } from '../cache/change-feed.service';
import { Principal, actorOf } from '../auth/principal';
import { KubeObject, ObjectMeta } from '../common/kube-object';
import { apiErrors } from '../common/status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IstioStatus } from '../kinds/istio-types';
import { kindByName } from '../kinds/kinds';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { Metrics } from '../observability/metrics';
import { refOf, withStatusOf } from '../resources/object-rules';
import { ObjectUpdater } from '../resources/object-updater';
import { NO_ADVICE } from '../resources/write-advisor';
import { LeaseRepository, Renewed } from '../store/lease.repository';
import { ResourceRepository } from '../store/resource.repository';
import { DesiredHealth, leaseSettings, LeaseSettings, withHealth } from './lease-rules';
import { AUTO_REGISTRATION_GROUP_ANNOTATION } from './registration-rules';
import { RenewalBatcher } from './renewal-batcher';

/** A WorkloadGroup, as far as leases read it (its annotations). */
type Grouped = { metadata: ObjectMeta };

/** A lease as the register and heartbeat answers show it (coordination.k8s.io Lease's vocabulary). */
export interface LeaseView {
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewIntervalSeconds: number;
  /** After a lapse, how long until an auto-registered entry is deleted. */
  deregisterAfterSeconds: number;
  /** RFC 3339 with microseconds (MicroTime). */
  renewTime: string;
  /** renewTime + leaseDurationSeconds: a heartbeat after this is too late. */
  expireTime: string;
  /** Where to send heartbeats (POST). */
  heartbeatPath: string;
}

export interface HeartbeatAnswer {
  apiVersion: 'registry.mesh.io/v1';
  kind: 'Heartbeat';
  metadata: { namespace: string; name: string; uid: string; resourceVersion: string };
  lease: LeaseView;
  health: DesiredHealth;
}

const microTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/**
 * Heartbeats: the lease renewal (batched, group commit, see RenewalBatcher) and, only when the health
 * it carries differs from the entry's `Healthy` condition (or the lease had been marked expired), a
 * status write. Anything else a renewal does is invisible: no resourceVersion, no change log, no event.
 */
@Injectable()
export class LeaseService implements BeforeApplicationShutdown {
  readonly batcher: RenewalBatcher;
  private readonly updater: ObjectUpdater;

  constructor(
    @Inject(LeaseRepository) private readonly leases: LeaseRepository,
    @Inject(ResourceRepository) repository: ResourceRepository,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.updater = new ObjectUpdater(repository, feed, NO_ADVICE);
    this.batcher = new RenewalBatcher((batch) => leases.renew(batch), config.leases.flushDelayMs, (size, seconds) => {
      metrics.leases.flushSize.observe(size);
      metrics.leases.flushSeconds.observe(seconds);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.batcher.idle();
  }

  get clock() {
    return this.config.security.clock;
  }

  /** The settings of an entry: its own annotations, then its group's, then the environment. */
  settingsOf(entry: KubeObject, group?: Grouped): LeaseSettings {
    return leaseSettings(this.config.leases, entry.metadata.annotations, (group ?? this.groupOf(entry))?.metadata.annotations);
  }

  groupOf(entry: KubeObject): Grouped | undefined {
    const name = entry.metadata.annotations?.[AUTO_REGISTRATION_GROUP_ANNOTATION];
    if (!name || !kindByName('WorkloadGroup')) return undefined;
    return this.feed.cache.get('WorkloadGroup', { namespace: entry.metadata.namespace!, name });
  }

  async heartbeat(namespace: string, name: string, health: DesiredHealth, principal: Principal | null): Promise<HeartbeatAnswer> {
    let entry = this.feed.cache.get('WorkloadEntry', { namespace, name });
    let renewed = entry && (await this.renew(entry, principal));
    if (!renewed) {
      // Gone, or another incarnation this replica has not seen yet: look once more, caught up.
      await this.feed.sync(1000);
      entry = this.feed.cache.get('WorkloadEntry', { namespace, name });
      renewed = entry && (await this.renew(entry, principal));
    }
    if (!entry || !renewed) {
      this.metrics.leases.renewals.labels('notfound').inc();
      throw apiErrors.notFound(refOf(workloadEntryKind, name));
    }
    this.metrics.leases.renewals.labels('renewed').inc();
    const written = await this.writeHealth(entry, health, renewed.wasExpired, principal);
    return {
      apiVersion: 'registry.mesh.io/v1',
      kind: 'Heartbeat',
      metadata: { namespace, name, uid: entry.metadata.uid!, resourceVersion: (written ?? entry).metadata.resourceVersion! },
      lease: this.view(entry, renewed.renewMs, principal),
      health,
    };
  }

  /** Renews (or takes) the entry's lease, committed before it answers; undefined when the entry is gone. */
  renew(entry: KubeObject, principal: Principal | null, group?: Grouped): Promise<Renewed | undefined> {
    const settings = this.settingsOf(entry, group);
    return this.batcher.renew({
      namespace: entry.metadata.namespace!,
      name: entry.metadata.name!,
      uid: entry.metadata.uid!,
      holder: holderOf(principal),
      group: entry.metadata.annotations?.[AUTO_REGISTRATION_GROUP_ANNOTATION] ?? null,
      durationMs: settings.durationMs,
      renewMs: this.clock.now(),
    });
  }

  view(entry: KubeObject, renewMs: number, principal: Principal | null, group?: Grouped): LeaseView {
    const settings = this.settingsOf(entry, group);
    const { namespace, name } = entry.metadata;
    return {
      holderIdentity: holderOf(principal),
      leaseDurationSeconds: settings.durationMs / 1000,
      renewIntervalSeconds: settings.renewIntervalSeconds,
      deregisterAfterSeconds: settings.deregisterAfterMs / 1000,
      renewTime: microTime(renewMs),
      expireTime: microTime(renewMs + settings.durationMs),
      heartbeatPath: `/apis/networking.istio.io/v1/namespaces/${namespace}/workloadentries/${name}/heartbeat`,
    };
  }

  /**
   * Writes the Healthy condition when it differs from what the entry shows. Computed against the stored
   * object (the updater retries from the stored row when this replica's copy is behind), so a mark the
   * reaper made a moment ago is never mistaken for the truth.
   */
  private async writeHealth(entry: KubeObject, health: DesiredHealth, wasExpired: boolean, principal: Principal | null): Promise<KubeObject | undefined> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (!wasExpired && withHealth(entry.status as IstioStatus | undefined, health, now) === undefined) return undefined;
    const key = { namespace: entry.metadata.namespace!, name: entry.metadata.name! };
    const outcome = await this.updater.update(workloadEntryKind, key, (current) => {
      const status = withHealth(current.status as IstioStatus | undefined, health, now);
      return { next: status ? { ...current, status } : current, warnings: [] };
    }, (next, current) => withStatusOf(current, next), { dryRun: false, fieldValidation: 'Ignore', actor: actorOf(principal) });
    if (outcome && outcome.object.metadata.resourceVersion !== entry.metadata.resourceVersion) this.metrics.leases.healthWrites.inc();
    return outcome?.object;
  }
}

/** Who holds a lease: the registration token's id, else the caller's name. */
export const holderOf = (principal: Principal | null) => principal?.tokenId ?? principal?.username ?? 'system:anonymous';
