import { isIP } from 'node:net';
import { UNIX_PREFIX } from '../validation/primitives';

/**
 * Keys and orderings of RegistryIndex.
 *
 * The form under which two WorkloadEntry addresses count as the same: IPv6 in canonical text
 * (`2001:DB8:0::1` = `2001:db8::1`), DNS names case-insensitive without a trailing dot, socket paths
 * verbatim (file names are case-sensitive). IPv4 text is already canonical once validated.
 */
export function addressKey(address: string): string {
  if (address.startsWith(UNIX_PREFIX)) return address;
  const family = isIP(address);
  if (family === 6) return canonicalIPv6(address);
  if (family === 4) return address;
  const lower = address.toLowerCase();
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** WHATWG URL parsing canonicalises IPv6 (RFC 5952); the zone (`%eth0`) is kept as written. */
function canonicalIPv6(address: string): string {
  const percent = address.indexOf('%');
  const ip = percent < 0 ? address : address.slice(0, percent);
  const zone = percent < 0 ? '' : address.slice(percent);
  try {
    return new URL(`http://[${ip}]`).hostname.slice(1, -1) + zone;
  } catch {
    return address.toLowerCase();
  }
}

/** Strictly older; only decidable for integer versions (ours), otherwise treated as newer. */
export function isOlder(candidate: string | undefined, current: string | undefined): boolean {
  if (!candidate || !current || !/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return false;
  return BigInt(candidate) < BigInt(current);
}

export function compareNames(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}
