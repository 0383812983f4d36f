import { apiErrors } from './status';

/** The spellings Go's strconv.ParseBool accepts, which is how the apiserver reads boolean parameters. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * A boolean query parameter as the apiserver parses it (`watch=True` from the Python client is true);
 * absent or empty is `undefined`, anything else a 400 naming the parameter.
 */
export function parseQueryBool(name: string, value: string | string[] | undefined): boolean | undefined {
  const text = Array.isArray(value) ? value[value.length - 1] : value;
  if (text === undefined || text === '') return undefined;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw apiErrors.badRequest(`${name}: Invalid value: ${JSON.stringify(text)}: must be a boolean (true or false)`);
}
