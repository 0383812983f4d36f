/**
 * Syntax checks shared by the webhook rules, with istiod's semantics (pkg/config/validation/agent,
 * pkg/config/labels, pkg/config/protocol). Each `…Problem` function returns a human-readable reason, or
 * undefined when the value is fine, so callers can wrap it in a field error at the right path.
 */
import { isCIDR, isIP } from './ip-address';

export { isIP, isCIDR, parseIp } from './ip-address';
export * from './kube-names';

const ISTIO_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const INT64_MAX = 9223372036854775807n;

/** Istio's DNS-1123 label: upper case allowed, at most 63 characters. */
export const isIstioDNS1123Label = (s: string): boolean => s.length <= 63 && ISTIO_LABEL.test(s);

/** First label of a host: `*`, `*label`, `*-label` or a plain label. */
export const isWildcardDNS1123Label = (s: string): boolean => s.length <= 63 && WILDCARD_LABEL.test(s);

export const DNS_LABEL_HINT =
  "letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** Go's strconv.Atoi succeeds (optional sign, digits, fits in int64): such a top-level domain is refused. */
function isAllNumeric(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

function domainPreconditionProblem(name: string): string | undefined {
  if (name.length === 0) return 'a domain name must not be empty';
  if (name.length > 255) return 'a domain name must be no more than 255 characters';
  return undefined;
}

const WILDCARD_NOT_FIRST = 'wildcard is only allowed as the first label of a host, as in "*.example.com"';
const WILDCARD_NOT_ALLOWED = 'wildcards are not allowed in a fully qualified domain name';

/** Labels after the first one (or all of them): non-numeric TLD, DNS labels, one trailing dot allowed. */
function dnsLabelsProblem(domain: string, wildcardHint: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (isAllNumeric(tld)) return `the top-level domain ${JSON.stringify(tld)} cannot be all-numeric`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // `istio.io.`
    if (isIstioDNS1123Label(parts[i])) continue;
    if (parts[i].includes('*')) return wildcardHint;
    return `label ${JSON.stringify(parts[i])} is not a valid DNS label (${DNS_LABEL_HINT})`;
  }
  return undefined;
}

/** agent.ValidateFQDN: a DNS name without wildcards; single-label names pass. */
export function fqdnProblem(fqdn: string): string | undefined {
  return domainPreconditionProblem(fqdn) ?? dnsLabelsProblem(fqdn, WILDCARD_NOT_ALLOWED);
}

/** agent.ValidateWildcardDomain: like an FQDN, but the first label may be `*`, `*foo` or `*-foo`. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const pre = domainPreconditionProblem(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDNS1123Label(first)) {
    if (first.includes('*')) return 'a wildcard must be the first character of the host, as in "*.example.com" or "*foo.example.com"';
    return `the first label ${JSON.stringify(first)} is not a valid DNS label (${DNS_LABEL_HINT}), nor "*" or a label starting with "*"`;
  }
  return dot < 0 ? undefined : dnsLabelsProblem(domain.slice(dot + 1), WILDCARD_NOT_FIRST);
}

/** agent.ValidatePartialWildCard: `*foo`, `*-foo.com` are flagged; `*` and `*.foo` are not. */
export const isPartialWildcard = (host: string): boolean =>
  host.includes('*') && host.length !== 1 && !host.startsWith('*.');

/** agent.ValidateIPSubnet: exactly one `/` means a CIDR block, anything else must be a plain IP. */
export function ipOrCidrProblem(value: string): string | undefined {
  if (value.split('/').length === 2) {
    return isCIDR(value) ? undefined : 'must be a valid CIDR block such as "10.0.0.0/16" or "2001:db8::/48"';
  }
  return isIP(value) ? undefined : 'must be an IPv4 or IPv6 address, or a CIDR block';
}

export const UNIX_PREFIX = 'unix://';

/** ValidateUnixAddress on the text after `unix://`: absolute file path or `@abstract` name. */
export function unixAddressProblem(path: string): 'empty' | 'relative' | 'directory' | undefined {
  if (path.length === 0) return 'empty';
  if (path.startsWith('@')) return undefined;
  if (!path.startsWith('/')) return 'relative';
  return path.endsWith('/') ? 'directory' : undefined;
}

/** agent.ValidatePort. */
export const isValidPort = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

/** ValidatePortName: a DNS-1123 label (so never empty). */
export const isValidPortName = (name: string): boolean => isIstioDNS1123Label(name);

/** protocol.Parse names (canonical spelling); parsing is case-insensitive, HBONE is not user-parsable. */
export const PROTOCOLS = ['TCP', 'UDP', 'GRPC', 'GRPC-Web', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export function parseProtocol(s: string): Protocol | undefined {
  const lower = s.toLowerCase();
  return PROTOCOLS.find((p) => p.toLowerCase() === lower);
}

const HTTP_LIKE: ReadonlySet<Protocol> = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web']);
const TLS_LIKE: ReadonlySet<Protocol> = new Set(['HTTPS', 'TLS']);
const TCP_LIKE: ReadonlySet<Protocol> = new Set(['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL']);

export const isHttpProtocol = (p: Protocol | undefined): boolean => !!p && HTTP_LIKE.has(p);
export const isTlsProtocol = (p: Protocol | undefined): boolean => !!p && TLS_LIKE.has(p);
export const isTcpProtocol = (p: Protocol | undefined): boolean => !!p && TCP_LIKE.has(p);

const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const ISTIO_LABEL_FMT = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const LABEL_KEY = new RegExp(`^(${ISTIO_LABEL_FMT}(?:\\.${ISTIO_LABEL_FMT})*/)?(${QUALIFIED_NAME})$`);
const LABEL_VALUE = new RegExp(`^(?:${QUALIFIED_NAME})?$`);

/** labels.Instance key rule: optional DNS prefix (<= 253) and `/`, then a name of at most 63 characters. */
export function istioLabelKeyProblem(key: string): string | undefined {
  const match = LABEL_KEY.exec(key);
  if (!match) {
    return (
      "a label key must be a name of alphanumeric characters, '-', '_' or '.' that starts and ends with an alphanumeric " +
      `character, optionally prefixed by a DNS subdomain and '/' (e.g. "app" or "example.com/tier")`
    );
  }
  if (match[1] && match[1].length - 1 > 253) return 'the DNS prefix of a label key must be no more than 253 characters';
  if (match[2].length > 63) return 'the name part of a label key must be no more than 63 characters';
  return undefined;
}

/** labels.Instance value rule: empty or a qualified name; Istio does not check the length. */
export function istioLabelValueProblem(value: string): string | undefined {
  return LABEL_VALUE.test(value)
    ? undefined
    : "a label value must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character";
}
