import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_ADMIN_URL_ENV = 'MESH_REGISTRY_TEST_ADMIN_URL';
/** Set by globalSetup instead of the admin URL when the embedded server could not start: why. */
export const TEST_DATABASE_UNAVAILABLE_ENV = 'MESH_REGISTRY_TEST_DATABASE_UNAVAILABLE';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const unavailable = process.env[TEST_DATABASE_UNAVAILABLE_ENV];
  if (unavailable) {
    // The sentence names the cause and the fix; a stack into this helper would add nothing.
    const error = new Error(unavailable);
    error.stack = unavailable;
    throw error;
  }
  const url = process.env[TEST_ADMIN_URL_ENV];
  if (!url) throw new Error(`${TEST_ADMIN_URL_ENV} is not set: run the e2e tests through jest's globalSetup`);
  return url;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server, so test files never see each other's data. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `mesh_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
