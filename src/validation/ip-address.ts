/**
 * IP literal parsing with Go `net/netip` semantics (what istiod uses): `ParseAddr` rejects IPv4 octets with
 * leading zeros and accepts IPv6 zones (`fe80::1%eth0`, any non-empty text); `ParsePrefix` rejects zones,
 * signs and leading zeros in the bit count, and lengths beyond 32/128. Node's `net.isIP` differs on zones.
 */

/** Parses dotted-quad IPv4; returns undefined when Go would reject it. */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    // Go: digits only, no leading zero unless the octet is exactly "0", value <= 255.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

/** Counts the 16-bit groups of one side of a `::`, allowing a trailing embedded IPv4 when `last`. */
function countGroups(side: string, last: boolean): number | undefined {
  if (side === '') return 0;
  const groups = side.split(':');
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (last && i === groups.length - 1 && group.includes('.')) {
      if (!parseIPv4(group)) return undefined;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      count += 1;
    } else {
      return undefined;
    }
  }
  return count;
}

/** IPv6 without zone: at most one `::` that stands for at least one zero group, 8 groups in total. */
function isIPv6Body(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return countGroups(s, true) === 8;
  const left = countGroups(halves[0], false);
  const right = countGroups(halves[1], true);
  if (left === undefined || right === undefined) return false;
  // The embedded IPv4 may only sit at the very end, which countGroups enforces per side.
  return left + right <= 7;
}

/** Go `netip.ParseAddr`: the first of `.`, `:` or `%` decides between IPv4 and IPv6. */
export function parseIp(s: string): { version: 4 | 6; zone?: string } | undefined {
  const decider = s.search(/[.:%]/);
  if (decider < 0 || s[decider] === '%') return undefined;
  if (s[decider] === '.') return parseIPv4(s) ? { version: 4 } : undefined;
  const percent = s.indexOf('%');
  const body = percent < 0 ? s : s.slice(0, percent);
  const zone = percent < 0 ? undefined : s.slice(percent + 1);
  if (zone === '') return undefined;
  return isIPv6Body(body) ? { version: 6, zone } : undefined;
}

export function isIP(s: string): boolean {
  return parseIp(s) !== undefined;
}

/** Go `netip.ParsePrefix`: `<addr>/<bits>`, no zone, bits in canonical decimal within the family's size. */
export function isCIDR(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return false;
  const ip = parseIp(s.slice(0, slash));
  if (!ip || ip.zone !== undefined) return false;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits)) return false;
  return Number(bits) <= (ip.version === 4 ? 32 : 128);
}
