import { aWorkloadGroup, paths } from '../support/factories';
import { rawRequest } from '../support/raw-request';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { idOf, registrationTokenFor, tokenFor } from '../security/tokens';
import { leaseRows } from './lease-app';

const register = (group: string) => `${paths.workloadGroup(group, 'a')}/register`;
const heartbeat = (name: string) => `${paths.workloadEntry(name, 'a')}/heartbeat`;

/** Who may register and beat, over HTTPS with tokens: a registration token is scoped to one group and its own entries. */
describe('registration and heartbeats with registration tokens', () => {
  let t: SecureTestApp;
  let mine: string;
  let other: string;

  beforeAll(async () => {
    t = await startSecureTestApp();
    for (const name of ['wg1', 'wg2']) await t.as(t.adminToken).post(paths.workloadGroups('a')).send(aWorkloadGroup(name)).expect(201);
    mine = await registrationTokenFor(t, 'a', { group: 'wg1', addressCIDRs: ['10.0.0.0/24'] });
    other = await registrationTokenFor(t, 'a', { group: 'wg1' });
  });
  afterAll(() => t.close());

  it('registers into its own group, marked as its own, and holds the lease', async () => {
    const response = await t.as(mine).post(register('wg1')).send({ address: '10.0.0.5' }).expect(201);
    expect(response.body.workloadEntry.metadata.annotations['registry.mesh.io/registered-by']).toBe(idOf(mine));
    expect(response.body.lease.holderIdentity).toBe(idOf(mine));
    const beat = await t.as(mine).post(heartbeat('wg1-10.0.0.5')).send({ healthy: true }).expect(200);
    expect(beat.body.lease.holderIdentity).toBe(idOf(mine));
  });

  it('refuses another group, an address outside its CIDRs, and anyone else\'s token without the right', async () => {
    const wrongGroup = await t.as(mine).post(register('wg2')).send({ address: '10.0.0.6' }).expect(403);
    expect(wrongGroup.body).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    const outside = await t.as(mine).post(register('wg1')).send({ address: '192.168.1.1' }).expect(403);
    expect(outside.body.message).toContain('addressCIDRs');
    const viewer = await tokenFor(t, { subject: 'dashboard', role: 'viewer' });
    await t.as(viewer).post(register('wg1')).send({ address: '10.0.0.7' }).expect(403);
    await t.as().post(register('wg1')).expect(401);
  });

  it('another registration token of the same group can neither beat for the entry nor take it over', async () => {
    const beat = await t.as(other).post(heartbeat('wg1-10.0.0.5')).expect(403);
    expect(beat.body.message).toContain('a registration token may only act on the entries it registered');
    const takeover = await t.as(other).post(register('wg1')).send({ address: '10.0.0.5' }).expect(409);
    expect(takeover.body.message).toContain('registered by another token');
  });

  it("cannot reach another token's entry through a fragment the router would cut off", async () => {
    await t.as(other).post(register('wg1')).send({ address: '10.0.0.9' }).expect(201);
    // Authorized as an object named "wg1-10.0.0.9#x" (none: the own-entries rule let it through), routed as "wg1-10.0.0.9".
    for (const [method, path] of [['DELETE', `${paths.workloadEntry('wg1-10.0.0.9', 'a')}#x`], ['PATCH', `${paths.workloadEntry('wg1-10.0.0.9', 'a')}#/heartbeat`]]) {
      const answer = await rawRequest(t.url, {
        method, path, ca: t.caPem, headers: { authorization: `Bearer ${mine}`, 'content-type': 'application/merge-patch+json' },
        body: method === 'PATCH' ? '{"spec":{"weight":7}}' : undefined,
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    }
    await t.as(t.adminToken).get(paths.workloadEntry('wg1-10.0.0.9', 'a')).expect(200);
  });

  it('deregisters with DELETE: entry and lease go at once; the next heartbeat is a 404', async () => {
    await t.as(mine).delete(paths.workloadEntry('wg1-10.0.0.5', 'a')).expect(200);
    expect((await leaseRows(t.database)).find((r) => r.name === 'wg1-10.0.0.5')).toBeUndefined();
    await t.as(mine).post(heartbeat('wg1-10.0.0.5')).expect(404);
  });

  it('counts registrations, renewals and the reaper\'s work on /metrics', async () => {
    await t.as(mine).post(register('wg1')).send({ address: '10.0.0.8' }).expect(201);
    await t.as(mine).post(heartbeat('wg1-10.0.0.8')).expect(200);
    const metrics = (await t.as(t.adminToken).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/registrations_total\{result="created"\} [1-9]/);
    expect(metrics).toMatch(/lease_renewals_total\{result="renewed"\} [1-9]/);
    expect(metrics).toMatch(/lease_renewals_total\{result="notfound"\} [1-9]/);
    for (const name of ['lease_expirations_total', 'lease_deletions_total', 'lease_expiry_paused_groups', 'registered_entries', 'leases', 'lease_reaper_leader', 'lease_flush_batch_size']) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
    expect(metrics).not.toContain(mine.split('.')[1]);
  });
});
