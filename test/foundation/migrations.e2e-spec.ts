import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../src/database/database';
import { readMigrations, runMigrations } from '../../src/database/migration-runner';
import { createTestDatabase, TestDatabase } from '../support/test-database';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migration runner', () => {
  let db: TestDatabase;
  let scratch: string;

  beforeEach(async () => {
    db = await createTestDatabase();
    scratch = await mkdtemp(join(tmpdir(), 'mesh-migrations-'));
  });
  afterEach(async () => {
    await db.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('migrates a fresh database and records each migration as prisma migrate deploy does', async () => {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const report = await runMigrations(db.url, MIGRATIONS_DIR);
    expect(report.applied).toEqual(migrations.map((m) => m.name));

    const rows = await query<Record<string, unknown>>(db.url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows).toHaveLength(migrations.length);
    for (const [i, row] of rows.entries()) {
      const sql = await readFile(join(MIGRATIONS_DIR, migrations[i].name, 'migration.sql'));
      expect(row).toMatchObject({
        migration_name: migrations[i].name,
        checksum: createHash('sha256').update(sql).digest('hex'),
        applied_steps_count: 1,
        logs: null,
        rolled_back_at: null,
      });
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    const tables = await query<{ tablename: string }>(db.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['resources', 'resource_changes']));
  });

  it('applies nothing to an already migrated database', async () => {
    await runMigrations(db.url, MIGRATIONS_DIR);
    const again = await runMigrations(db.url, MIGRATIONS_DIR);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
  });

  it('lets two runners started together apply each migration exactly once', async () => {
    const [a, b] = await Promise.all([runMigrations(db.url, MIGRATIONS_DIR), runMigrations(db.url, MIGRATIONS_DIR)]);
    const migrations = await readMigrations(MIGRATIONS_DIR);
    expect([...a.applied, ...b.applied].sort()).toEqual(migrations.map((m) => m.name));
    const rows = await query(db.url, 'SELECT 1 FROM "_prisma_migrations"');
    expect(rows).toHaveLength(migrations.length);
  });

  it('rolls a failing migration back entirely and says which one failed', async () => {
    await cp(MIGRATIONS_DIR, scratch, { recursive: true });
    const broken = join(scratch, '29990101000000_broken');
    await mkdir(broken);
    await writeFile(join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT 1/0;\n');

    await expect(runMigrations(db.url, scratch)).rejects.toThrow(
      /migration 29990101000000_broken failed and was rolled back.*division by zero/,
    );
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);
    expect(await query(db.url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).toHaveLength(0);

    // Fixing the file is all it takes: the next start applies it.
    await writeFile(join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\n');
    expect((await runMigrations(db.url, scratch)).applied).toEqual(['29990101000000_broken']);
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    await cp(MIGRATIONS_DIR, scratch, { recursive: true });
    await runMigrations(db.url, scratch);
    const [first] = await readMigrations(scratch);
    await writeFile(join(scratch, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`);
    await expect(runMigrations(db.url, scratch)).rejects.toThrow(/was modified after it was applied/);
  });
});
