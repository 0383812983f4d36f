import { Client } from 'pg';
import { loadConfig, AppConfig } from '../../src/config/app-config';
import { LeaseConfig } from '../../src/config/lease-config';
import { LeaseReaper } from '../../src/leases/lease-reaper.service';
import { ManualClock } from '../support/manual-clock';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

/** Short leases, as the lease tests use them: 10 s, renew every 2 s, deleted 30 s after a lapse. */
export const TEST_LEASES: Partial<LeaseConfig> = { durationSeconds: 10, renewIntervalSeconds: 2, deregisterAfterSeconds: 30, flushDelayMs: 0, outageGapSeconds: 1 };

export interface LeaseApp extends TestApp {
  clock: ManualClock;
  reaper: LeaseReaper;
  /** One expiry pass on this replica (it must be the leader to do anything). */
  reap(): ReturnType<LeaseReaper['runNow']>;
  /** Resolves once this replica holds the reaper's lock. */
  leading(timeoutMs?: number): Promise<void>;
}

/** The app over HTTP with authentication off, on a clock the test moves. */
export async function startLeaseApp(clock: ManualClock, leases: Partial<LeaseConfig> = {}, database?: TestDatabase, overrides: Partial<AppConfig> = {}): Promise<LeaseApp> {
  const base = loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', TLS: 'off', AUTH: 'off' });
  const app = await startTestApp({ security: { ...base.security, clock }, leases: { ...base.leases, ...TEST_LEASES, ...leases }, ...overrides }, database);
  const reaper = app.app.get(LeaseReaper);
  return {
    ...app,
    clock,
    reaper,
    reap: () => reaper.runNow(),
    leading: async (timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs;
      while (!reaper.isLeader) {
        if (Date.now() > until) throw new Error('this replica never became the lease reaper');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** Rows of the lease table, straight from the database. */
export async function leaseRows(database: TestDatabase): Promise<{ namespace: string; name: string; renew_ms: string; expired_ms: string | null; group_name: string | null }[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query('SELECT namespace, name, renew_ms::text, expired_ms::text, group_name FROM entry_leases ORDER BY namespace, name')).rows;
  } finally {
    await client.end();
  }
}
