import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DNS_1123_LABEL } from '../common/kube-validators';
import { EXAMPLE_LABEL_SELECTOR, EXAMPLE_NAME, EXAMPLE_NAMESPACE } from '../docs/example-names';
import { ApiRequestContent } from '../docs/request-content';
import { resourceErrors, statusResponses } from '../docs/status-responses';
import { KindDefinition, PatchExamples } from '../kinds/kind-definition';
import { JSON_PATCH, MERGE_PATCH } from './patch';

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
    status: { type: 'string', enum: ['Failure', 'Success'], description: 'Failure for every error; Success for a delete.' },
    message: { type: 'string' },
    reason: { type: 'string', description: 'NotFound, AlreadyExists, Conflict, Invalid, BadRequest, UnsupportedMediaType, ...' },
    code: { type: 'integer', description: 'The HTTP status code.' },
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

const ERROR_TEXT: Record<number, string> = {
  400: 'BadRequest: malformed body or query.',
  404: 'NotFound.',
  409: 'AlreadyExists (create), or Conflict: a stale metadata.resourceVersion.',
  413: 'RequestEntityTooLarge.',
  415: 'UnsupportedMediaType.',
  422: 'Invalid: details.causes lists every failing field.',
};

type ErrorName = keyof ReturnType<typeof resourceErrors>;
const errors = (kind: KindDefinition, ...names: ErrorName[]) => {
  const all = resourceErrors(kind);
  return statusResponses(ERROR_TEXT, names.map((name) => all[name]));
};

const writeQueries = [
  ApiQuery({ name: 'dryRun', required: false, enum: ['All'], description: 'Validate fully, store nothing.' }),
  ApiQuery({ name: 'fieldValidation', required: false, enum: ['Strict', 'Warn', 'Ignore'], description: 'Unknown fields: reject (Strict), drop with a Warning header (Warn, default), or drop silently.' }),
];

const selectorQueries = [
  ApiQuery({ name: 'labelSelector', required: false, example: EXAMPLE_LABEL_SELECTOR, description: 'Selects on metadata.labels: `=`, `==`, `!=`, `in`, `notin`, `key`, `!key`, e.g. `app=details-legacy,env in (prod,staging),!canary`' }),
  ApiQuery({ name: 'fieldSelector', required: false, description: '`metadata.name` and `metadata.namespace`, with `=`, `==` or `!=`' }),
];

const listQueries = [
  ...selectorQueries,
  ApiQuery({ name: 'limit', required: false, type: Number, description: 'Page size; the List then carries metadata.continue.' }),
  ApiQuery({ name: 'continue', required: false, description: 'Token from the previous page.' }),
  ApiQuery({
    name: 'resourceVersion', required: false,
    description: 'Unset: the latest state. `0`: any state this replica holds. N: a state at least as new as N. ' +
      'With watch: unset or `0` starts with an ADDED event for every current object; N sends exactly the changes after N.',
  }),
  ApiQuery({ name: 'resourceVersionMatch', required: false, enum: ['NotOlderThan', 'Exact'], description: 'How resourceVersion is read (lists; with watch only beside sendInitialEvents, and only NotOlderThan).' }),
  ApiQuery({
    name: 'watch', required: false, type: Boolean,
    description: 'Stream the changes instead of listing: one JSON event `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{…}}` per line. ' +
      'A watch from a compacted resourceVersion gets one ERROR event carrying a 410 Expired Status, then the stream ends; watch again after a fresh list.',
  }),
  ApiQuery({ name: 'allowWatchBookmarks', required: false, type: Boolean, description: 'Watch: send a BOOKMARK (only metadata.resourceVersion) about every minute and shortly before timeoutSeconds, so a quiet watch can resume without replaying.' }),
  ApiQuery({ name: 'sendInitialEvents', required: false, type: Boolean, description: 'Watch (with resourceVersionMatch=NotOlderThan): the initial ADDED events end with a BOOKMARK annotated `k8s.io/initial-events-end: "true"`.' }),
  ApiQuery({ name: 'timeoutSeconds', required: false, type: Number, description: 'Watch: end the stream cleanly after this many seconds (default: a random time between 30 and 60 minutes).' }),
];

/** A watch's answer: events, one JSON object a line (not one JSON document). */
const watchResponse = (kind: KindDefinition) => ({
  type: 'object',
  description: `With watch=true: a stream of WatchEvents, one per line, each object a ${kind.kind} (a Status for ERROR; only metadata.resourceVersion for BOOKMARK).`,
  properties: {
    type: { type: 'string', enum: ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] },
    object: ref(kind.kind),
  },
});

// Required, with examples that point at the examples create prefills: Swagger UI fills them in.
const namespaceParam = ApiParam({
  name: 'namespace', required: true, example: EXAMPLE_NAMESPACE, description: 'A DNS-1123 label; any namespace may be used.',
  schema: { type: 'string', pattern: DNS_1123_LABEL.source, maxLength: 63, example: EXAMPLE_NAMESPACE },
});
const nameParam = ApiParam({ name: 'name', required: true, example: EXAMPLE_NAME, description: 'The object\'s metadata.name.' });
const itemParams = [namespaceParam, nameParam];
const propagationQuery = ApiQuery({
  name: 'propagationPolicy',
  required: false,
  enum: ['Background', 'Foreground', 'Orphan'],
  description: 'What happens to the objects whose ownerReferences name a deleted object (the WorkloadEntries registered into a WorkloadGroup): deleted with it, in the same transaction (Background, the default, and Foreground), or kept without that reference (Orphan).',
});

