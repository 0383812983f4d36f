import { negotiateFormat } from './codec';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'json', 'json'],
    ['application/yaml', 'json', 'yaml'],
    ['application/json, application/yaml', 'json', 'json'],
    ['application/json;q=0.5, application/yaml', 'json', 'yaml'],
    ['text/html, */*', 'json', 'json'],
    [undefined, 'yaml', 'yaml'],
    ['*/*', 'yaml', 'yaml'],
    ['application/json', 'yaml', 'json'],
    ['application/yaml, application/json', 'yaml', 'yaml'],
  ] as const)('Accept %s with fallback %s gives %s', (accept, fallback, expected) => {
    expect(negotiateFormat(accept, fallback)).toBe(expected);
  });
});
