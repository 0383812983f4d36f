import { ApiResponse } from '@nestjs/swagger';
import { ApiError, apiErrors, ResourceRef } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { EXAMPLE_NAME, EXAMPLE_NAMESPACE } from './example-names';
import { parseLabelSelector } from '../resources/label-selector';

/**
 * Error responses documented with the Status the server really sends for that code and reason, built
 * by the same functions that build the errors (so no example can say "Success" for a 404).
 */
export type StatusExample = [summary: string, error: ApiError];

const STATUS_SCHEMA = { $ref: '#/components/schemas/Status' };

/** One documented response per code, with a named example for each reason the route can give. */
export function statusResponses(descriptions: Record<number, string>, examples: StatusExample[]): MethodDecorator[] {
  const byCode = new Map<number, StatusExample[]>();
  for (const example of examples) byCode.set(example[1].code, [...(byCode.get(example[1].code) ?? []), example]);
  return [...byCode].map(([code, list]) =>
    ApiResponse({
      status: code,
      description: descriptions[code] ?? list.map(([summary]) => summary).join('; '),
      schema: STATUS_SCHEMA,
      examples: Object.fromEntries(list.map(([summary, error]) => [exampleKey(error, list), { summary, value: error.status }])),
    }),
  );
}

// Swagger UI lists examples by key: the reason, unless one code has two examples of the same reason.
const exampleKey = (error: ApiError, list: StatusExample[]) =>
  list.filter(([, other]) => other.status.reason === error.status.reason).length > 1
    ? `${error.status.reason}-${list.findIndex(([, other]) => other === error)}`
    : String(error.status.reason);

/** What `work` throws: examples show the real code's errors in its own words. */
export function errorThrownBy<E extends Error = ApiError>(work: () => unknown): E {
  try {
    work();
  } catch (error) {
    return error as E;
  }
  throw new Error('the example was expected to fail');
}

const thrownBy = (work: () => unknown) => errorThrownBy<Error>(work).message;

const refOf = (kind: KindDefinition, name = EXAMPLE_NAME): ResourceRef => ({ group: kind.group, plural: kind.plural, kind: kind.kind, name });

/** The errors a resource route of a kind can give, each as the server words it. */
export function resourceErrors(kind: KindDefinition) {
  const ref = refOf(kind);
  return {
    notFound: ['The object does not exist', apiErrors.notFound(ref)] as StatusExample,
    alreadyExists: ['An object of that name exists', apiErrors.alreadyExists(ref)] as StatusExample,
    conflict: ['metadata.resourceVersion is stale', apiErrors.conflict(ref)] as StatusExample,
    invalid: ['Validation failed: every failing field is a cause', invalidExample(kind)] as StatusExample,
    badBody: ['The body is not JSON', apiErrors.badRequest(`the request body is not valid JSON: ${thrownBy(() => JSON.parse('apiVersion: v1'))}`)] as StatusExample,
    badSelector: ['A malformed label selector', apiErrors.badRequest(thrownBy(() => parseLabelSelector('app in details-legacy')))] as StatusExample,
    tooLarge: ['The body is larger than BODY_LIMIT_BYTES', apiErrors.tooLarge(1048576)] as StatusExample,
    unsupportedMediaType: ['Neither JSON nor YAML', apiErrors.unsupportedMediaType('text/plain', ['application/json', 'application/yaml'])] as StatusExample,
  };
}

/** A real 422: the kind's first example with a port number out of range, through the kind's own validation. */
function invalidExample(kind: KindDefinition): ApiError {
  const example = Object.values(kind.examples)[0].value;
  const broken = structuredClone({ ...example, metadata: { ...example.metadata, namespace: EXAMPLE_NAMESPACE } });
  const spec = broken.spec as { ports?: unknown };
  spec.ports = Array.isArray(spec.ports) ? [{ ...(spec.ports[0] as object), number: 70000 }] : { http: 70000 };
  const causes = kind.validate(broken).errors;
  return apiErrors.invalid(refOf(kind, String(example.metadata.name)), causes);
}
