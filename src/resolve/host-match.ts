/** DNS names compare case-insensitively; the index and the resolver both key hosts by this form. */
export function normalizeHost(host: string): string {
  return host.toLowerCase();
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*');
}

/**
 * Wildcard hosts that could match `host`, most specific first.
 *
 * Istio/Envoy wildcards are suffix matches (`*.bookinfo.com`, `*-foo.bar.com`, `*foo.com`), so the
 * candidates are `*` + every proper suffix of the host. Specificity is the length of the literal
 * suffix (Envoy's longest-suffix rule); for `*.x` forms that is "more labels = more specific".
 * Ties cannot happen: two different wildcards matching one host have literal suffixes of different
 * lengths. The `*` must stand for at least one character (Envoy: `*-bar.foo.com` does not match
 * `-bar.foo.com`). A wildcard query (`*.a.b.com`) is matched by broader wildcards (`*.b.com`).
 * Cost: O(host length), independent of registry size.
 */
export function* wildcardCandidates(host: string): Generator<string> {
  const start = isWildcardHost(host) ? 2 : 1;
  for (let i = start; i < host.length; i++) yield `*${host.slice(i)}`;
}

/** Whether wildcard (or exact) `pattern` matches `host` under the rule above. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!isWildcardHost(pattern)) return false;
  const suffix = pattern.slice(1);
  const literal = isWildcardHost(host) ? host.slice(1) : host;
  return literal.length > suffix.length && literal.endsWith(suffix);
}
