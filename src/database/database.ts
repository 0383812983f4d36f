import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { join } from 'node:path';
import { Pool } from 'pg';
import { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import { EmbeddedPostgresHandle, ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migration-runner';

export const MIGRATIONS_DIR = join(__dirname, '../../prisma/migrations');
const EMBEDDED_DATABASE_NAME = 'mesh_registry';
const READINESS_TIMEOUT_MS = 2000;

/**
 * The one connection to PostgreSQL: the server (given by DATABASE_URL, or embedded), its migrated
 * schema, one pg pool, and the Prisma client on top of that pool. It closes them in reverse order.
 */
export class Database {
  private readonly logger = new Logger(Database.name);

  private constructor(
    readonly url: string,
    readonly pool: Pool,
    readonly prisma: PrismaClient,
    private readonly embedded?: EmbeddedPostgresHandle,
  ) {}

  static async open(config: AppConfig): Promise<Database> {
    const logger = new Logger(Database.name);
    let embedded: EmbeddedPostgresHandle | undefined;
    let url = config.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres({
        dataDir: config.embeddedDataDir,
        port: config.embeddedPort,
        onLog: (message) => logger.debug(message.trim()),
      });
      url = await ensureDatabase(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
      const linked = embedded.dataDir === config.embeddedDataDir ? '' : ` (linked from ${config.embeddedDataDir})`;
      logger.log(`embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}${linked}`);
    }
    try {
      const report = await runMigrations(url, MIGRATIONS_DIR);
      logger.log(`migrations: ${report.applied.length} applied, ${report.alreadyApplied.length} already applied`);
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    const pool = new Pool({ connectionString: url, max: config.databasePoolMax, connectionTimeoutMillis: 5000 });
    // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
    pool.on('error', (error) => logger.warn(`idle database connection closed: ${error.message}`));
    // Nor may a checked-out one (a transaction between its queries), which the pool does not listen to:
    // its next query fails instead, the transaction rolls back, and the pool discards the client.
    pool.on('connect', (client) => client.on('error', (error) => logger.debug(`database connection lost: ${error.message}`)));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return new Database(url, pool, prisma, embedded);
  }

  /** True when the server answers a trivial query within the readiness timeout. */
  async isReachable(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
    });
    const query = this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect().catch((error) => this.logger.warn(`prisma disconnect: ${error}`));
    await this.pool.end().catch((error) => this.logger.warn(`pool end: ${error}`));
    await this.embedded?.stop();
  }
}
