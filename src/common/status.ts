import { FieldCause } from './field-error';

/**
 * Kubernetes `Status` (meta/v1): every error this service returns has this shape, so kubectl and the
 * Kubernetes client libraries print and classify it as they would a cluster's.
 */
export interface StatusDetails {
  name?: string;
  uid?: string;
  group?: string;
  kind?: string;
  causes?: FieldCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that already knows the Status it becomes. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'ApiError';
  }

  get code(): number {
    return this.status.code;
  }
}

const failure = (code: number, reason: string, message: string, details?: StatusDetails): ApiError =>
  new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) });

/** Identifies the resource an error is about: `plural.group` in messages, as the apiserver prints it. */
export interface ResourceRef {
  group: string;
  plural: string;
  kind: string;
  name: string;
}

/** `plural.group`, or just `plural` for the core group (schema.GroupResource.String()). */
const qualified = (ref: Pick<ResourceRef, 'group' | 'plural'>) => (ref.group ? `${ref.plural}.${ref.group}` : ref.plural);
/** StatusDetails naming a resource; an empty (core) group is left out, as the apiserver omits it. */
const about = (ref: ResourceRef) => ({ name: ref.name, ...(ref.group ? { group: ref.group } : {}), kind: ref.plural });

export const apiErrors = {
  badRequest: (message: string, causes?: FieldCause[]) =>
    failure(400, 'BadRequest', message, causes ? { causes } : undefined),
  notFound: (ref: ResourceRef) => failure(404, 'NotFound', `${qualified(ref)} "${ref.name}" not found`, about(ref)),
  notFoundMessage: (message: string) => failure(404, 'NotFound', message),
  routeNotFound: (path: string) => failure(404, 'NotFound', `the server could not find the requested resource (${path})`),
  alreadyExists: (ref: ResourceRef) =>
    failure(409, 'AlreadyExists', `${qualified(ref)} "${ref.name}" already exists`, {
      name: ref.name, group: ref.group, kind: ref.plural,
    }),
  conflict: (ref: ResourceRef, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name}": ${why}`, {
      name: ref.name, group: ref.group, kind: ref.plural,
    }),
  invalid: (ref: ResourceRef, causes: FieldCause[]) => {
    const body = causes.map((c) => `${c.field}: ${c.message}`);
    const summary = body.length === 1 ? body[0] : `[${body.join(', ')}]`;
    return failure(422, 'Invalid', `${ref.kind}.${ref.group} "${ref.name}" is invalid: ${summary}`, {
      name: ref.name, group: ref.group, kind: ref.kind, causes,
    });
  },
  /** 422 without field causes: the request is well-formed but cannot be carried out (a JSON patch that does not apply). */
  unprocessable: (message: string) => failure(422, 'Invalid', message),
  methodNotAllowed: (method: string) =>
    failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`),
  /** A verb a resource does not serve (errors.NewMethodNotSupported). */
  methodNotSupported: (resource: Pick<ResourceRef, 'group' | 'plural'>, action: string) =>
    failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(resource)}"`, {
      ...(resource.group ? { group: resource.group } : {}), kind: resource.plural,
    }),
  notAcceptable: (accept: string) =>
    failure(406, 'NotAcceptable', `the server was unable to respond with a content type that the client supports (${accept})`),
  unsupportedMediaType: (contentType: string, supported: string[]) =>
    failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format (${contentType}); supported: ${supported.join(', ')}`),
  tooLarge: (limit: number, message = `the request body is larger than the limit of ${limit} bytes`) =>
    failure(413, 'RequestEntityTooLarge', message),
  timeout: (message: string) => failure(504, 'Timeout', message),
  /** A read waited for a revision this replica did not reach in time; the client may retry. */
  resourceVersionTooLarge: (wanted: string, current: string) =>
    failure(504, 'Timeout', `Too large resource version: ${wanted}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', field: '', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }),
  /** Any other 4xx the HTTP layer raises (e.g. 414), still as a Status. */
  clientError: (code: number, message: string) => failure(code, 'BadRequest', message),
  gone: (message: string) => failure(410, 'Expired', message),
  /** A missing, malformed, unknown, expired or revoked credential: the apiserver says no more than this. */
  unauthorized: () => failure(401, 'Unauthorized', 'Unauthorized'),
  /** errors.NewForbidden: `plural.group "name" is forbidden: why`, or `forbidden: why` for a path. */
  forbidden: (resource: Pick<ResourceRef, 'group' | 'plural'> | undefined, name: string, why: string) => {
    if (!resource?.plural) return failure(403, 'Forbidden', `forbidden: ${why}`, { name });
    const subject = name ? `${qualified(resource)} "${name}"` : qualified(resource);
    return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, { name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural });
  },
  /** 429, as the apiserver's max-in-flight filter answers: try again after `retryAfterSeconds`. */
  tooManyRequests: (message: string, retryAfterSeconds: number) => failure(429, 'TooManyRequests', message, { retryAfterSeconds }),
  serviceUnavailable: (message: string, retryAfterSeconds?: number) =>
    failure(503, 'ServiceUnavailable', message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined),
  internal: (requestId: string) =>
    failure(500, 'InternalError', `Internal error occurred: unexpected server error; see the server log for request ${requestId}`),
};
