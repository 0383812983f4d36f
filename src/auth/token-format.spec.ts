import { bearerTokenOf, formatToken, hashSecret, newSecret, newTokenId, parseToken, secretMatches, TOKEN_PATTERN } from './token-format';

describe('token format', () => {
  it('makes tokens that parse back to their id and secret', () => {
    const id = newTokenId();
    const secret = newSecret();
    expect(id).toMatch(/^[a-z0-9]{6}$/);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    expect(parseToken(formatToken(id, secret))).toEqual({ id, secret });
    expect(formatToken(id, secret)).toMatch(TOKEN_PATTERN);
  });

  it.each([
    ['no prefix', 'abc123.' + 'a'.repeat(43)],
    ['a short id', 'mr_abc12.' + 'a'.repeat(43)],
    ['an upper-case id', 'mr_ABC123.' + 'a'.repeat(43)],
    ['a short secret', 'mr_abc123.' + 'a'.repeat(31)],
    ['a secret with a space', 'mr_abc123.' + 'a'.repeat(40) + ' bb'],
    ['a header-injection attempt', 'mr_abc123.' + 'a'.repeat(40) + '\r\nx: y'],
    ['nothing', ''],
  ])('refuses %s', (_title, text) => {
    expect(parseToken(text)).toBeUndefined();
  });

  it.each([
    ['Bearer mr_x', 'mr_x'],
    ['bearer mr_x', 'mr_x'],
    ['BEARER  mr_x ', 'mr_x'],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer', undefined],
    ['Bearer ' + 'x'.repeat(300), undefined],
  ])('reads %j as the bearer token %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it('matches a secret against its hash only', () => {
    const secret = newSecret();
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(secret + 'x', hashSecret(secret))).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(3))).toBe(false);
  });
});
