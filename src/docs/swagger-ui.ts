import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { KINDS } from '../kinds/kinds';
import { resourceSchemas } from '../resources/resource-openapi';
import { orderPage, pageTags } from './page-order';
import { applyRequestContent } from './request-content';
import { multiDocumentYamlExamples } from './yaml-examples.plugin';

/** Open to anyone (the probes): Swagger UI shows no lock on them. */
const PUBLIC_PATHS = ['/healthz', '/readyz', '/version'];

/** Swagger UI at /docs, the OpenAPI document at /docs-json and /docs-yaml. */
export function setupSwaggerUi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('mesh-registry')
    .setDescription(
      'Registry of Istio WorkloadEntry, ServiceEntry and WorkloadGroup resources (networking.istio.io/v1) for VMs and ' +
        'bare-metal servers joining a service mesh, served with Kubernetes API semantics. Every example ' +
        'works as it is: create the example WorkloadEntry and ServiceEntry, then read, list, patch, resolve ' +
        'and export them.',
    )
    .setVersion('v1')
    // Every route but the probes and this page needs a token: the Authorize button takes it once for all.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'mr_<id>.<secret>', description: 'A registry token: the first admin token is in the data directory (.data/registry/admin.token).' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...resourceSchemas(KINDS) } };
  applyRequestContent(document);
  for (const path of PUBLIC_PATHS) for (const operation of Object.values(document.paths[path] ?? {})) (operation as { security?: unknown[] }).security = [];
  orderPage(document, pageTags(KINDS));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { plugins: [multiDocumentYamlExamples], persistAuthorization: true },
  });
}
