import { applyPatch, JsonPatchError, Operation, validate } from 'fast-json-patch';
import { apiErrors } from '../common/status';
import { applyMergePatch } from './merge-patch';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const SUPPORTED_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH];

export type PatchType = typeof MERGE_PATCH | typeof JSON_PATCH;

/** The patch type from a PATCH request's Content-Type; custom resources take no strategic merge patch. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === MERGE_PATCH || type === JSON_PATCH) return type;
  throw apiErrors.unsupportedMediaType(type || '(none)', SUPPORTED_PATCH_TYPES);
}

/** Applies a patch to a copy of `document`; a malformed patch is a 400, one that does not apply a 422. */
export function applyObjectPatch<T>(document: T, type: PatchType, patch: unknown): unknown {
  if (type === MERGE_PATCH) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw apiErrors.badRequest('a merge patch must be a JSON object');
    }
    return applyMergePatch(structuredClone(document), patch);
  }
  const copy = structuredClone(document);
  if (!Array.isArray(patch)) throw apiErrors.badRequest('a JSON patch must be an array of operations');
  const malformed = validate(patch as Operation[]);
  if (malformed) throw apiErrors.badRequest(`the JSON patch is not valid: ${describe(malformed)}`);
  try {
    return applyPatch(copy, patch as Operation[], false, true).newDocument;
  } catch (error) {
    throw apiErrors.unprocessable(`the JSON patch does not apply: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof JsonPatchError) {
    const op = error.operation as Operation | undefined;
    return `${error.name}${op ? ` at operation ${error.index} (${op.op} ${op.path})` : ''}`;
  }
  return (error as Error).message;
}
