import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

describe('embedded PostgreSQL', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-embedded-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps its data across a stop and a second start on the same directory', async () => {
    const dataDir = join(root, 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    const url = await ensureDatabase(first.adminUrl, 'persisted');
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE marker (value text)');
    await client.query('INSERT INTO marker VALUES ($1)', ['still here']);
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const again = new Client({ connectionString: await ensureDatabase(second.adminUrl, 'persisted') });
      await again.connect();
      const { rows } = await again.query('SELECT value FROM marker');
      await again.end();
      expect(rows).toEqual([{ value: 'still here' }]);
    } finally {
      await second.stop();
    }
  });
});
