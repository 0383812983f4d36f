import { negotiate, parseAccept, TABLE_OFFERS, wantsAggregatedDiscovery, wantsTable } from './media-types';

const KUBECTL_GET = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const KUBECTL_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('parseAccept', () => {
  it('reads types, parameters and q, most preferred first', () => {
    expect(parseAccept('text/plain;q=0.5, application/json ; as=Table ; charset=utf-8')).toEqual([
      { type: 'application/json', params: { as: 'Table' }, q: 1, index: 1 },
      { type: 'text/plain', params: {}, q: 0.5, index: 0 },
    ]);
  });

  it('drops ranges with q=0', () => expect(parseAccept('application/json;q=0')).toEqual([]));
});

describe('negotiate', () => {
  it.each<[string | undefined, boolean]>([
    [KUBECTL_GET, true],
    ['application/json;g=meta.k8s.io;v=v1;as=Table', true],
    ['application/json;as="Table";v=v1;g=meta.k8s.io', true],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', false],
    ['application/json', false],
    ['application/yaml', false],
    ['*/*', false],
    [undefined, false],
    ['application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io', true],
  ])('Table for %s: %s', (accept, table) => expect(wantsTable(accept)).toBe(table));

  it.each<[string | undefined, boolean]>([
    [KUBECTL_DISCOVERY, true],
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', false],
    ['application/json', false],
    [undefined, false],
  ])('aggregated discovery for %s: %s', (accept, aggregated) => expect(wantsAggregatedDiscovery(accept)).toBe(aggregated));

  it('is undefined when nothing offered is acceptable', () => {
    expect(negotiate('application/vnd.kubernetes.protobuf', TABLE_OFFERS)).toBeUndefined();
  });
});
