import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrors } from './common/framework-errors';
import { rawBodyLimit } from './common/raw-body';
import { addSecurityHeaders } from './common/security-headers';
import { rejectMalformedUrlInput } from './common/url-input';
import { StatusExceptionFilter } from './common/status-exception.filter';
import { statusValidationPipe } from './common/validation-pipe';
import { WireFormatInterceptor } from './common/wire-format.interceptor';
import { KINDS } from './kinds/kinds';
import { resourceSchemas } from './resources/resource-openapi';
import { AppConfig } from './config/app-config';
import { Database } from './database/database';
import { createRootLogger, echoRequestId, logRequests, requestIdOf } from './observability/logging';
import { Metrics } from './observability/metrics';
import { registerBodyParsers } from './parsing/body-parsers';
import { ParsePool } from './parsing/parse-pool';
import { ImportGate } from './manifests/import-gate';
import { Draining } from './lifecycle/draining';
import { drainGracefully } from './lifecycle/graceful-drain';

/**
 * Builds the whole application, initialised but not listening: shared by main.ts and the e2e tests so
 * that both run exactly the same stack.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
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
  const logger = createRootLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Body parsing is ours (registerBodyParsers): JSON, YAML and patch media types, raw text for import.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new StatusExceptionFilter(config.bodyLimitBytes, config.importBodyLimitBytes));
  app.useGlobalInterceptors(new WireFormatInterceptor());
  app.useGlobalPipes(statusValidationPipe());
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  echoRequestId(fastify);
  addSecurityHeaders(fastify);
  drainGracefully(fastify, app.get(Draining));
  rejectMalformedUrlInput(fastify);
  logRequests(fastify, logger);
  rawBodyLimit(fastify, config.importBodyLimitBytes);
  app.get(ImportGate).register(fastify);
  registerBodyParsers(fastify, app.get(ParsePool));
  const metrics = app.get(Metrics);
  metrics.instrument(fastify);
  metrics.watchPool(app.get(Database).pool);
  setupOpenApi(app);
  await app.init();
  return app;
}

function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('mesh-registry')
    .setDescription(
      'Registry of Istio WorkloadEntry and ServiceEntry resources (networking.istio.io/v1) for VMs and ' +
        'bare-metal servers joining a service mesh, served with Kubernetes API semantics.',
    )
    .setVersion('v1')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...resourceSchemas(KINDS) } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
