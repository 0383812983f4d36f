import {
  kubeDNS1123LabelErrors,
  kubeDNS1123SubdomainErrors,
  kubeLabelValueErrors,
  kubeQualifiedNameErrors,
  regexError,
} from './kube-names';

describe('Kubernetes name syntax, with Kubernetes wording', () => {
  it('formats regex errors like validation.RegexError (double space before "or")', () => {
    expect(regexError('m', 'f', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'f')");
    expect(regexError('m', 'f')).toBe("m (regex used for validation is 'f')");
  });

  it.each(['default', 'a', 'team-1', 'x'.repeat(63)])('DNS-1123 label %s is valid', (v) => expect(kubeDNS1123LabelErrors(v)).toEqual([]));
  it.each([
    ['My-ns', 'a lowercase RFC 1123 label must consist of'],
    ['a.b', 'must not contain dots'],
    ['-a', "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
    ['x'.repeat(64), 'must be no more than 63 characters'],
  ])('DNS-1123 label %j is invalid (%s)', (v, words) => expect(kubeDNS1123LabelErrors(v).join('\n')).toContain(words));

  it.each(['details-svc', 'a.b.c', 'x'.repeat(253)])('DNS-1123 subdomain %s is valid', (v) => expect(kubeDNS1123SubdomainErrors(v)).toEqual([]));
  it('DNS-1123 subdomain error is exactly Kubernetes’', () => {
    expect(kubeDNS1123SubdomainErrors('Details')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(kubeDNS1123SubdomainErrors('x'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });

  it.each(['app', 'example.com/App_1', 'a.b/c-d'])('qualified name %s is valid', (v) => expect(kubeQualifiedNameErrors(v)).toEqual([]));
  it.each([
    ['/app', 'prefix part must be non-empty'],
    ['Example.com/app', 'prefix part a lowercase RFC 1123 subdomain'],
    ['example.com/', 'name part must be non-empty'],
    ['x'.repeat(64), 'name part must be no more than 63 characters'],
    ['bad key', "name part must consist of alphanumeric characters, '-', '_' or '.'"],
    ['a/b/c', "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
  ])('qualified name %j is invalid (%s)', (v, words) => expect(kubeQualifiedNameErrors(v).join('\n')).toContain(words));

  it.each(['', 'v1', 'My_Value.2'])('label value %j is valid', (v) => expect(kubeLabelValueErrors(v)).toEqual([]));
  it.each([
    ['-v', "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'"],
    ['x'.repeat(64), 'must be no more than 63 characters'],
  ])('label value %j is invalid (%s)', (v, words) => expect(kubeLabelValueErrors(v).join('\n')).toContain(words));
});
