import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { CHANGES_CHANNEL } from '../store/change-log.repository';

export interface ChangeListenerOptions {
  url: string;
  /** The channel to LISTEN on; the change log's by default (the token cache listens on its own). */
  channel?: string;
  /** A round trip on the connection this often proves it still delivers. */
  heartbeatMs: number;
  /** A heartbeat unanswered this long means the connection is dead, however quiet the socket is. */
  heartbeatTimeoutMs: number;
  reconnectDelayMs: number;
  onNotification(): void;
  /** The connection was lost (or found stalled) and is being replaced. */
  onReconnect(reason: string): void;
}

/**
 * LISTENs for the writers' announcements on a connection of its own. A connection can stall without
 * an error (a half-open TCP session, a stopped proxy): notifications then just stop, so a periodic
 * round trip checks it, and a missed one replaces the connection. Until it is back, the feed's poll
 * keeps the replica current within its interval.
 */
export class ChangeListener {
  private readonly logger = new Logger(ChangeListener.name);
  private client?: Client;
  private heartbeat?: NodeJS.Timeout;
  private reconnecting?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: ChangeListenerOptions) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    // A connect that hangs (the same stalled path) must fail too, or the listener would never come back.
    const client = new Client({ connectionString: this.options.url, connectionTimeoutMillis: this.options.heartbeatTimeoutMs, keepAlive: true });
    client.on('notification', () => this.options.onNotification());
    client.on('error', (error) => this.replace(client, `connection error: ${error.message}`));
    client.on('end', () => this.replace(client, 'connection closed'));
    await client.connect();
    await client.query(`LISTEN ${this.options.channel ?? CHANGES_CHANNEL}`);
    if (this.stopped) return void (await client.end().catch(() => undefined));
    this.client = client;
    this.heartbeat = setInterval(() => void this.beat(client), this.options.heartbeatMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnecting);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async beat(client: Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.heartbeatTimeoutMs)));
    const answered = client.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const);
    const outcome = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'ok') this.replace(client, outcome === 'timeout' ? `no answer to a heartbeat within ${this.options.heartbeatTimeoutMs} ms` : 'heartbeat failed');
  }

  /** Drops a broken connection (once) and connects again after a delay, until it succeeds. */
  private replace(client: Client, reason: string): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.logger.warn(`change listener lost (${reason}); polling until it is back`);
    this.options.onReconnect(reason);
    // end() waits for a stalled socket's queries; destroying the stream does not.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnecting = setTimeout(() => {
      if (this.stopped) return;
      this.start().then(
        () => {
          this.logger.log('change listener reconnected');
          this.options.onNotification();
        },
        (error: Error) => {
          this.logger.warn(`change listener could not reconnect: ${error.message}`);
          this.scheduleReconnect();
        },
      );
    }, this.options.reconnectDelayMs).unref();
  }
}
