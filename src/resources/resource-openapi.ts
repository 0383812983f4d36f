import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { KindDefinition } from '../kinds/kind-definition';
import { SUPPORTED_PATCH_TYPES } from './patch';

/**
 * OpenAPI for the resource routes: the object schemas come straight from Istio's CRDs (descriptions
 * included), so Swagger UI documents exactly what the server validates.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const MEDIA = ['application/json', 'application/yaml'];

const objectMeta: SchemaObject = {
  type: 'object',
  description: 'Standard Kubernetes object metadata. uid, resourceVersion, generation and creationTimestamp are set by the server.',
  properties: {
    name: { type: 'string', description: 'DNS-1123 subdomain, unique per kind and namespace.' },
    generateName: { type: 'string', description: 'Prefix for a server-generated name, used when name is empty.' },
    namespace: { type: 'string', description: 'DNS-1123 label; must match the path.' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    uid: { type: 'string', readOnly: true },
    resourceVersion: { type: 'string', description: 'Opaque version; send it back on update for optimistic concurrency (409 if stale).' },
    generation: { type: 'integer', readOnly: true, description: 'Incremented when spec changes.' },
    creationTimestamp: { type: 'string', format: 'date-time', readOnly: true },
  },
};

const status: SchemaObject = {
  type: 'object',
  description: 'Kubernetes Status: the body of every error (and of a successful delete).',
  properties: {
    kind: { type: 'string', example: 'Status' },
    apiVersion: { type: 'string', example: 'v1' },
    metadata: { type: 'object' },
    status: { type: 'string', enum: ['Success', 'Failure'] },
    message: { type: 'string' },
    reason: { type: 'string', example: 'Invalid', description: 'NotFound, AlreadyExists, Conflict, Invalid, BadRequest, UnsupportedMediaType, ...' },
    code: { type: 'integer', example: 422 },
    details: {
      type: 'object',
      properties: {
        name: { type: 'string' }, group: { type: 'string' }, kind: { type: 'string' }, uid: { type: 'string' },
        causes: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              reason: { type: 'string', example: 'FieldValueInvalid' },
              message: { type: 'string', example: 'Invalid value: 70000: must be between 1 and 65535, inclusive' },
              field: { type: 'string', example: 'spec.ports[0].number' },
            },
          },
        },
      },
    },
  },
};

/** Component schemas for every kind, its List, ObjectMeta and Status. */
export function resourceSchemas(kinds: readonly KindDefinition[]): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = { ObjectMeta: objectMeta, Status: status };
  for (const kind of kinds) {
    const crd = kind.schema as { properties?: Record<string, SchemaObject>; required?: string[] };
    schemas[kind.kind] = {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { type: 'string', enum: [`${kind.group}/${kind.version}`] },
        kind: { type: 'string', enum: [kind.kind] },
        metadata: ref('ObjectMeta'),
        ...(crd.properties as Record<string, SchemaObject>),
      },
    };
    schemas[kind.listKind] = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string', enum: [kind.listKind] },
        metadata: {
          type: 'object',
          properties: {
            resourceVersion: { type: 'string' },
            continue: { type: 'string', description: 'Pass as ?continue= to get the next page.' },
          },
        },
        items: { type: 'array', items: ref(kind.kind) },
      },
    };
  }
  return schemas;
}

const errors = (...codes: number[]) =>
  codes.map((code) => ApiResponse({ status: code, description: ERROR_TEXT[code], schema: ref('Status') }));

const ERROR_TEXT: Record<number, string> = {
  400: 'BadRequest: malformed body or query.',
  404: 'NotFound.',
  409: 'AlreadyExists (create), or Conflict: a stale metadata.resourceVersion.',
  413: 'RequestEntityTooLarge.',
  415: 'UnsupportedMediaType.',
  422: 'Invalid: details.causes lists every failing field.',
};

const writeQueries = [
  ApiQuery({ name: 'dryRun', required: false, enum: ['All'], description: 'Validate fully, store nothing.' }),
  ApiQuery({ name: 'fieldValidation', required: false, enum: ['Strict', 'Warn', 'Ignore'], description: 'Unknown fields: reject (Strict), drop with a Warning header (Warn, default), or drop silently.' }),
];

