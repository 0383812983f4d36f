import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { parseYamlBody, YAML_MEDIA_TYPES } from './common/codec';
import { rawBodyLimit, wantsRawBody } from './common/raw-body';
import { apiErrors } from './common/status';
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
import { AccessGate } from './auth/access-gate.service';
import { acceptProtobufReviews } from './auth/self-review/protobuf-body';
import { serverTls } from './tls/server-tls';

/** JSON bodies under the media types Kubernetes clients send for patches. */
const JSON_PATCH_MEDIA_TYPES = ['application/merge-patch+json', 'application/json-patch+json'];

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
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
    // Body parsing is ours (registerBodyParsers): JSON, YAML and patch media types, raw text for import.
    bodyParser: false,
  });
  app.useGlobalFilters(new StatusExceptionFilter(config.bodyLimitBytes));
  app.useGlobalPipes(statusValidationPipe());
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const metrics = app.get(Metrics);
  instrumentRequests(fastify, logger, metrics);
  // Authentication and authorization come before every other hook that may answer (refused writes).
  app.get(AccessGate).register(fastify);
  answerAsAsked(fastify, [tableWhenAsked(KINDS)]);
  rawBodyLimit(fastify, config.importBodyLimitBytes);
  refuseWritesEarly(fastify);
  registerBodyParsers(fastify);
  acceptProtobufReviews(fastify);
  metrics.watchPool(database.pool);
  setupSwaggerUi(app);
  await app.init();
  return app;
}

/** JSON and YAML bodies; raw-body routes (import) get the text. The route's body limit applies to all. */
function registerBodyParsers(fastify: FastifyInstance): void {
  // Objects come as JSON or YAML only; anything else is a 415, as from an apiserver.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  const parser = (parse: (text: string) => unknown) => (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    if (wantsRawBody(request)) return done(null, body as string);
    // An empty body is no body: the official clients send DELETE with a JSON content type and nothing in it.
    if (body === '') return done(null, undefined);
    try {
      done(null, parse(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  fastify.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, parser(parseYamlBody));
  fastify.addContentTypeParser(['application/json', ...JSON_PATCH_MEDIA_TYPES], { parseAs: 'string' }, parser(parseJsonBody));
}

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiErrors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}
