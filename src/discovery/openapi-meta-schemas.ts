/**
 * The meta/v1 schemas every group-version OpenAPI document of a Kubernetes API server carries, under
 * the names clients (`kubectl explain`, client generators) look up. Only the fields this registry
 * honours are listed.
 */
export type OpenApiSchema = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const META_SCHEMA = {
  objectMeta: `${META}.ObjectMeta`,
  listMeta: `${META}.ListMeta`,
  status: `${META}.Status`,
  statusDetails: `${META}.StatusDetails`,
  statusCause: `${META}.StatusCause`,
  deleteOptions: `${META}.DeleteOptions`,
  preconditions: `${META}.Preconditions`,
  patch: `${META}.Patch`,
  time: `${META}.Time`,
} as const;

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const str = (description: string) => ({ type: 'string', description });
const stringMap = (description: string) => ({ type: 'object', additionalProperties: { type: 'string', default: '' }, description });
const metaGvk = (kind: string) => [{ group: '', kind, version: 'v1' }];

export const TYPE_META_PROPERTIES = {
  apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
  kind: str('Kind is a string value representing the REST resource this object represents. In CamelCase.'),
};

const objectMeta: OpenApiSchema = {
  description: 'ObjectMeta is metadata that all persisted resources must have. This registry keeps the fields listed here.',
  type: 'object',
  properties: {
    annotations: stringMap('Annotations is an unstructured key value map stored with a resource (kubectl keeps its last-applied-configuration here).'),
    creationTimestamp: { ...schemaRef(META_SCHEMA.time), description: 'The server time when this object was created. Read-only.' },
    generateName: str('A prefix for a server-generated name, used when name is empty.'),
    generation: { type: 'integer', format: 'int64', description: 'A sequence number representing a specific generation of the desired state (spec). Read-only.' },
    labels: stringMap('Map of string keys and values that can be used to organize and categorize (scope and select) objects.'),
    name: str('Name must be unique within a namespace. Is required when creating resources, unless generateName is set. Cannot be updated.'),
    namespace: str('Namespace defines the space within which each name must be unique (a DNS-1123 label).'),
    resourceVersion: str('An opaque value that represents the internal version of this object; a stale one on update is a 409 Conflict.'),
    uid: str('UID is the unique in time and space value for this object. Read-only.'),
  },
};

const listMeta: OpenApiSchema = {
  description: 'ListMeta describes metadata that synthetic resources must have, including lists.',
  type: 'object',
  properties: {
    continue: str('Set when the list was limited: pass it as ?continue= to get the next page.'),
    resourceVersion: str('The version of the list, for optimistic concurrency and (later) watch.'),
  },
};

const statusCause: OpenApiSchema = {
  description: 'StatusCause provides more information about an api.Status failure.',
  type: 'object',
  properties: {
    field: str('The field of the resource that has caused this error, e.g. spec.ports[0].number.'),
    message: str('A human-readable description of the cause of the error.'),
    reason: str('A machine-readable description of the cause of the error, e.g. FieldValueInvalid.'),
  },
};

const statusDetails: OpenApiSchema = {
  description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
  type: 'object',
  properties: {
    causes: { type: 'array', items: { ...schemaRef(META_SCHEMA.statusCause), default: {} }, description: 'Every field that failed validation.' },
    group: str('The group attribute of the resource associated with the status StatusReason.'),
    kind: str('The kind attribute of the resource associated with the status StatusReason.'),
    name: str('The name attribute of the resource associated with the status StatusReason.'),
    retryAfterSeconds: { type: 'integer', format: 'int32', description: 'The number of seconds before the client should attempt to retry.' },
    uid: str('UID of the resource.'),
  },
};

const status: OpenApiSchema = {
  description: 'Status is a return value for calls that do not return other objects: every error, and a delete.',
  type: 'object',
  properties: {
    ...TYPE_META_PROPERTIES,
    code: { type: 'integer', format: 'int32', description: 'Suggested HTTP return code for this status, 0 if not set.' },
    details: { ...schemaRef(META_SCHEMA.statusDetails), description: 'Extended data associated with the reason.' },
    message: str('A human-readable description of the status of this operation.'),
    metadata: { ...schemaRef(META_SCHEMA.listMeta), default: {}, description: 'Standard list metadata.' },
    reason: str('A machine-readable description of why this operation is in the "Failure" status (NotFound, AlreadyExists, Conflict, Invalid, ...).'),
    status: str('Status of the operation. One of: "Success" or "Failure".'),
  },
  'x-kubernetes-group-version-kind': metaGvk('Status'),
};

const preconditions: OpenApiSchema = {
  description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
  type: 'object',
  properties: {
    resourceVersion: str('Specifies the target ResourceVersion'),
    uid: str('Specifies the target UID.'),
  },
};

const deleteOptions: OpenApiSchema = {
  description: 'DeleteOptions may be provided when deleting an API object.',
  type: 'object',
  properties: {
    ...TYPE_META_PROPERTIES,
    dryRun: { type: 'array', items: { type: 'string', default: '' }, description: 'When present ("All"), the deletion is checked but not carried out.' },
    preconditions: { ...schemaRef(META_SCHEMA.preconditions), description: 'Must be fulfilled before a deletion is carried out; a 409 Conflict otherwise.' },
    propagationPolicy: str('Accepted and ignored: objects of this registry have no dependents.'),
  },
  'x-kubernetes-group-version-kind': metaGvk('DeleteOptions'),
};

/** The meta/v1 component schemas, by name. */
export function metaSchemas(): Record<string, OpenApiSchema> {
  return {
    [META_SCHEMA.deleteOptions]: deleteOptions,
    [META_SCHEMA.listMeta]: listMeta,
    [META_SCHEMA.objectMeta]: objectMeta,
    [META_SCHEMA.patch]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
    [META_SCHEMA.preconditions]: preconditions,
    [META_SCHEMA.status]: status,
    [META_SCHEMA.statusCause]: statusCause,
    [META_SCHEMA.statusDetails]: statusDetails,
    [META_SCHEMA.time]: { description: 'Time is a wrapper around time.Time, serialized as RFC 3339.', type: 'string', format: 'date-time' },
  };
}