/**
 * The request body of a patch: each patch type a media type of its own, with its own example. Both
 * examples have one key: Swagger UI keeps the selected example key when the media type changes, and
 * shows a schema sample (`[{}]`) instead of the example when the new type has no example of that key.
 */
const patchContent = (examples: PatchExamples) =>
  ApiRequestContent({
    [MERGE_PATCH]: { schema: { type: 'object' }, examples: { [EXAMPLE_NAME]: examples.merge } },
    [JSON_PATCH]: { schema: { type: 'array', items: { type: 'object' } }, examples: { [EXAMPLE_NAME]: examples.json } },
  });

/** What a delete answers (resource.service's deletedStatus), for the example object. */
const deletedExample = (kind: KindDefinition) => ({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
  details: { name: EXAMPLE_NAME, group: kind.group, kind: kind.plural, uid: '7f6d5c4b-3a29-4e18-9f07-6e5d4c3b2a19' },
});

/** Decorators documenting each route of a kind. */
export const resourceDocs = {
  list: (kind: KindDefinition, allNamespaces: boolean) =>
    applyDecorators(
      ApiOperation({
        operationId: `list${kind.kind}${allNamespaces ? 'ForAllNamespaces' : ''}`,
        summary: `List ${kind.plural}${allNamespaces ? ' across all namespaces' : ''}`,
      }),
      ...(allNamespaces ? [] : [namespaceParam]),
      ApiProduces(...MEDIA),
      ...listQueries,
      ApiResponse({
        status: 200,
        description: `A ${kind.listKind}; with watch=true, a stream of WatchEvents, one JSON object a line.`,
        schema: { oneOf: [ref(kind.listKind), watchResponse(kind)] },
      }),
      ...errors(kind, 'badSelector'),
    ),
  get: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({ operationId: `read${kind.kind}${subresource}`, summary: `Read a ${kind.kind}${subresource ? ' (status)' : ''}` }),
      ...itemParams,
      ApiProduces(...MEDIA),
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ...errors(kind, 'notFound'),
    ),
  create: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `create${kind.kind}`, summary: `Create a ${kind.kind}` }),
      namespaceParam,
      ApiConsumes(...MEDIA),
      ApiProduces(...MEDIA),
      ApiBody({ schema: ref(kind.kind), examples: kind.examples }),
      ...writeQueries,
      ApiResponse({ status: 201, schema: ref(kind.kind), description: 'Created; Istio warnings come back as `Warning` headers.' }),
      ...errors(kind, 'badBody', 'alreadyExists', 'tooLarge', 'unsupportedMediaType', 'invalid'),
    ),
  replace: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({
        operationId: `replace${kind.kind}${subresource}`,
        summary: subresource ? `Replace the status of a ${kind.kind}` : `Replace a ${kind.kind}, or create it when missing`,
        description: 'With metadata.resourceVersion set, the write only succeeds if it is still current (409 Conflict otherwise); without it, the replace is unconditional.',
      }),
      ...itemParams,
      ApiConsumes(...MEDIA),
      ApiProduces(...MEDIA),
      ApiBody({ schema: ref(kind.kind), examples: kind.examples }),
      ...writeQueries,
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ApiResponse({ status: 201, schema: ref(kind.kind), description: 'Created (it did not exist).' }),
      ...errors(kind, 'badBody', ...(subresource ? (['notFound'] as const) : []), 'conflict', 'tooLarge', 'unsupportedMediaType', 'invalid'),
    ),
  patch: (kind: KindDefinition, subresource = '') =>
    applyDecorators(
      ApiOperation({
        operationId: `patch${kind.kind}${subresource}`,
        summary: `Patch a ${kind.kind}${subresource ? ' (status)' : ''}`,
        description:
          'Choose the patch type as the request body\'s media type: application/merge-patch+json (RFC 7386: an object merged in; ' +
          'null deletes a field, lists are replaced whole) or application/json-patch+json (RFC 6902: a list of operations). ' +
          (subresource ? 'Only status changes; spec and metadata are kept. ' : 'A status in the patch is ignored (use /status). ') +
          'A metadata.resourceVersion in the patch is a precondition.',
      }),
      ...itemParams,
      patchContent(subresource ? kind.patchExamples.status : kind.patchExamples.spec),
      ApiProduces(...MEDIA),
      ...writeQueries,
      ApiResponse({ status: 200, schema: ref(kind.kind) }),
      ...errors(kind, 'badBody', 'notFound', 'conflict', 'unsupportedMediaType', 'invalid'),
    ),
  delete: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `delete${kind.kind}`, summary: `Delete a ${kind.kind}` }),
      ...itemParams,
      ApiQuery({ name: 'dryRun', required: false, enum: ['All'] }),
      propagationQuery,
      ApiResponse({ status: 200, schema: ref('Status'), description: 'Deleted.', example: deletedExample(kind) }),
      ...errors(kind, 'notFound', 'conflict'),
    ),
  deleteCollection: (kind: KindDefinition) =>
    applyDecorators(
      ApiOperation({ operationId: `deleteCollection${kind.kind}`, summary: `Delete every ${kind.kind} the selectors match` }),
      namespaceParam,
      ApiQuery({ name: 'dryRun', required: false, enum: ['All'] }),
      propagationQuery,
      ...selectorQueries,
      ApiResponse({ status: 200, schema: ref(kind.listKind), description: 'The deleted objects.' }),
      ...errors(kind, 'badSelector'),
    ),
};