const listQueries = [
  ApiQuery({ name: 'labelSelector', required: false, description: 'e.g. `app=details-legacy,env in (prod,staging),!canary`' }),
  ApiQuery({ name: 'fieldSelector', required: false, description: '`metadata.name` and `metadata.namespace`, with `=`, `==` or `!=`' }),
  ApiQuery({ name: 'limit', required: false, type: Number, description: 'Page size; the List then carries metadata.continue.' }),
  ApiQuery({ name: 'continue', required: false, description: 'Token from the previous page.' }),
];

/** Decorators documenting each route of a kind. */
export const resourceDocs = {
  list: (kind: KindDefinition, allNamespaces: boolean) =>
    applyDecorators(
      ApiOperation({
        operationId: `list${kind.kind}${allNamespaces ? 'ForAllNamespaces' : ''}`,
        summary: `List ${kind.plural}${allNamespaces ? ' across all namespaces' : ''}`,
      }),
      ApiProduces(...MEDIA),
      ...listQueries,
      ApiResponse({ status: 200, schema: ref(kind.listKind) }),
      ...errors(400),
    ),
  get: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({ operationId: `read${kind.kind}${subresource}`, summary: `Read a ${kind.kind}${subresource ? ' (status)' : ''}` }),
      ApiProduces(...MEDIA),
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ...errors(404),
    ),
  create: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `create${kind.kind}`, summary: `Create a ${kind.kind}` }),
      ApiConsumes(...MEDIA),
      ApiProduces(...MEDIA),
      ApiBody({ schema: ref(kind.kind), examples: kind.examples }),
      ...writeQueries,
      ApiResponse({ status: 201, schema: ref(kind.kind), description: 'Created; Istio warnings come back as `Warning` headers.' }),
      ...errors(400, 409, 413, 415, 422),
    ),
  replace: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({
        operationId: `replace${kind.kind}${subresource}`,
        summary: subresource ? `Replace the status of a ${kind.kind}` : `Replace a ${kind.kind}, or create it when missing`,
        description: 'With metadata.resourceVersion set, the write only succeeds if it is still current (409 Conflict otherwise); without it, the replace is unconditional.',
      }),
      ApiConsumes(...MEDIA),
      ApiProduces(...MEDIA),
      ApiBody({ schema: ref(kind.kind), examples: kind.examples }),
      ...writeQueries,
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ApiResponse({ status: 201, schema: ref(kind.kind), description: 'Created (it did not exist).' }),
      ...errors(400, 404, 409, 413, 415, 422),
    ),
  patch: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({
        operationId: `patch${kind.kind}${subresource}`,
        summary: `Patch a ${kind.kind}${subresource ? ' (status)' : ''}`,
        description: 'JSON merge patch (RFC 7386) or JSON patch (RFC 6902). A metadata.resourceVersion in the patch is a precondition.',
      }),
      ApiConsumes(...SUPPORTED_PATCH_TYPES),
      ApiProduces(...MEDIA),
      ApiBody({
        schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
        examples: {
          'merge-patch': { summary: 'application/merge-patch+json', value: { spec: { weight: 5 } } },
          'json-patch': { summary: 'application/json-patch+json', value: [{ op: 'replace', path: '/spec/weight', value: 5 }] },
        },
      }),
      ...writeQueries,
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ...errors(400, 404, 409, 415, 422),
    ),
  delete: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `delete${kind.kind}`, summary: `Delete a ${kind.kind}` }),
      ApiQuery({ name: 'dryRun', required: false, enum: ['All'] }),
      ApiResponse({ status: 200, schema: ref('Status') }),
      ...errors(404, 409),
    ),
  deleteCollection: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `deleteCollection${kind.kind}`, summary: `Delete every ${kind.kind} the selectors match` }),
      ApiQuery({ name: 'dryRun', required: false, enum: ['All'] }),
      ...listQueries.slice(0, 2),
      ApiResponse({ status: 200, schema: ref(kind.listKind), description: 'The deleted objects.' }),
      ...errors(400),
    ),
};
