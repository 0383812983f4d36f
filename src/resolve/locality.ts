export type Locality = [region: string, zone: string, subzone: string];

/** `region/zone/subzone`; parts past the third are ignored, as istiod does. */
export function parseLocality(locality: string | null | undefined): Locality {
  const [region = '', zone = '', subzone = ''] = (locality ?? '').split('/');
  return [region, zone, subzone];
}

/**
 * Default locality failover priority of an endpoint for a caller (istiod's `LbPriority`):
 * 0 same region+zone+subzone, 1 same region+zone, 2 same region, 3 other. Without a caller
 * locality everything is 0. Not compacted (istiod later renumbers gaps away, e.g. all-3 → all-0).
 */
export function localityPriority(caller: string | undefined, endpoint: string | null): number {
  return caller ? priorityFor(parseLocality(caller), endpoint) : 0;
}

/** Same, with the caller's locality parsed once per request. */
export function priorityFor([cr, cz, cs]: Locality, endpoint: string | null): number {
  const [er, ez, es] = parseLocality(endpoint);
  if (cr !== er) return 3;
  if (cz !== ez) return 2;
  return cs === es ? 0 : 1;
}
