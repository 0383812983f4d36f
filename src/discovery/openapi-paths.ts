import { KindDefinition } from '../kinds/kind-definition';
import { ServedGroupVersion } from './group-versions';
import { META_SCHEMA, OpenApiSchema, schemaRef } from './openapi-meta-schemas';

/**
 * The paths of one kind in its group-version OpenAPI v3 document, shaped as the API server publishes
 * a CRD's: each operation names its `x-kubernetes-action` and `x-kubernetes-group-version-kind`, and
 * the write operations list `dryRun` and `fieldValidation` inline, which is how kubectl decides it may
 * leave validation to the server (`?fieldValidation=Strict`) instead of needing OpenAPI v2.
 */

const param = (name: string, type: string, description: string, where: 'query' | 'path' = 'query') => ({
  name,
  in: where,
  description,
  ...(where === 'path' ? { required: true } : {}),
  schema: { type, uniqueItems: true },
});

const PRETTY = param('pretty', 'string', "If 'true', then the output is pretty printed.");
const NAMESPACE = param('namespace', 'string', 'object name and auth scope, such as for teams and projects', 'path');
const DRY_RUN = param('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = param('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes (accepted; managedFields are not kept).');
const FIELD_VALIDATION = param(
  'fieldValidation',
  'string',
  'fieldValidation determines how the server should respond to unknown fields in the object in the request. Valid values are: ' +
    '- Ignore: drops unknown fields silently. - Warn (default): drops them with a Warning header for each. - Strict: fails the request.',
);
const LIST_PARAMS = [
  param('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  param('fieldSelector', 'string', 'A selector on metadata.name and metadata.namespace. Defaults to everything.'),
  param('limit', 'integer', 'The maximum number of objects to return; the list then carries metadata.continue.'),
  param('continue', 'string', 'The continue token of the previous page.'),
];
const INCLUDE_OBJECT = param('includeObject', 'string', 'For Table responses: None, Metadata (default) or Object.');

const MEDIA = ['application/json', 'application/yaml'];
const content = (schemaName: string, media = MEDIA) =>
  Object.fromEntries(media.map((m) => [m, { schema: schemaRef(schemaName) }]));
const response = (schemaName: string, description = 'OK') => ({ description, content: content(schemaName) });
const UNAUTHORIZED = { 401: { description: 'Unauthorized' } };

/** `networking.istio.io`, `v1` → `NetworkingIstioIoV1`, as operation ids spell a group-version. */
export function groupVersionId(group: string, version: string): string {
  const camel = `${group}.${version}`.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1));
  return camel.join('');
}

export const groupVersionTag = (gv: ServedGroupVersion): string => {
  const id = groupVersionId(gv.group, '');
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${gv.version}`;
};

/** Paths of one kind, keyed by path, for a document whose schemas are named `${prefix}.${Kind}`. */
export function kindPaths(gv: ServedGroupVersion, kind: KindDefinition, schemaPrefix: string): Record<string, OpenApiSchema> {
  const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
  const objectSchema = `${schemaPrefix}.${kind.kind}`;
  const listSchema = `${schemaPrefix}.${kind.listKind}`;
  const id = groupVersionId(gv.group, gv.version);
  const operation = (action: string, operationId: string, description: string, rest: OpenApiSchema) => ({
    tags: [groupVersionTag(gv)],
    description,
    operationId,
    ...rest,
    responses: { ...(rest.responses as object), ...UNAUTHORIZED },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const writeBody = { content: content(objectSchema) };
  const patchBody = { content: content(META_SCHEMA.patch, ['application/json-patch+json', 'application/merge-patch+json']) };
  const writeParams = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const base = `/apis/${gv.group}/${gv.version}`;
  const collection = `${base}/namespaces/{namespace}/${kind.plural}`;
  const item = `${collection}/{name}`;
  const name = param('name', 'string', `name of the ${kind.kind}`, 'path');

  const readReplacePatch = (suffix: string, what: string) => ({
    get: operation('get', `read${id}Namespaced${kind.kind}${suffix}`, `read ${what} ${kind.kind}`, {
      responses: { 200: response(objectSchema) },
    }),
    put: operation('put', `replace${id}Namespaced${kind.kind}${suffix}`, `replace ${what} ${kind.kind}`, {
      parameters: writeParams,
      requestBody: writeBody,
      responses: { 200: response(objectSchema), 201: response(objectSchema, 'Created') },
    }),
    patch: operation('patch', `patch${id}Namespaced${kind.kind}${suffix}`, `partially update ${what} ${kind.kind}`, {
      parameters: writeParams,
      requestBody: patchBody,
      responses: { 200: response(objectSchema) },
    }),
    parameters: [name, NAMESPACE, PRETTY],
  });

  return {
    [`${base}/${kind.plural}`]: {
      get: operation('list', `list${id}${kind.kind}ForAllNamespaces`, `list objects of kind ${kind.kind}`, {
        parameters: [...LIST_PARAMS, INCLUDE_OBJECT],
        responses: { 200: response(listSchema) },
      }),
      parameters: [PRETTY],
    },
    [collection]: {
      get: operation('list', `list${id}Namespaced${kind.kind}`, `list objects of kind ${kind.kind}`, {
        parameters: [...LIST_PARAMS, INCLUDE_OBJECT],
        responses: { 200: response(listSchema) },
      }),
      post: operation('post', `create${id}Namespaced${kind.kind}`, `create a ${kind.kind}`, {
        parameters: writeParams,
        requestBody: writeBody,
        responses: { 200: response(objectSchema), 201: response(objectSchema, 'Created') },
      }),
      delete: operation('deletecollection', `deletecollection${id}Namespaced${kind.kind}`, `delete collection of ${kind.kind}`, {
        parameters: [LIST_PARAMS[0], LIST_PARAMS[1], DRY_RUN],
        responses: { 200: response(listSchema) },
      }),
      parameters: [NAMESPACE, PRETTY],
    },
    [item]: {
      ...readReplacePatch('', 'the specified'),
      delete: operation('delete', `delete${id}Namespaced${kind.kind}`, `delete a ${kind.kind}`, {
        parameters: [DRY_RUN],
        requestBody: { content: content(META_SCHEMA.deleteOptions, ['application/json']) },
        responses: { 200: response(META_SCHEMA.status) },
      }),
    },
    [`${item}/status`]: readReplacePatch('Status', 'status of the specified'),
  };
}
