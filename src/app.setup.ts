import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { parseYamlBody, YAML_MEDIA_TYPES } from './common/codec';
import { apiErrors } from './common/status';
import { StatusExceptionFilter } from './common/status-exception.filter';
import { statusValidationPipe } from './common/validation-pipe';
import { WireFormatInterceptor } from './common/wire-format.interceptor';
import { KINDS } from './kinds/kinds';
import { resourceSchemas } from './resources/resource-openapi';
import { AppConfig } from './config/app-config';
import { Database } from './database/database';
import { echoRequestId, requestIdOf } from './observability/logging';
import { Metrics } from './observability/metrics';

/** JSON bodies under the media types Kubernetes clients send for patches. */
const JSON_PATCH_MEDIA_TYPES = ['application/merge-patch+json', 'application/json-patch+json'];

/**
 * Builds the whole application, initialised but not listening: shared by main.ts and the e2e tests so
 * that both run exactly the same stack.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdOf,
    // On shutdown: idle keep-alive sockets close at once, in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new StatusExceptionFilter(config.bodyLimitBytes));
  app.useGlobalInterceptors(new WireFormatInterceptor());
  app.useGlobalPipes(statusValidationPipe());
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  echoRequestId(fastify);
  registerBodyParsers(fastify, config.bodyLimitBytes);
  const metrics = app.get(Metrics);
  metrics.instrument(fastify);
  metrics.watchPool(app.get(Database).pool);
  setupOpenApi(app);
  await app.init();
  return app;
}

function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  // Objects come as JSON or YAML only; anything else is a 415, as from an apiserver.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseYamlBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser(JSON_PATCH_MEDIA_TYPES, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(apiErrors.badRequest(`the request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
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
