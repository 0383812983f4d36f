/**
 * The `labelSelector` query parameter, parsed and matched like k8s.io/apimachinery/pkg/labels
 * (`labels.Parse`), with error messages worded the way the API server words them.
 */

/** A malformed `labelSelector` or `fieldSelector`; `.message` is what goes into the 400 Status. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

/** `=`/`==` arrive as `in` with one value and `!=` as `notin` with one value, as in `metav1.LabelSelector`. */
export type LabelOperator = 'in' | 'notin' | 'exists' | '!';
export type LabelRequirement = { key: string; operator: LabelOperator; values: string[] };

// `in`/`notin` lex as identifiers: they are keywords only where an operator is expected (`in in (in)`).
type TokenKind = 'id' | 'eos' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<';
type Token = { kind: TokenKind; lit: string };

const SYMBOLS = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSpecial = (ch: string) => '=!(),><'.includes(ch);
const isSpace = (ch: string) => ' \t\r\n'.includes(ch);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const reqError = (detail: string) => new SelectorParseError(`unable to parse requirement: ${detail}`);
const startsRequirement = (t: Token) => t.kind === 'id' || t.kind === '!';

/** Splits the selector into tokens; an empty or blank string yields just end-of-string. */
function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos])) pos++;
    // The Go lexer reads a NUL byte as end of input, so a NUL where a token starts ends the selector.
    if (pos >= s.length || s[pos] === '\0') return [...tokens, { kind: 'eos', lit: '' }];
    let end = pos + 1;
    if (isSpecial(s[pos])) {
      if (SYMBOLS.has(s.slice(pos, pos + 2))) end++;
    } else {
      while (end < s.length && s[end] !== '\0' && !isSpecial(s[end]) && !isSpace(s[end])) end++;
    }
    const lit = s.slice(pos, end);
    tokens.push({ kind: SYMBOLS.has(lit) ? (lit as TokenKind) : 'id', lit });
    // ...and a NUL that ends a token is swallowed with it.
    pos = s[end] === '\0' ? end + 1 : end;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (let t = this.peek(); t.kind !== 'eos'; t = this.peek()) {
      if (!startsRequirement(t)) throw new SelectorParseError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const sep = this.next();
      if (sep.kind === 'eos') break;
      if (sep.kind !== ',') throw new SelectorParseError(`found '${sep.lit}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (!startsRequirement(after)) throw new SelectorParseError(`found '${after.lit}', expected: identifier after ','`);
    }
    return reqs;
  }

  // The token list always ends with 'eos', which stays current once reached.
  private peek = (): Token => this.tokens[Math.min(this.pos, this.tokens.length - 1)];
  private next = (): Token => this.tokens[Math.min(this.pos++, this.tokens.length - 1)];

  private requirement(): LabelRequirement {
    let t = this.next();
    const negated = t.kind === '!';
    if (negated) t = this.next();
    if (t.kind !== 'id') throw reqError(`found '${t.lit}', expected: identifier`);
    const keyErrors = labelKeyErrors(t.lit);
    if (keyErrors.length) throw reqError(`<nil>: Invalid value: ${goQuote(t.lit)}: ${keyErrors.join('; ')}`);
    const ahead = this.peek().kind;
    if (negated) return { key: t.lit, operator: '!', values: [] };
    if (ahead === 'eos' || ahead === ',') return { key: t.lit, operator: 'exists', values: [] };
    const { operator, set } = this.operator();
    return withValues(t.lit, operator, set ? this.valueSet() : [this.exactValue()]);
  }

  private operator(): { operator: 'in' | 'notin'; set: boolean } {
    const t = this.next();
    if (t.kind === 'id' && (t.lit === 'in' || t.lit === 'notin')) return { operator: t.lit, set: true };
    if (t.kind === '=' || t.kind === '==') return { operator: 'in', set: false };
    if (t.kind === '!=') return { operator: 'notin', set: false };
    // Kubernetes also has `>`/`<` (Gt/Lt); list selectors here do not, so they fail like any non-operator.
    throw reqError(`found '${t.lit}', expected: in, notin, =, ==, !=`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw reqError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (!['id', ',', ')'].includes(first.kind)) throw reqError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = first.kind === ')' ? [''] : this.valueList(); // `x in ()` is the empty value, as in Kubernetes
    this.next(); // the ')' that ends the set
    return values;
  }

  /** A comma-separated list in which an empty slot (`(,a)`, `(a,,b)`, `(a,)`) is the empty value. */
  private valueList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.add(t.lit);
        const after = this.peek();
        if (after.kind === ')') return [...values];
        if (after.kind !== ',') throw reqError(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        const after = this.peek().kind;
        if (values.size === 0 || after === ')' || after === ',') values.add('');
        if (after === ')') return [...values];
      } else {
        throw reqError(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'eos' || t.kind === ',') return ''; // `a=` selects the empty value
    this.next();
    if (t.kind !== 'id') throw reqError(`found '${t.lit}', expected: identifier`);
    return t.lit;
  }
}

/** Sorts and validates the values; Kubernetes reports every bad value, as an aggregate when several. */
function withValues(key: string, operator: 'in' | 'notin', raw: string[]): LabelRequirement {
  const values = [...new Set(raw)].sort(cmp);
  const errors = values
    .map((v, i) => ({ v, i, errs: labelValueErrors(v) }))
    .filter(({ errs }) => errs.length)
    .map(({ v, i, errs }) => `values[${i}][${key}]: Invalid value: ${goQuote(v)}: ${errs.join('; ')}`);
  if (errors.length === 1) throw reqError(errors[0]);
  if (errors.length > 1) throw reqError(`[${errors.join(', ')}]`);
  return { key, operator, values };
}

/** Parses a `labelSelector`; requirements come back sorted by key like `labels.Parse`, ties in canonical order. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return new Parser(lex(text)).parse().sort(canonicalOrder);
}

function matchesRequirement(labels: Record<string, string>, { key, operator, values }: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, key);
  if (operator === 'exists' || operator === '!') return has === (operator === 'exists');
  return (has && values.includes(labels[key])) === (operator === 'in');
}

/** All requirements must hold; `notin`/`!=` also match objects without the key. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  return reqs.every((req) => matchesRequirement(labels ?? {}, req));
}

function formatRequirement({ key, operator, values }: LabelRequirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const sorted = [...new Set(values)].sort(cmp);
  if (sorted.length === 1) return `${key}${operator === 'in' ? '=' : '!='}${sorted[0]}`;
  return `${key} ${operator} (${sorted.join(',')})`;
}

// Kubernetes sorts by key alone; breaking ties on the text makes `a=1,a!=2` and `a!=2,a=1` come out alike.
const canonicalOrder = (a: LabelRequirement, b: LabelRequirement) =>
  cmp(a.key, b.key) || cmp(formatRequirement(a), formatRequirement(b));

/** A canonical string that parses back to the same requirements: equal selectors format equally. */
export function formatLabelSelector(reqs: LabelRequirement[]): string {
  return [...reqs].sort(canonicalOrder).map(formatRequirement).join(',');
}

// Validation with the wording of k8s.io/apimachinery/pkg/util/validation (IsQualifiedName, IsValidLabelValue).

const NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const NAME_RE = new RegExp(`^${NAME_FMT}$`);
const NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const VALUE_FMT = `(${NAME_FMT})?`;
const VALUE_RE = new RegExp(`^${VALUE_FMT}$`);
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS_RE = new RegExp(`^${DNS_FMT}$`);
const DNS_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

// Go measures lengths in bytes.
const tooLong = (s: string, max: number) => (Buffer.byteLength(s) > max ? [`must be no more than ${max} characters`] : []);
const regexError = (msg: string, fmt: string, ...examples: string[]) =>
  `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
const nameRegexError = () => regexError(NAME_MSG, NAME_FMT, 'MyName', 'my.name', '123-abc');

function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${nameRegexError()} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts[parts.length - 1];
  const errors = parts.length === 2 ? prefixErrors(parts[0]).map((e) => `prefix part ${e}`) : [];
  if (name === '') errors.push('name part must be non-empty');
  else errors.push(...tooLong(name, 63).map((e) => `name part ${e}`));
  if (!NAME_RE.test(name)) errors.push(`name part ${nameRegexError()}`);
  return errors;
}

function prefixErrors(prefix: string): string[] {
  if (prefix === '') return ['must be non-empty'];
  return [...tooLong(prefix, 253), ...(DNS_RE.test(prefix) ? [] : [regexError(DNS_MSG, DNS_FMT, 'example.com')])];
}

function labelValueErrors(value: string): string[] {
  const errors = tooLong(value, 63);
  if (!VALUE_RE.test(value)) errors.push(regexError(VALUE_MSG, VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errors;
}

const GO_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '"': '"', '\\': '\\' };

/** Go's `%q`, which is how field errors quote the offending value. */
const goQuote = (s: string) =>
  `"${s.replace(/[\x00-\x1f"\\\x7f]/g, (ch) => `\\${GO_ESCAPES[ch] ?? `x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`}`)}"`;
