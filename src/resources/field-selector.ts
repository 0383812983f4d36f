/**
 * The `fieldSelector` query parameter, parsed and matched like k8s.io/apimachinery/pkg/fields
 * (`fields.ParseSelector`) followed by the API server's field-label check.
 */
import { SelectorParseError } from './label-selector';

export { SelectorParseError };

/** `==` arrives as `=`. Values are unescaped (`\,` `\=` `\\` become `,` `=` `\`). */
export type FieldRequirement = { field: string; operator: '=' | '!='; value: string };

// `==` is tried before `=` so that it does not leave a leading `=` on the value.
const OPERATORS = ['!=', '==', '='] as const;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Splits on commas that are not backslash-escaped; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return text === '' ? [] : [...terms, text.slice(start)];
}

/** Field names cannot be escaped, so the first operator anywhere in the term splits it. */
function splitTerm(selector: string, term: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const op = OPERATORS.find((o) => term.startsWith(o, i));
    if (op) return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', value: unescapeValue(term.slice(i + op.length)) };
  }
  throw new SelectorParseError(`invalid selector: '${selector}'; can't understand '${term}'`);
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === ',' || ch === '=') {
      // Go formats the rune with %v, which prints its code point.
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${ch.charCodeAt(0)}`);
    }
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const escaped = raw[++i];
    if (escaped === undefined) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
    if (!'\\,='.includes(escaped)) throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${escapedChar(raw, i)}`);
    value += escaped;
  }
  return value;
}

/** The whole code point at `i`, so an escaped astral character is reported intact. */
const escapedChar = (raw: string, i: number) => String.fromCodePoint(raw.codePointAt(i) ?? 0);

/**
 * Parses a `fieldSelector`. Like Kubernetes, terms are sorted and empty terms skipped, every term is
 * parsed before any field name is checked, and names are neither trimmed nor case-folded.
 */
export function parseFieldSelector(text: string, supportedFields: readonly string[]): FieldRequirement[] {
  const reqs = splitTerms(text)
    .sort(cmp)
    .filter((term) => term !== '')
    .map((term) => splitTerm(text, term));
  const unsupported = reqs.find((r) => !supportedFields.includes(r.field));
  if (unsupported) throw new SelectorParseError(`field label not supported: ${unsupported.field}`);
  return reqs;
}

/** All requirements must hold; a field missing from `fields` counts as the empty string, as in Kubernetes. */
export function matchesFieldSelector(fields: Record<string, string>, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
    return (actual === r.value) === (r.operator === '=');
  });
}

const escapeValue = (value: string) => value.replace(/[\\,=]/g, (ch) => `\\${ch}`);

/** A canonical, re-parseable string (sorted terms, values escaped), e.g. for continue tokens. */
export function formatFieldSelector(reqs: FieldRequirement[]): string {
  return reqs
    .map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`)
    .sort(cmp)
    .join(',');
}
