import {
  fqdnProblem,
  ipOrCidrProblem,
  isHttpProtocol,
  isIstioDNS1123Label,
  isPartialWildcard,
  isTcpProtocol,
  isTlsProtocol,
  istioLabelKeyProblem,
  istioLabelValueProblem,
  isValidPort,
  isValidPortName,
  isWildcardDNS1123Label,
  parseProtocol,
  unixAddressProblem,
  wildcardDomainProblem,
} from './primitives';

describe('Istio DNS-1123 labels', () => {
  it.each(['a', 'A1', 'my-Port', 'x'.repeat(63)])('accepts %s', (l) => expect(isIstioDNS1123Label(l)).toBe(true));
  it.each(['', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)])('rejects %s', (l) => expect(isIstioDNS1123Label(l)).toBe(false));
  it.each(['*', '*foo', '*-foo', 'foo'])('wildcard label accepts %s', (l) => expect(isWildcardDNS1123Label(l)).toBe(true));
  it.each(['foo*', '**', '*.', 'f*o'])('wildcard label rejects %s', (l) => expect(isWildcardDNS1123Label(l)).toBe(false));
});

describe('fqdnProblem (agent.ValidateFQDN)', () => {
  it.each(['foo', 'istio.io', 'istio.io.', 'vm1.vpc01.corp.net', 'A.B-c.com', '1.2.3.com', 'x.99999999999999999999'])(
    'accepts %s',
    (h) => expect(fqdnProblem(h)).toBeUndefined(),
  );
  it.each([
    ['', 'must not be empty'],
    [`${'a'.repeat(63)}.`.repeat(4) + 'com', 'no more than 255'],
    ['1.1.1.1', 'top-level domain "1" cannot be all-numeric'],
    ['foo.-12', 'all-numeric'],
    ['*.foo.com', 'wildcards are not allowed'],
    ['foo.com:80', 'label "com:80"'],
    ['foo..com', 'label ""'],
    ['foo_bar.com', 'label "foo_bar"'],
  ])('rejects %j (%s)', (h, words) => expect(fqdnProblem(h)).toContain(words));
});

describe('wildcardDomainProblem (agent.ValidateWildcardDomain)', () => {
  it.each(['*.bar.com', '*foo', '*-foo.bar.com', '*', 'bar.com', 'istio.io.'])('accepts %s', (h) =>
    expect(wildcardDomainProblem(h)).toBeUndefined(),
  );
  it.each([
    ['foo.*.com', 'wildcard is only allowed as the first label'],
    ['foo*.bar.com', 'wildcard must be the first character'],
    ['1.1.1.1', 'all-numeric'],
    ['-foo.com', 'first label "-foo"'],
    ['', 'must not be empty'],
  ])('rejects %j (%s)', (h, words) => expect(wildcardDomainProblem(h)).toContain(words));
});

describe('isPartialWildcard', () => {
  it.each(['*foo', '*washingtonpost.com', '*-foo.com'])('flags %s', (h) => expect(isPartialWildcard(h)).toBe(true));
  it.each(['*', '*.foo.com', 'foo.com'])('does not flag %s', (h) => expect(isPartialWildcard(h)).toBe(false));
});

describe('ipOrCidrProblem (agent.ValidateIPSubnet)', () => {
  it.each(['1.1.1.1', '1.1.1.1/24', '2001:db8::/48', 'fe80::1%eth0'])('accepts %s', (a) => expect(ipOrCidrProblem(a)).toBeUndefined());
  it.each([
    ['1.1.1.1/48', 'CIDR block'],
    ['2001:db8::/132', 'CIDR block'],
    ['1.1.1.1/8/8', 'IPv4 or IPv6 address'],
    ['foo.com', 'IPv4 or IPv6 address'],
  ])('rejects %s', (a, words) => expect(ipOrCidrProblem(a)).toContain(words));
});

describe('unixAddressProblem', () => {
  it.each(['/var/run/a.sock', '@abstract', '@'])('accepts %s', (p) => expect(unixAddressProblem(p)).toBeUndefined());
  it.each([
    ['', 'empty'],
    ['relative/a.sock', 'relative'],
    ['/dir/', 'directory'],
  ])('rejects %j as %s', (p, problem) => expect(unixAddressProblem(p)).toBe(problem));
});

describe('ports and port names', () => {
  it.each([1, 80, 65535])('port %d is valid', (p) => expect(isValidPort(p)).toBe(true));
  it.each([0, -1, 65536, 1.5, '80'])('port %j is invalid', (p) => expect(isValidPort(p)).toBe(false));
  it.each(['http', 'HTTP-web', 'a'])('port name %s is valid', (n) => expect(isValidPortName(n)).toBe(true));
  it.each(['', 'http_web', 'x'.repeat(64)])('port name %j is invalid', (n) => expect(isValidPortName(n)).toBe(false));
});

describe('protocols (protocol.Parse, case-insensitive)', () => {
  it.each([
    ['tcp', 'TCP'],
    ['grpc-web', 'GRPC-Web'],
    ['Http_Proxy', 'HTTP_PROXY'],
    ['mysql', 'MySQL'],
    ['HTTPS', 'HTTPS'],
  ])('parses %s as %s', (s, p) => expect(parseProtocol(s)).toBe(p));
  it.each(['', 'HBONE', 'QUIC', 'http3'])('does not parse %j', (s) => expect(parseProtocol(s)).toBeUndefined());
  it('groups families', () => {
    expect(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web'].every((p) => isHttpProtocol(parseProtocol(p)))).toBe(true);
    expect(isTlsProtocol('HTTPS') && isTlsProtocol('TLS') && !isTlsProtocol('TCP')).toBe(true);
    expect(['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'].every((p) => isTcpProtocol(parseProtocol(p)))).toBe(true);
    expect(isTcpProtocol('HTTP') || isTcpProtocol(undefined)).toBe(false);
  });
});

describe('Istio label syntax (labels.Instance.Validate)', () => {
  it.each(['app', 'App.Name_1', 'example.com/tier', 'Example.COM/x', `${'a'.repeat(63)}`])('key %s is valid', (k) =>
    expect(istioLabelKeyProblem(k)).toBeUndefined(),
  );
  it.each([
    ['', 'a label key must be'],
    ['-app', 'a label key must be'],
    ['a/b/c', 'a label key must be'],
    [`${'a'.repeat(64)}`, 'name part of a label key'],
    [`${'a.'.repeat(127)}a/x`, 'DNS prefix of a label key'],
  ])('key %j is invalid (%s)', (k, words) => expect(istioLabelKeyProblem(k)).toContain(words));
  it.each(['', 'v1', 'My_value.2', 'x'.repeat(100)])('value %j is valid (length unchecked)', (v) =>
    expect(istioLabelValueProblem(v)).toBeUndefined(),
  );
  it.each(['-v', 'v-', 'a b', '*'])('value %j is invalid', (v) => expect(istioLabelValueProblem(v)).toContain('a label value must be empty'));
});
