import { hostMatches, wildcardCandidates } from './host-match';

describe('host matching', () => {
  it.each([
    ['*.bookinfo.com', 'details.bookinfo.com', true],
    ['*.bookinfo.com', 'a.b.bookinfo.com', true],
    ['*.bookinfo.com', 'bookinfo.com', false],
    ['*-api.x.com', 'pay-api.x.com', true],
    ['*-api.x.com', '-api.x.com', false],
    ['*.com', '*.bookinfo.com', true],
    ['*.bookinfo.com', '*.com', false],
    ['details.bookinfo.com', 'details.bookinfo.com', true],
    ['details.bookinfo.com', 'reviews.bookinfo.com', false],
  ])('%s matches %s: %s', (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });

  it('yields candidates from most to least specific', () => {
    expect([...wildcardCandidates('a.bc')]).toEqual(['*.bc', '*bc', '*c']);
  });
});
