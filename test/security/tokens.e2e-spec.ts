import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ManualClock } from '../support/manual-clock';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { idOf, registrationTokens, TOKENS, tokenFor, workloadEntry } from './tokens';

const WE = '/apis/networking.istio.io/v1/namespaces/a/workloadentries';
const secretOf = (token: string) => token.slice(10);

describe('token management, expiry, revocation and the audit trail', () => {
  const clock = new ManualClock();
  let t: SecureTestApp;
  const made: string[] = [];
  beforeAll(async () => {
    t = await startSecureTestApp({ clock, rateLimits: { readsPerSecond: 0, writesPerSecond: 0, heartbeatsPerSecond: 0, unauthenticatedPerSecond: 0, watchesPerToken: 5 } });
  });
  afterAll(() => t?.close());

  it('shows a secret once: in the create answer, never in a read or a list', async () => {
    const created = await t.as(t.adminToken).post(TOKENS).send({ subject: 'alice', role: 'editor', namespaces: ['a'], description: 'for CI' }).expect(201);
    const token = created.body.status.token as string;
    made.push(token);
    expect(token).toMatch(/^mr_[a-z0-9]{6}\.[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ kind: 'Token', metadata: { name: idOf(token) }, spec: { subject: 'alice', role: 'editor', description: 'for CI' } });
    const read = await t.as(t.adminToken).get(`${TOKENS}/${idOf(token)}`).expect(200);
    const list = await t.as(t.adminToken).get(TOKENS).expect(200);
    for (const body of [read.text, list.text]) expect(body).not.toContain(secretOf(token));
    expect(read.body.status.token).toBeUndefined();
    expect(list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(expect.arrayContaining([idOf(token), idOf(t.adminToken)]));
  });

  it.each([
    [{ role: 'viewer' }, 'subject'],
    [{ subject: 'x' }, 'role'],
    [{ subject: 'x', role: 'root' }, 'role'],
    [{ subject: 'x', role: 'viewer', ttlSeconds: 5 }, 'ttlSeconds'],
    [{ subject: 'x', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    [{ subject: 'x', rules: [{ verbs: ['get'] }] }, 'rules[0]'],
    [{ subject: 'x', rules: [{ verbs: ['get'], resources: ['*'], bogus: 1 }] }, 'rules[0].bogus'],
    [{ subject: 'x', role: 'editor', namespaces: ['Not_A_Namespace'] }, 'namespaces[0]'],
  ])('refuses %j with a 422 naming %s', async (body, field) => {
    const res = await t.as(t.adminToken).post(TOKENS).send(body).expect(422);
    expect(res.body).toMatchObject({ reason: 'Invalid', details: { kind: 'Token', causes: expect.arrayContaining([expect.objectContaining({ field })]) } });
  });

  it('refuses a token more powerful than its maker (the escalation check)', async () => {
    const minter = await tokenFor(t, { subject: 'minter', rules: [{ verbs: ['create'], apiGroups: ['registry.mesh.io'], resources: ['tokens'] }, { verbs: ['get', 'list'], apiGroups: ['networking.istio.io'], resources: ['*'] }] });
    const res = await t.as(minter).post(TOKENS).send({ subject: 'x', role: 'admin' }).expect(403);
    expect(res.body.message).toBe('tokens.registry.mesh.io is forbidden: User "minter" cannot grant rules it does not hold itself');
    await t.as(minter).post(TOKENS).send({ subject: 'reader', rules: [{ verbs: ['get'], apiGroups: ['networking.istio.io'], resources: ['workloadentries'] }] }).expect(201);
  });

  it('makes registration tokens per namespace, listed there only', async () => {
    const res = await t.as(t.adminToken).post(registrationTokens('a')).send({ group: 'details', addressCIDRs: ['10.0.0.0/24'], maxEntries: 5, ttlSeconds: 3600 }).expect(201);
    expect(res.body).toMatchObject({ kind: 'RegistrationToken', metadata: { namespace: 'a' }, spec: { group: 'details', addressCIDRs: ['10.0.0.0/24'], maxEntries: 5, subject: 'registrar:a/details' } });
    const id = res.body.metadata.name;
    expect((await t.as(t.adminToken).get(registrationTokens('a')).expect(200)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([id]);
    expect((await t.as(t.adminToken).get(registrationTokens('b')).expect(200)).body.items).toEqual([]);
    await t.as(t.adminToken).get(`${registrationTokens('b')}/${id}`).expect(404);
    const bad = await t.as(t.adminToken).post(registrationTokens('a')).send({ group: 'details', addressCIDRs: ['10.0.0.300/24'] }).expect(422);
    expect(bad.body.details.causes).toEqual([expect.objectContaining({ field: 'addressCIDRs[0]' })]);
  });

  it('expires a token on the clock’s time, to the second', async () => {
    const token = await tokenFor(t, { subject: 'short', role: 'viewer', ttlSeconds: 60 });
    await t.as(token).get(WE).expect(200);
    clock.advance(59);
    await t.as(token).get(WE).expect(200);
    clock.advance(1);
    expect((await t.as(token).get(WE).expect(401)).body.reason).toBe('Unauthorized');
  });

  it('revokes at once, and keeps the revoked token listed with revokedAt', async () => {
    const token = await tokenFor(t, { subject: 'bob', role: 'viewer' });
    await t.as(token).get(WE).expect(200);
    const revoked = await t.as(t.adminToken).delete(`${TOKENS}/${idOf(token)}`).expect(200);
    expect(revoked.body.status.revokedAt).toEqual(expect.any(String));
    await t.as(token).get(WE).expect(401);
    await t.as(t.adminToken).delete(`${TOKENS}/zzzzzz`).expect(404);
  });

  it('records lastUsedAt lazily, and never for a failed attempt', async () => {
    const token = await tokenFor(t, { subject: 'carol', role: 'viewer' });
    await t.as(token).get(WE).expect(200);
    const lastUsed = async () => (await t.as(t.adminToken).get(`${TOKENS}/${idOf(token)}`).expect(200)).body.status.lastUsedAt;
    const first = await lastUsed();
    expect(first).toBe(new Date(clock.now()).toISOString());
    clock.advance(120);
    const wrong = `${token.slice(0, 10)}${'A'.repeat(43)}`;
    for (let i = 0; i < 200; i++) await t.as(wrong).get(WE).expect(401);
    expect(await lastUsed()).toBe(first);
    await t.as(token).get(WE).expect(200);
    await t.as(token).get(WE).expect(200);
    expect(await lastUsed()).toBe(new Date(clock.now()).toISOString());
  });

  it('records who wrote what in the change log, and lists it by token, object and kind', async () => {
    const writer = await tokenFor(t, { subject: 'writer', role: 'editor' });
    await t.as(writer).post(WE).send(workloadEntry('audited')).expect(201);
    await t.as(writer).patch(`${WE}/audited`).set('content-type', 'application/merge-patch+json').send({ metadata: { labels: { a: 'b' } } }).expect(200);
    await t.as(t.adminToken).delete(`${WE}/audited`).expect(200);
    const trail = await t.as(t.adminToken).get('/registry/v1/audit?namespace=a&kind=WorkloadEntry&name=audited').expect(200);
    expect(trail.body.items.map((i: Record<string, unknown>) => [i.type, i.actor])).toEqual([
      ['DELETED', { tokenId: idOf(t.adminToken), subject: 'admin' }],
      ['MODIFIED', { tokenId: idOf(writer), subject: 'writer' }],
      ['ADDED', { tokenId: idOf(writer), subject: 'writer' }],
    ]);
    const byToken = await t.as(t.adminToken).get(`/registry/v1/audit?tokenId=${idOf(writer)}&limit=1`).expect(200);
    expect(byToken.body.items).toHaveLength(1);
    expect(byToken.body.metadata.continue).toEqual(expect.any(String));
    const next = await t.as(t.adminToken).get(`/registry/v1/audit?tokenId=${idOf(writer)}&continue=${byToken.body.metadata.continue}`).expect(200);
    expect(next.body.items.map((i: { type: string }) => i.type)).toEqual(['ADDED']);
    await t.as(t.adminToken).get('/registry/v1/audit?tokenId=NOPE').expect(400);
  });

  it('keeps no secret in the database: a dump holds only hashes', async () => {
    const url = new URL(t.database.url);
    const dump = await promisify(execFile)('pg_dump', ['--data-only', '--dbname', url.toString()], { maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout, async () => {
      // Without pg_dump (or a matching server version), read every column of the table instead.
      const client = new Client({ connectionString: t.database.url });
      await client.connect();
      const { rows } = await client.query('SELECT * FROM api_tokens');
      await client.end();
      return JSON.stringify(rows);
    });
    expect(dump).toContain(idOf(t.adminToken));
    for (const token of [t.adminToken, ...made]) expect(dump).not.toContain(secretOf(token));
  });
});
