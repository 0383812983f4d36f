import { readFileSync } from 'node:fs';
import pino from 'pino';
import { ConfigError } from './config/app-config';
import { createHealthServer } from './sync/health-server';
import { loadSyncConfig } from './sync/sync-config';
import { SyncRunner } from './sync/sync-runner';

/** `node dist/sync.js`: mirrors the registry into the clusters of SYNC_CONFIG (README, "Sync"). */
function main(): void {
  const read = (path: string) => readFileSync(path, 'utf8');
  const config = loadSyncConfig(process.env, read);
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, component: 'sync' } });
  const runner = new SyncRunner(config, logger, read);
  const server = createHealthServer(runner);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port }, `sync health and metrics on http://${config.host}:${port} (/healthz, /readyz, /metrics, /status)`);
  });
  server.on('error', (error) => {
    logger.fatal({ error: error.message }, 'cannot serve health and metrics');
    process.exit(1);
  });
  runner.start();
  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping the sync`);
    runner.stop();
    server.close();
    // Writes in flight are idempotent on restart (the next start diffs in full), so there is nothing to drain.
    setTimeout(() => process.exit(0), 100).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? `mesh-registry-sync cannot start: ${error.message}` : error);
  process.exit(1);
}
