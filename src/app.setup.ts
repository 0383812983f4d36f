import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrors } from './common/framework-errors';
import { rawBodyLimit } from './common/raw-body';
import { addSecurityHeaders } from './common/security-headers';
import { rejectMalformedUrlInput } from './common/url-input';
import { serializeSharedAnswers } from './common/shared-json';
import { StatusExceptionFilter } from './common/status-exception.filter';
import { statusValidationPipe } from './common/validation-pipe';
import { answerAsAsked } from './common/wire-format';
import { tableWhenAsked } from './discovery/table-representation';
import { setupSwaggerUi } from './docs/swagger-ui';
import { KINDS } from './kinds/kinds';
import { AppConfig } from './config/app-config';
import { Database } from './database/database';
import { createRootLogger, requestIdOf } from './observability/logging';
import { NestPinoLogger } from './observability/nest-logger';
import { Metrics } from './observability/metrics';
import { instrumentRequests } from './observability/request-hooks';
import { refuseWritesEarly } from './namespaces/refused-writes';
import { registerBodyParsers } from './parsing/body-parsers';
import { ParsePool } from './parsing/parse-pool';
import { ImportGate } from './manifests/import-gate';
import { Draining } from './lifecycle/draining';
import { drainGracefully } from './lifecycle/graceful-drain';
import { AccessGate } from './auth/access-gate.service';
import { acceptProtobufReviews } from './auth/self-review/protobuf-body';
import { serverTls } from './tls/server-tls';

/**
 * Builds the whole application, initialised but not listening: shared by main.ts and the e2e tests so
 * that both run exactly the same stack.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config);
  // Nest's Logger writes through pino from the first line on, the database's start-up lines included.
  Logger.overrideLogger(new NestPinoLogger(logger));
  // Opened before Nest builds the application, so that a database that cannot start or be migrated stops
  // start-up with its own message (main.ts), not inside Nest's module loading with a stack trace.
  const database = await Database.open(config);
  try {
    return await buildApp(config, database, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function buildApp(config: AppConfig, database: Database, logger: PinoLogger): Promise<NestFastifyApplication> {
  const tls = await serverTls(config.security);
  const adapter = new FastifyAdapter({
    ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    bodyLimit: config.bodyLimitBytes,
    // Object names may be 253 characters (DNS-1123 subdomains); Fastify's default allows 100.
    routerOptions: { maxParamLength: 512 },
    genReqId: requestIdOf,
    // forceCloseConnections stays unset: Fastify's default ('idle') closes idle keep-alive sockets at
    // shutdown and lets in-flight requests finish, whereas Nest's adapter, given any value, destroys them all.
    // Requests during shutdown get a 503 Status from drainGracefully instead of Nest's own body.
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
    // Body parsing is ours (registerBodyParsers): JSON, YAML and patch media types, raw text for import.
    bodyParser: false,
  });
  app.useGlobalFilters(new StatusExceptionFilter(config.bodyLimitBytes, config.importBodyLimitBytes));
  app.useGlobalPipes(statusValidationPipe());
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const metrics = app.get(Metrics);
  instrumentRequests(fastify, logger, metrics);
  addSecurityHeaders(fastify);
  drainGracefully(fastify, app.get(Draining));
  rejectMalformedUrlInput(fastify);
  // Authentication and authorization come before every other hook that may answer (refused writes, imports).
  app.get(AccessGate).register(fastify);
  serializeSharedAnswers(fastify);
  answerAsAsked(fastify, [tableWhenAsked(KINDS)]);
  rawBodyLimit(fastify, config.importBodyLimitBytes);
  refuseWritesEarly(fastify);
  app.get(ImportGate).register(fastify);
  registerBodyParsers(fastify, app.get(ParsePool));
  acceptProtobufReviews(fastify);
  metrics.watchPool(database.pool);
  setupSwaggerUi(app);
  await app.init();
  return app;
}
