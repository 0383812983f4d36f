import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ChangeListener } from '../cache/change-listener';
import { NextRun } from '../cache/next-run';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Database } from '../database/database';
import { TokenRepository, TokenRow, TOKENS_CHANNEL } from '../store/token.repository';
import { Principal } from './principal';
import { bearerTokenOf, hashSecret, parseToken, secretMatches } from './token-format';
import { isUsable, principalOf, TokenRecord } from './token-record';

/** Even if a notification is lost, every replica sees a revocation within this. */
export const TOKEN_POLL_INTERVAL_MS = 1000;
/** lastUsedAt is written at most this often per token and replica. */
const TOUCH_INTERVAL_MS = 60_000;
/** Compared against when the id is unknown, so that a miss costs what a wrong secret costs. */
const DECOY_HASH = hashSecret('decoy');

export type Authentication = { outcome: 'anonymous' } | { outcome: 'invalid' } | { outcome: 'ok'; principal: Principal };

/** Tokens already verified, at most this many (then forgotten all at once: only valid tokens get in). */
const VERIFIED_TOKENS_MAX = 10_000;

const ANONYMOUS: Authentication = { outcome: 'anonymous' };
const INVALID: Authentication = { outcome: 'invalid' };

/**
 * Every token, in this replica's memory: authentication is a map lookup, a SHA-256 and a constant-time
 * compare, never a database round trip; a token verified once is a single map lookup until the tokens
 * change (a reload forgets every verified token, so a revocation takes effect as before). A token
 * change anywhere NOTIFYs; each replica reloads then, and polls the table's fingerprint once a second in
 * case a notification was lost.
 */
@Injectable()
export class TokenCache implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenCache.name);
  private tokens = new Map<string, TokenRecord>();
  /** Bearer token → its record, for tokens whose secret matched (keyed by the token, not the header, so
   * spellings of one header cannot churn it). */
  private verified = new Map<string, TokenRecord>();
  private fingerprint = '';
  private readonly reloader = new NextRun(() => this.reload());
  private readonly listener: ChangeListener;
  private poll?: NodeJS.Timeout;

  constructor(
    @Inject(TokenRepository) private readonly repository: TokenRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Database) database: Database,
  ) {
    this.listener = new ChangeListener({
      url: database.url, channel: TOKENS_CHANNEL, heartbeatMs: 5000, heartbeatTimeoutMs: 3000, reconnectDelayMs: 1000,
      onNotification: () => void this.refresh(),
      onReconnect: () => undefined,
    });
  }

  /** Loads every token and follows their changes (AuthModule starts it once the first credential is seeded). */
  async start(): Promise<void> {
    await this.listener.start();
    await this.refresh();
    this.poll = setInterval(() => void this.pollFingerprint(), TOKEN_POLL_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    await this.reloader.idle();
    await this.listener.stop();
  }

  /** Reloads every token (shared by concurrent callers): after a change here, before answering. */
  refresh(): Promise<void> {
    return this.reloader.run();
  }

  get(id: string): TokenRecord | undefined {
    return this.tokens.get(id);
  }

  all(): TokenRecord[] {
    return [...this.tokens.values()];
  }

  /** The principal of an `Authorization` header; a failed attempt changes nothing, not even lastUsedAt. */
  authenticate(header: string | undefined): Authentication {
    if (header === undefined) return ANONYMOUS;
    const token = bearerTokenOf(header);
    const record = token === undefined ? undefined : (this.verified.get(token) ?? this.verify(token));
    if (!record) return INVALID;
    const now = this.config.security.clock.now();
    if (!isUsable(record.row, now)) return INVALID;
    if (now - record.touchedAt >= TOUCH_INTERVAL_MS) this.touch(record, now);
    return { outcome: 'ok', principal: record.principal };
  }

  private verify(token: string): TokenRecord | undefined {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const record = this.tokens.get(parsed.id);
    if (!secretMatches(parsed.secret, record?.row.secretHash ?? DECOY_HASH) || !record) return undefined;
    if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.clear();
    this.verified.set(token, record);
    return record;
  }

  private touch(record: TokenRecord, now: number): void {
    record.touchedAt = now;
    record.row = { ...record.row, lastUsedAt: new Date(now) };
    this.repository.touch(record.row.id, new Date(now)).catch((error: Error) => this.logger.warn(`could not record the use of token ${record.row.id}: ${error.message}`));
  }

  private async reload(): Promise<void> {
    try {
      const fingerprint = await this.repository.fingerprint();
      const rows = await this.repository.all();
      this.tokens = new Map(rows.map((row) => [row.id, this.recordOf(row)]));
      this.verified = new Map();
      this.fingerprint = fingerprint;
    } catch (error) {
      this.logger.warn(`reloading tokens failed, keeping the ones in memory until the next poll: ${(error as Error).message}`);
    }
  }

  private recordOf(row: TokenRow): TokenRecord {
    return { row, principal: principalOf(row), touchedAt: this.tokens.get(row.id)?.touchedAt ?? 0 };
  }

  private async pollFingerprint(): Promise<void> {
    try {
      if ((await this.repository.fingerprint()) !== this.fingerprint) await this.refresh();
    } catch (error) {
      this.logger.warn(`polling tokens failed: ${(error as Error).message}`);
    }
  }
}
