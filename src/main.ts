// First: the heap's settings apply to everything allocated after them.
import './lifecycle/heap-tuning';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { FirstCredential } from './auth/first-credential.service';
import { serverUrl } from './auth/kubeconfig';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('Bootstrap');
  const { tls, auth } = config.security;
  logger.log(`mesh-registry listening on ${tls === 'on' ? 'https' : 'http'}://${config.host}:${config.port} (Swagger UI at /docs)`);
  if (auth === 'off') logger.warn('AUTH=off: authentication is disabled, anyone who reaches this port may read and write everything');
  else await app.get(FirstCredential).writeKubeconfig(serverUrl(config.security.publicUrl, tls === 'on', config.host, config.port));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining in-flight requests, then closing the database`);
    // A request that never finishes must not keep the process from exiting.
    setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms, exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error(`shutdown failed: ${error}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  // Configuration, database and migration errors are the operator's to fix: say what, without a stack trace.
  const expected = error instanceof ConfigError || ['MigrationError', 'EmbeddedPostgresError'].includes((error as Error)?.name);
  console.error(expected ? `mesh-registry cannot start: ${(error as Error).message}` : error);
  process.exit(1);
});
