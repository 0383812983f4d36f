import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { Prisma } from '../generated/prisma/client';

export const TOKENS_CHANNEL = 'mesh_registry_tokens';
/** Serialises the first-start seeding of replicas that start together on an empty database. */
const SEED_LOCK = 72707370;

/** A token as stored (the secret itself never is). */
export interface TokenRow {
  id: string;
  secretHash: Buffer;
  subject: string;
  role: string | null;
  rules: unknown;
  registration: unknown;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type NewToken = Omit<TokenRow, 'createdAt' | 'revokedAt' | 'lastUsedAt'>;

const toRow = (row: Omit<TokenRow, 'secretHash'> & { secretHash: Uint8Array }): TokenRow => ({ ...row, secretHash: Buffer.from(row.secretHash) });
const json = (value: unknown) => (value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue));

/** The api_tokens table: every replica's token cache is loaded from it. */
@Injectable()
export class TokenRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async all(): Promise<TokenRow[]> {
    return (await this.database.prisma.apiToken.findMany({ orderBy: { createdAt: 'asc' } })).map(toRow);
  }

  async hasAny(): Promise<boolean> {
    return (await this.database.prisma.apiToken.findFirst({ select: { id: true } })) !== null;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.database.prisma.apiToken.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  /** Changes whenever a token is created, revoked or deleted: what the replicas poll for. */
  async fingerprint(): Promise<string> {
    const [row] = await this.database.prisma.$queryRaw<{ f: string }[]>`
      SELECT count(*)::text || ':' || coalesce(sum(extract(epoch FROM updated_at)), 0)::text AS f FROM api_tokens`;
    return row.f;
  }

  /** False when the id is taken (the caller draws another). */
  async create(token: NewToken): Promise<boolean> {
    try {
      await this.database.prisma.apiToken.create({ data: this.data(token) });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return false;
      throw error;
    }
  }

  /** Creates `token` only if no token exists at all, atomically across replicas. */
  async createIfNone(token: NewToken): Promise<boolean> {
    return this.database.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if ((await tx.apiToken.count()) > 0) return false;
      await tx.apiToken.create({ data: this.data(token) });
      return true;
    });
  }

  /** Stores a token whose id and secret the operator chose (REGISTRY_ADMIN_TOKEN); never undoes a revocation. */
  async upsertUnlessRevoked(token: NewToken): Promise<'created' | 'updated' | 'unchanged' | 'revoked'> {
    return this.database.prisma.$transaction(async (tx) => {
      const current = await tx.apiToken.findUnique({ where: { id: token.id } });
      if (!current) {
        await tx.apiToken.create({ data: this.data(token) });
        return 'created';
      }
      if (current.revokedAt) return 'revoked';
      if (Buffer.from(current.secretHash).equals(token.secretHash) && current.role === token.role) return 'unchanged';
      await tx.apiToken.update({ where: { id: token.id }, data: { secretHash: new Uint8Array(token.secretHash), role: token.role, rules: token.rules as Prisma.InputJsonValue, updatedAt: new Date() } });
      return 'updated';
    });
  }

  /** Revokes a token (kept, for the audit trail); undefined when there is none with this id. */
  async revoke(id: string, at: Date): Promise<TokenRow | undefined> {
    const found = await this.database.prisma.apiToken.findUnique({ where: { id } });
    if (!found) return undefined;
    if (found.revokedAt) return toRow(found);
    return toRow(await this.database.prisma.apiToken.update({ where: { id }, data: { revokedAt: at, updatedAt: at } }));
  }

  /** Records a use; leaves updated_at alone, so the replicas do not reload for it. */
  async touch(id: string, at: Date): Promise<void> {
    await this.database.prisma.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }

  private data(token: NewToken) {
    return { ...token, secretHash: new Uint8Array(token.secretHash), rules: token.rules as Prisma.InputJsonValue, registration: json(token.registration) };
  }

  /** Wakes every replica's token cache; outside any transaction, after the change committed. */
  async announce(id: string): Promise<void> {
    await this.database.pool.query('SELECT pg_notify($1, $2)', [TOKENS_CHANNEL, id]);
  }
}
