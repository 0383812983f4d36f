import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { apiErrors } from '../common/status';
import { EXAMPLE_NAME, EXAMPLE_NAMESPACE } from '../docs/example-names';
import { errorThrownBy, resourceErrors, statusResponses } from '../docs/status-responses';
import { ImportReportDto } from './dto/manifests.dto';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { exportFilterOf } from './export-query';
import { IMPORT_RETRY_AFTER_SECONDS } from './import-gate';

const { group, plural, kind } = workloadEntryKind;

/** The errors of the manifest routes, each the Status the route sends. */
export const manifestErrorDocs = {
  manifest: applyDecorators(...statusResponses({}, [['No such WorkloadEntry', apiErrors.notFound({ group, plural, kind, name: EXAMPLE_NAME })]])),
  export: applyDecorators(
    ...statusResponses({}, [
      ['An unknown kind', errorThrownBy(() => exportFilterOf({ kind: 'Gateway' }))],
      ['A malformed label selector', errorThrownBy(() => exportFilterOf({ labelSelector: 'app in details-legacy' }))],
    ]),
  ),
  import: applyDecorators(
    ApiOkResponse({ type: ImportReportDto, description: 'Every document was stored (or, with dryRun=All, would be).', example: importReport('created') }),
    ApiUnprocessableEntityResponse({ type: ImportReportDto, description: 'A document failed; nothing was stored.', example: importReport('failed') }),
    ...statusResponses({}, [
      ['An empty body', apiErrors.badRequest('the import body holds no documents')],
      ['The body is larger than IMPORT_BODY_LIMIT_BYTES', apiErrors.tooLarge(67108864)],
      ['Neither YAML nor JSON', apiErrors.unsupportedMediaType('text/plain', ['application/json', 'application/yaml'])],
      ['Too many imports in progress (IMPORT_MAX_IN_FLIGHT); Retry-After says when to try again',
        apiErrors.tooManyRequests(`too many imports in progress (at most 2 at a time); retry after ${IMPORT_RETRY_AFTER_SECONDS} seconds`, IMPORT_RETRY_AFTER_SECONDS)],
    ]),
  ),
};

/** The report for the example stream: both created, or the first invalid (and so nothing stored). */
function importReport(first: 'created' | 'failed') {
  const identity = (index: number, kind: string) => ({ index, kind, namespace: EXAMPLE_NAMESPACE, name: EXAMPLE_NAME });
  const [, invalid] = resourceErrors(workloadEntryKind).invalid;
  const failure = first === 'failed' ? { status: { ...invalid.status, message: `document 0: ${invalid.status.message}` } } : {};
  return {
    kind: 'ImportResult',
    dryRun: false,
    applied: first === 'created',
    results: [{ ...identity(0, workloadEntryKind.kind), result: first, ...failure }, { ...identity(1, serviceEntryKind.kind), result: 'created' }],
  };
}
