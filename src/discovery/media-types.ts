/**
 * Content negotiation on the Kubernetes "as=Kind;g=group;v=version" media type parameters, which
 * clients use to ask for another representation of the same resource (a Table, aggregated discovery)
 * with plain `application/json` as the fallback.
 */
export interface MediaOffer<N extends string = string> {
  name: N;
  type: string;
  /** Parameters a media range must carry, exactly (besides q and charset), to select this offer. */
  params?: Record<string, string>;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  index: number;
}

const IGNORED_PARAMS = new Set(['q', 'charset']);

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept
    .split(',')
    .map((part, index) => {
      const [type, ...rawParams] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      let q = 1;
      for (const raw of rawParams) {
        const eq = raw.indexOf('=');
        if (eq <= 0) continue;
        const key = raw.slice(0, eq).trim().toLowerCase();
        const value = raw.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
        if (key === 'q') q = Number(value);
        else if (!IGNORED_PARAMS.has(key)) params[key] = value;
      }
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.type !== '' && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function matches(range: MediaRange, offer: MediaOffer): boolean {
  const wanted = offer.params ?? {};
  if (range.type === '*/*' || range.type === `${offer.type.split('/')[0]}/*`) {
    return Object.keys(wanted).length === 0;
  }
  return range.type === offer.type && sameParams(range.params, wanted);
}

/**
 * The first offer the client's most preferred acceptable range selects; the first offer when the
 * client sent no Accept header; undefined when nothing offered is acceptable.
 */
export function negotiate<N extends string>(accept: string | undefined, offers: readonly MediaOffer<N>[]): N | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offers.find((o) => !o.params)?.name ?? offers[0]?.name;
  for (const range of ranges) {
    const offer = offers.find((o) => matches(range, o));
    if (offer) return offer.name;
  }
  return undefined;
}

export const TABLE_OFFERS: readonly MediaOffer<'table' | 'json'>[] = [
  { name: 'table', type: 'application/json', params: { as: 'Table', g: 'meta.k8s.io', v: 'v1' } },
  { name: 'json', type: 'application/json' },
];

export const DISCOVERY_OFFERS: readonly MediaOffer<'aggregated' | 'json'>[] = [
  { name: 'aggregated', type: 'application/json', params: { as: 'APIGroupDiscoveryList', g: 'apidiscovery.k8s.io', v: 'v2' } },
  { name: 'json', type: 'application/json' },
];

export const wantsTable = (accept: string | undefined): boolean => negotiate(accept, TABLE_OFFERS) === 'table';
export const wantsAggregatedDiscovery = (accept: string | undefined): boolean =>
  negotiate(accept, DISCOVERY_OFFERS) === 'aggregated';
