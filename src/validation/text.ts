/**
 * Text the registry cannot store or compare faithfully. PostgreSQL's jsonb and text refuse U+0000,
 * and a lone UTF-16 surrogate (possible in JSON's `\ud800`) is not Unicode: jsonb rejects its escape.
 * URLs and query parameters may carry no control characters at all: no name, selector or token has one.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function storedTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode: it holds a lone UTF-16 surrogate';
  return undefined;
}

export function urlTextProblem(text: string): string | undefined {
  const stored = storedTextProblem(text);
  if (stored) return stored;
  return CONTROL.test(text) ? 'must not contain control characters' : undefined;
}
