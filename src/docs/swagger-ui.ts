import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { KINDS } from '../kinds/kinds';
import { resourceSchemas } from '../resources/resource-openapi';
import { orderPage, pageTags } from './page-order';
import { applyRequestContent } from './request-content';
import { multiDocumentYamlExamples } from './yaml-examples.plugin';

/** Swagger UI at /docs, the OpenAPI document at /docs-json and /docs-yaml. */
export function setupSwaggerUi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('mesh-registry')
    .setDescription(
      'Registry of Istio WorkloadEntry and ServiceEntry resources (networking.istio.io/v1) for VMs and ' +
        'bare-metal servers joining a service mesh, served with Kubernetes API semantics. Every example ' +
        'works as it is: create the example WorkloadEntry and ServiceEntry, then read, list, patch, resolve ' +
        'and export them.',
    )
    .setVersion('v1')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...resourceSchemas(KINDS) } };
  applyRequestContent(document);
  orderPage(document, pageTags(KINDS));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { plugins: [multiDocumentYamlExamples] },
  });
}
