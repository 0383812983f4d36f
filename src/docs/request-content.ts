import { ApiExtension } from '@nestjs/swagger';
import { MediaTypeObject, OpenAPIObject, OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * A request body that differs by media type: Swagger UI then offers each type in its media type
 * selector, with that type's own examples, and sends the Content-Type chosen there. (@ApiBody puts
 * one schema and one set of examples under every media type; a patch needs one example per patch type.)
 */
const REQUEST_CONTENT = 'x-mesh-registry-request-content';

export const ApiRequestContent = (content: Record<string, MediaTypeObject>) => ApiExtension(REQUEST_CONTENT, content);

/** Header parameters OpenAPI says to ignore (3.0.3, Parameter Object): the request body's media type sets Content-Type. */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function* operationsOf(document: OpenAPIObject): Generator<OperationObject> {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) if (item[method]) yield item[method] as OperationObject;
  }
}

/**
 * Moves the request content declared with ApiRequestContent into place, and drops header parameters
 * named Content-Type or Accept (Nest documents `@Headers('content-type')` as one, which Swagger UI would
 * show as a required field whose value it never sends).
 */
export function applyRequestContent(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    const extended = operation as OperationObject & { [REQUEST_CONTENT]?: Record<string, MediaTypeObject> };
    const content = extended[REQUEST_CONTENT];
    if (content) {
      operation.requestBody = { required: true, content };
      delete extended[REQUEST_CONTENT];
    }
    operation.parameters = operation.parameters?.filter(
      (p) => !('in' in p && p.in === 'header' && RESERVED_HEADERS.has(p.name.toLowerCase())),
    );
  }
}
