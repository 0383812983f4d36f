import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { ChangeListener } from '../../src/cache/change-listener';
import { CHANGES_CHANNEL } from '../../src/store/change-log.repository';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Resolves once `check` holds, polling every 10 ms; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(ChangeListener.name, () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let notifier: Client;
  beforeAll(async () => {
    // The listener logs the losses this test causes on purpose; outside an app they would reach the console.
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    proxy = await startTcpProxy(db.url);
    notifier = new Client({ connectionString: db.url });
    await notifier.connect();
  });
  afterAll(async () => {
    await notifier.end();
    await proxy.close();
    await db.drop();
  });

  it('notices a connection that stalls without an error, replaces it, and hears announcements again', async () => {
    let notifications = 0;
    const reconnects: string[] = [];
    const sut = new ChangeListener({
      url: proxy.url,
      // Generous enough for a first connect on a loaded CI machine (2 cores, the whole suite running).
      heartbeatMs: 200,
      heartbeatTimeoutMs: 1000,
      reconnectDelayMs: 50,
      onNotification: () => notifications++,
      onReconnect: (reason) => reconnects.push(reason),
    });
    await sut.start();
    try {
      await notifier.query(`NOTIFY ${CHANGES_CHANNEL}, '1'`);
      await until(() => notifications === 1, 5000, 'the first notification');

      proxy.pause();
      await until(() => reconnects.length === 1, 5000, 'noticing the stall');
      expect(reconnects[0]).toContain('no answer to a heartbeat');
      expect(sut.connected).toBe(false);

      // Reconnecting through the stalled path times out and is tried again, until the path is back.
      await new Promise((r) => setTimeout(r, 1500));
      expect(sut.connected).toBe(false);
      proxy.resume();
      await until(() => sut.connected, 5000, 'reconnecting');
      const before = notifications;
      await notifier.query(`NOTIFY ${CHANGES_CHANNEL}, '2'`);
      await until(() => notifications > before, 5000, 'a notification after reconnecting');
    } finally {
      proxy.resume();
      await sut.stop();
    }
  });
});
