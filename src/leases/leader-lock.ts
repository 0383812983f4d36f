import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface LeaderLockOptions {
  url: string;
  /** The advisory lock key (one per job that must run on one replica at a time). */
  key: string;
  /** How often a follower tries, and a leader proves its connection still holds the lock. */
  intervalMs: number;
  onChange(leader: boolean): void;
}

/**
 * Leadership among the replicas of one database: a session-level advisory lock held on a connection of
 * its own. The lock lives exactly as long as that session, so a crashed leader's lock goes with its
 * connection and another replica takes over on its next try. A leader checks its connection every
 * interval; a round trip that fails or does not answer within it ends its leadership at once.
 */
export class LeaderLock {
  private readonly logger = new Logger(LeaderLock.name);
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private leading = false;
  private stopped = false;

  constructor(private readonly options: LeaderLockOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.setLeading(false);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.connection();
      const { rows } = await withTimeout(
        this.leading
          ? client.query<{ held: boolean }>(`SELECT true AS held`)
          : client.query<{ held: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held`, [this.options.key]),
        this.options.intervalMs,
      );
      this.setLeading(rows[0].held);
    } catch (error) {
      if (this.leading) this.logger.warn(`leadership of ${this.options.key} lost: ${(error as Error).message}`);
      this.drop();
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.attempt(), this.options.intervalMs).unref();
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.options.url, connectionTimeoutMillis: this.options.intervalMs * 3, keepAlive: true });
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    await client.connect();
    // A leader whose machine vanished holds the lock until the server drops its session: make that
    // seconds, not TCP's hours (the leader's own check every interval keeps a live session busy).
    const idle = Math.max(3, Math.ceil((this.options.intervalMs * 5) / 1000));
    await client.query(`SET idle_session_timeout = '${idle}s'; SET tcp_keepalives_idle = ${idle}; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new Error('stopped');
    }
    this.client = client;
    return client;
  }

  private drop(client = this.client): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.setLeading(false);
    (client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream?.destroy();
    client?.end().catch(() => undefined);
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.options.onChange(leading);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
