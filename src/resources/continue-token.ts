import { apiErrors } from '../common/status';
import { urlTextProblem } from '../validation/text';

/**
 * `continue` tokens carry the key of the last item served; the next page starts strictly after it
 * (keyset pagination), so items that exist throughout a paginated list are neither skipped nor
 * repeated, however others write meanwhile.
 */
interface ContinuePosition {
  namespace: string;
  name: string;
}

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, ns: position.namespace, n: position.name })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; ns?: unknown; n?: unknown };
    const text = (value: unknown): value is string => typeof value === 'string' && urlTextProblem(value) === undefined;
    if (decoded.v === 1 && text(decoded.ns) && text(decoded.n)) {
      return { namespace: decoded.ns, name: decoded.n };
    }
  } catch {
    // fall through to the error below
  }
  throw apiErrors.badRequest('continue key is not valid: it was not produced by this server');
}
