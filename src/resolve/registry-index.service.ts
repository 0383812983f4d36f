import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { KubeObject } from '../common/kube-object';
import { Database } from '../database/database';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { Change, ChangeLogRepository } from '../store/change-log.repository';
import { CHANGES_CHANNEL } from '../store/resource.repository';
import { IndexedKind, RegistryIndex } from './registry-index';

/** Even if a notification is lost (listener reconnecting), every replica catches up within this. */
export const POLL_INTERVAL_MS = 1000;
const CATCH_UP_BATCH = 5000;
const RECONNECT_DELAY_MS = 1000;
/** Change-log rows older than this are compacted away; a replica further behind reloads in full. */
const CHANGE_LOG_RETENTION_MS = 60 * 60 * 1000;
const COMPACTION_INTERVAL_MS = 10 * 60 * 1000;
const INDEXED_KINDS = [serviceEntryKind, workloadEntryKind];

/**
 * Keeps this replica's in-memory RegistryIndex equal to the database: a full snapshot at start, then
 * the change log, applied in resourceVersion order, whenever PostgreSQL NOTIFYs a write (milliseconds)
 * and at least every POLL_INTERVAL_MS. Resolve reads the index and never waits for the database.
 */
@Injectable()
export class RegistryIndexService implements OnModuleInit, BeforeApplicationShutdown {
  readonly index = new RegistryIndex();
  private readonly logger = new Logger(RegistryIndexService.name);
  private appliedVersion = '0';
  private listener?: Client;
  private catchingUp?: Promise<void>;
  private pending = false;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private waiters: { version: bigint; resolve: () => void }[] = [];

  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(ChangeLogRepository) private readonly changeLog: ChangeLogRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
    await this.exclusive(() => this.reload());
    this.timers.push(setInterval(() => void this.catchUp(), POLL_INTERVAL_MS).unref());
    this.timers.push(setInterval(() => void this.compact(), COMPACTION_INTERVAL_MS).unref());
  }

  /** Stops following the database before it closes; in-flight resolves keep answering from memory. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await this.catchingUp;
    await this.listener?.end().catch(() => undefined);
  }

  /** The resourceVersion the index reflects. */
  get resourceVersion(): string {
    return this.appliedVersion;
  }

  /** Resolves once the index reflects `version` (read-your-writes), or after `timeoutMs`; true if caught up. */
  async waitFor(version: string, timeoutMs: number): Promise<boolean> {
    const wanted = BigInt(version);
    if (BigInt(this.appliedVersion) >= wanted) return true;
    void this.catchUp();
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ version: wanted, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }

  /** Applies pending changes; concurrent calls coalesce into at most one more round. */
  catchUp(): Promise<void> {
    return this.exclusive(() => this.drain());
  }

  /** One reload or catch-up at a time; a request arriving meanwhile runs once more afterwards. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    if (this.catchingUp) {
      this.pending = true;
      return this.catchingUp;
    }
    this.catchingUp = work().finally(() => {
      this.catchingUp = undefined;
      if (this.pending && !this.stopped) {
        this.pending = false;
        void this.catchUp();
      }
    });
    return this.catchingUp;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const { changes, complete } = await this.changeLog.changesAfter(this.appliedVersion, CATCH_UP_BATCH);
        if (!complete) return await this.reload();
        changes.forEach((change) => this.apply(change));
        if (changes.length > 0) this.appliedVersion = changes[changes.length - 1].resourceVersion;
        this.release();
        if (changes.length < CATCH_UP_BATCH) return;
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn(`index catch-up failed, retrying on the next poll: ${(error as Error).message}`);
    }
  }

  private async reload(): Promise<void> {
    const { objects, resourceVersion } = await this.changeLog.snapshot(INDEXED_KINDS);
    this.index.replaceAll(objects as (ServiceEntry | WorkloadEntry)[], resourceVersion);
    this.appliedVersion = resourceVersion;
    this.release();
    this.logger.log(`registry index loaded: ${objects.length} objects at resourceVersion ${resourceVersion}`);
  }

  private apply({ type, object, resourceVersion }: Change): void {
    if (object.kind !== 'ServiceEntry' && object.kind !== 'WorkloadEntry') return;
    const { namespace, name } = object.metadata as Required<KubeObject['metadata']>;
    if (type === 'DELETED') this.index.remove(object.kind as IndexedKind, namespace, name, resourceVersion);
    else this.index.upsert(object as ServiceEntry | WorkloadEntry);
  }

  private release(): void {
    const applied = BigInt(this.appliedVersion);
    const ready = this.waiters.filter((w) => w.version <= applied);
    this.waiters = this.waiters.filter((w) => w.version > applied);
    ready.forEach((w) => w.resolve());
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.database.url });
    client.on('notification', () => void this.catchUp());
    client.on('error', (error) => {
      this.logger.warn(`change listener lost its connection (${error.message}); polling until it is back`);
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.listener = client;
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    void this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    setTimeout(() => {
      if (this.stopped) return;
      this.listen().then(() => this.catchUp(), () => this.reconnectLater());
    }, RECONNECT_DELAY_MS).unref();
  }

  private async compact(): Promise<void> {
    try {
      await this.changeLog.compactChanges(new Date(Date.now() - CHANGE_LOG_RETENTION_MS));
    } catch (error) {
      this.logger.warn(`change-log compaction failed: ${(error as Error).message}`);
    }
  }
}
