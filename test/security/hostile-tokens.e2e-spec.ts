import { connect } from 'node:tls';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';

const WE = '/apis/networking.istio.io/v1/namespaces/a/workloadentries';

/** One raw HTTP/1.1 request over TLS (headers exactly as given, even ones Node's client refuses to send): the status code. */
function rawStatus(t: SecureTestApp, head: string): Promise<number> {
  const port = Number(new URL(t.url).port);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: t.caPem, servername: 'localhost' }, () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

describe('hostile credentials: always a 4xx, never a 5xx or a stall', () => {
  let t: SecureTestApp;
  beforeAll(async () => {
    t = await startSecureTestApp({ rateLimits: { readsPerSecond: 0, writesPerSecond: 0, heartbeatsPerSecond: 0, unauthenticatedPerSecond: 0, watchesPerToken: 10 } });
  });
  afterAll(() => t?.close());

  it.each([
    ['an empty bearer', 'Bearer '],
    ['only a prefix', 'Bearer mr_'],
    ['the id without a secret', `Bearer ${'mr_abcdef.'}`],
    ['the admin id with an empty secret', () => `Bearer ${t.adminToken.slice(0, 10)}`],
    ['the admin secret with another id', () => `Bearer mr_zzzzzz.${t.adminToken.slice(10)}`],
    ['the admin token in lower case', () => `Bearer ${t.adminToken.toLowerCase()}`],
    ['the admin token with a character more', () => `Bearer ${t.adminToken}A`],
    ['the admin token twice', () => `Bearer ${t.adminToken} ${t.adminToken}`],
    ['a 4 KB token', `Bearer mr_abcdef.${'a'.repeat(4096)}`],
    ['unicode in the secret', 'Bearer mr_abcdef.' + 'é'.repeat(40)],
    ['SQL in the id', "Bearer mr_' OR 1=1 --.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ['a JWT', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl'],
    ['Basic credentials', 'Basic YWRtaW46YWRtaW4='],
  ])('%s is a 401', async (_title, header) => {
    const value = typeof header === 'function' ? header() : header;
    const res = await t.as().get(WE).set('authorization', Buffer.from(value, 'utf8').toString('latin1'));
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('Unauthorized');
  });

  it.each([
    ['a header injected after the token', 200, (token: string) => `Authorization: Bearer ${token}\r\nX-Injected: yes`],
    ['a token split over a folded line', 400, (token: string) => `Authorization: Bearer ${token.slice(0, 20)}\r\n ${token.slice(20)}`],
    ['a NUL in the header', 400, (token: string) => `Authorization: Bearer ${token}\u0000`],
    ['a bare LF inside the value', 400, (token: string) => `Authorization: Bearer mr_abc\ndef.${token}`],
    ['two Authorization headers', 401, (token: string) => `Authorization: Bearer mr_zzzzzz.${'a'.repeat(43)}\r\nAuthorization: Bearer ${token}`],
    ['a 64 KB header', 431, () => `Authorization: Bearer ${'a'.repeat(64 * 1024)}`],
    ['two hundred headers', 200, (token: string) => `Authorization: Bearer ${token}\r\n${Array.from({ length: 200 }, (_, i) => `X-${i}: ${i}`).join('\r\n')}`],
  ])('%s gets %d', async (_title, expected, headers) => {
    const status = await rawStatus(t, `GET ${WE} HTTP/1.1\r\nHost: localhost\r\n${headers(t.adminToken)}\r\nConnection: close\r\n\r\n`);
    expect(status).toBe(expected);
  });

  it('is still serving, and the admin token still works, after all of it', async () => {
    await t.as(t.adminToken).get(WE).expect(200);
  });
});
