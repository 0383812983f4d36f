import {
  formatLabelSelector,
  LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
  SelectorParseError,
} from './label-selector';

const exists = (key: string): LabelRequirement => ({ key, operator: 'exists', values: [] });
const absent = (key: string): LabelRequirement => ({ key, operator: '!', values: [] });
const isIn = (key: string, ...values: string[]): LabelRequirement => ({ key, operator: 'in', values });
const notIn = (key: string, ...values: string[]): LabelRequirement => ({ key, operator: 'notin', values });

// The validation wording of k8s.io/apimachinery, spelled out so the tests do not share the implementation's strings.
const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const REQ = 'unable to parse requirement: ';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('parseLabelSelector', () => {
  it.each<[string, LabelRequirement[]]>([
    ['', []],
    [' \t\r\n', []],
    ['app', [exists('app')]],
    ['!app', [absent('app')]],
    ['! app', [absent('app')]],
    ['app=web', [isIn('app', 'web')]],
    ['app==web', [isIn('app', 'web')]],
    ['app!=web', [notIn('app', 'web')]],
    ['app=', [isIn('app', '')]],
    ['app!=', [notIn('app', '')]],
    ['app=,tier', [isIn('app', ''), exists('tier')]],
    ['app in (web,db)', [isIn('app', 'db', 'web')]],
    ['app notin (web)', [notIn('app', 'web')]],
    ['app in(web)', [isIn('app', 'web')]],
    ['  app  in  ( web , db )  ', [isIn('app', 'db', 'web')]],
    ['\tapp\n!=\rweb ', [notIn('app', 'web')]],
    ['app in ()', [isIn('app', '')]],
    ['app notin (,a)', [notIn('app', '', 'a')]],
    ['app in (a,,b)', [isIn('app', '', 'a', 'b')]],
    ['app in (a,)', [isIn('app', '', 'a')]],
    ['app in (a,a)', [isIn('app', 'a')]],
    ['x in (foo,,baz),y,z notin ()', [isIn('x', '', 'baz', 'foo'), exists('y'), notIn('z', '')]],
    ['in in (in,notin)', [isIn('in', 'in', 'notin')]],
    ['notin=in', [isIn('notin', 'in')]],
    ['example.com/app=web', [isIn('example.com/app', 'web')]],
    ['app.kubernetes.io/name in (x),k8s.io/a', [isIn('app.kubernetes.io/name', 'x'), exists('k8s.io/a')]],
    ['A.b-c_D9=X.y-z_9', [isIn('A.b-c_D9', 'X.y-z_9')]],
    ['b=1,a=2,!c', [isIn('a', '2'), isIn('b', '1'), absent('c')]],
    ['app!=db,app=web', [notIn('app', 'db'), isIn('app', 'web')]],
    [`${'a'.repeat(253)}/${'b'.repeat(63)}=${'c'.repeat(63)}`, [isIn(`${'a'.repeat(253)}/${'b'.repeat(63)}`, 'c'.repeat(63))]],
    ['a\0,b', [exists('a'), exists('b')]], // Go's lexer swallows a NUL that ends a token
    ['a \0b', [exists('a')]], // ...and stops at one where a token starts
  ])('parses %j', (input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['app in (', `${REQ}found '', expected: ',', ')' or identifier`],
    ['app in (=)', `${REQ}found '=', expected: ',', ')' or identifier`],
    ['app in', `${REQ}found '' expected: '('`],
    ['app notin web', `${REQ}found 'web' expected: '('`],
    ['app in (a b)', `${REQ}found 'b', expected: ',' or ')'`],
    ['app in (a,', `${REQ}found '', expected: ',', or identifier`],
    ['app in (a,=)', `${REQ}found '=', expected: ',', or identifier`],
    ['app web', `${REQ}found 'web', expected: in, notin, =, ==, !=`],
    ['app>1', `${REQ}found '>', expected: in, notin, =, ==, !=`],
    ['app<1', `${REQ}found '<', expected: in, notin, =, ==, !=`],
    ['app!web', `${REQ}found '!', expected: in, notin, =, ==, !=`],
    ['app=(web)', `${REQ}found '(', expected: identifier`],
    ['app===web', `${REQ}found '=', expected: identifier`],
    ['!', `${REQ}found '', expected: identifier`],
    ['!!app', `${REQ}found '!', expected: identifier`],
    ['!=app', "found '!=', expected: !, identifier, or 'end of string'"],
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['(app)', "found '(', expected: !, identifier, or 'end of string'"],
    ['app,', "found '', expected: identifier after ','"],
    ['app,,tier', "found ',', expected: identifier after ','"],
    ['app=web tier', "found 'tier', expected: ',' or 'end of string'"],
    ['app=web=db', "found '=', expected: ',' or 'end of string'"],
    ['!app=web', "found '=', expected: ',' or 'end of string'"],
    ['app in (a))', "found ')', expected: ',' or 'end of string'"],
    ['-app', `${REQ}<nil>: Invalid value: "-app": name part ${NAME_RULE}`],
    ['app_=x', `${REQ}<nil>: Invalid value: "app_": name part ${NAME_RULE}`],
    ['/app', `${REQ}<nil>: Invalid value: "/app": prefix part must be non-empty`],
    ['example.com/', `${REQ}<nil>: Invalid value: "example.com/": name part must be non-empty; name part ${NAME_RULE}`],
    ['Example.com/app', `${REQ}<nil>: Invalid value: "Example.com/app": prefix part ${DNS_RULE}`],
    [
      'a/b/c',
      `${REQ}<nil>: Invalid value: "a/b/c": a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ['b'.repeat(64), `${REQ}<nil>: Invalid value: "${'b'.repeat(64)}": name part must be no more than 63 characters`],
    [`${'a'.repeat(254)}/b`, `${REQ}<nil>: Invalid value: "${'a'.repeat(254)}/b": prefix part must be no more than 253 characters`],
    ['app=-web', `${REQ}values[0][app]: Invalid value: "-web": ${VALUE_RULE}`],
    ['app!=a\vb', `${REQ}values[0][app]: Invalid value: "a\\vb": ${VALUE_RULE}`],
    ['app=a"b', `${REQ}values[0][app]: Invalid value: "a\\"b": ${VALUE_RULE}`],
    [`app=${'v'.repeat(64)}`, `${REQ}values[0][app]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
    ['app in (ok,-b)', `${REQ}values[0][app]: Invalid value: "-b": ${VALUE_RULE}`],
    [
      'app in (z_,ok,-b)',
      `${REQ}[values[0][app]: Invalid value: "-b": ${VALUE_RULE}, values[2][app]: Invalid value: "z_": ${VALUE_RULE}]`,
    ],
  ])('rejects %j', (input, message) => {
    const err = thrown(() => parseLabelSelector(input));
    expect(err).toBeInstanceOf(SelectorParseError);
    expect((err as Error).message).toBe(message);
  });
});

describe('matchesLabelSelector', () => {
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', undefined, true],
    ['', { app: 'web' }, true],
    ['app=web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app=web', undefined, false],
    ['app!=web', { app: 'web' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', undefined, true],
    ['app!=web', { tier: 'fe' }, true],
    ['app in (web,db)', { app: 'db' }, true],
    ['app in (web,db)', { app: 'api' }, false],
    ['app in (web,db)', {}, false],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app notin (web,db)', { app: 'api' }, true],
    ['app notin (web,db)', {}, true],
    ['app=', { app: '' }, true],
    ['app=', {}, false],
    ['app!=', {}, true],
    ['app', { app: '' }, true],
    ['app', { tier: 'fe' }, false],
    ['!app', { tier: 'fe' }, true],
    ['!app', { app: '' }, false],
    ['app=web,tier in (fe,be)', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier notin (fe)', { app: 'web', tier: 'fe' }, false],
    ['constructor', {}, false],
    ['!toString', {}, true],
  ])('%j against %j is %s', (selector, labels, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(expected);
  });
});

describe('formatLabelSelector', () => {
  it.each<[string, string]>([
    ['', ''],
    ['b,!a', '!a,b'],
    ['app==web', 'app=web'],
    ['app in (web)', 'app=web'],
    ['app notin ( web )', 'app!=web'],
    ['app in (b,a,b)', 'app in (a,b)'],
    ['app in ()', 'app='],
    ['x in (foo,,baz),!y,z notin ()', 'x in (,baz,foo),!y,z!='],
    ['app=web,app!=db', 'app!=db,app=web'],
    ['k8s.io/b notin (x,y),a', 'a,k8s.io/b notin (x,y)'],
  ])('formats %j as %j, which parses back to the same requirements', (input, expected) => {
    const reqs = parseLabelSelector(input);
    expect(formatLabelSelector(reqs)).toBe(expected);
    expect(parseLabelSelector(expected)).toEqual(reqs);
  });

  it('is independent of requirement and value order', () => {
    const reqs = [isIn('b', 'y', 'x'), notIn('a', 'q'), exists('b')];
    expect(formatLabelSelector(reqs)).toBe(formatLabelSelector([...reqs].reverse()));
    expect(formatLabelSelector(reqs)).toBe('a!=q,b,b in (x,y)');
  });
});
