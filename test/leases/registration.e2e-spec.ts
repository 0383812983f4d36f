import request from 'supertest';
import { aWorkloadEntry, aWorkloadGroup, paths } from '../support/factories';
import { ManualClock } from '../support/manual-clock';
import { openWatch } from '../support/watch-stream';
import { LeaseApp, leaseRows, startLeaseApp } from './lease-app';

const register = (group: string, namespace = 'default') => `${paths.workloadGroup(group, namespace)}/register`;
const heartbeat = (name: string, namespace = 'default') => `${paths.workloadEntry(name, namespace)}/heartbeat`;
const healthy = (entry: any) => entry.status?.conditions?.find((c: any) => c.type === 'Healthy');

/** Registration on boot into a WorkloadGroup, as istiod's auto-registration builds the entry; then its lease's life. */
describe('registration into a WorkloadGroup', () => {
  let app: LeaseApp;
  let group: any;
  const clock = new ManualClock();

  beforeAll(async () => {
    app = await startLeaseApp(clock);
    await app.leading();
    group = (await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('details', {
      metadata: { labels: { app: 'details-legacy', tier: 'group' }, annotations: { team: 'bookinfo' } },
      template: { serviceAccount: 'details-legacy', ports: { http: 8080 }, labels: { tier: 'template', version: 'v1' } },
    })).expect(201)).body;
  });
  afterAll(() => app.close());

  it('with no body registers the caller\'s address: name, labels, annotations and owner as istiod builds them, healthy, with a lease', async () => {
    const response = await request(app.url).post(register('details')).expect(201);
    expect(response.body).toMatchObject({ apiVersion: 'registry.mesh.io/v1', kind: 'Registration', result: 'created' });
    const entry = response.body.workloadEntry;
    expect(entry.metadata).toMatchObject({
      name: 'details-127.0.0.1',
      namespace: 'default',
      labels: { app: 'details-legacy', tier: 'group', version: 'v1' },
      annotations: { 'istio.io/autoRegistrationGroup': 'details', team: 'bookinfo', 'proxy.istio.io/health-checks-enabled': 'true' },
      ownerReferences: [{ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', name: 'details', uid: group.metadata.uid, controller: true }],
    });
    expect(entry.spec).toEqual({ address: '127.0.0.1', serviceAccount: 'details-legacy', ports: { http: 8080 }, labels: { app: 'details-legacy', tier: 'group', version: 'v1' } });
    expect(healthy(entry)).toMatchObject({ status: 'True' });
    expect(response.body.lease).toMatchObject({ leaseDurationSeconds: 10, renewIntervalSeconds: 2, heartbeatPath: heartbeat('details-127.0.0.1') });
    const stored = (await request(app.url).get(paths.workloadEntry('details-127.0.0.1')).expect(200)).body;
    expect(stored).toEqual(entry);
  });

  it('again (a reboot) answers the same entry with no new resourceVersion and a fresh lease', async () => {
    const first = (await request(app.url).post(register('details')).send({ address: '10.0.0.7' }).expect(201)).body;
    clock.advance(5);
    const watch = await openWatch(app.url, `${paths.workloadEntries()}?watch=true&resourceVersion=${first.workloadEntry.metadata.resourceVersion}`);
    const again = await request(app.url).post(register('details')).send({ address: '10.0.0.7' }).expect(200);
    expect(again.body.result).toBe('unchanged');
    expect(again.body.workloadEntry).toEqual(first.workloadEntry);
    expect(Date.parse(again.body.lease.renewTime)).toBe(clock.now());
    expect(await watch.collect(300)).toEqual([]);
    watch.close();
  });

  it('takes address, network, locality, labels, ports and weight from the body', async () => {
    const response = await request(app.url).post(register('details')).send({ address: '10.0.0.5', network: 'n1', locality: 'eu/west', ports: { http: 9080 }, weight: 3 }).expect(201);
    expect(response.body.workloadEntry.metadata.name).toBe('details-10.0.0.5-n1');
    expect(response.body.workloadEntry.spec).toMatchObject({ address: '10.0.0.5', network: 'n1', locality: 'eu/west', ports: { http: 9080 }, weight: 3 });
  });

  it.each([
    ['2001:db8::5', 201, 'details-2001-db8--5'],
    ['fe80::1%eth0', 422, undefined],
  ])('names an entry for %s as istiod does (or refuses the name with 422)', async (address, code, name) => {
    const response = await request(app.url).post(register('details')).send({ address }).expect(code);
    if (name) expect(response.body.workloadEntry.metadata.name).toBe(name);
    else expect(response.body.details.causes).toEqual([expect.objectContaining({ field: 'address', reason: 'FieldValueInvalid' })]);
  });

  it('refuses what the group does not allow, and unknown fields, with 422 naming the field', async () => {
    const sa = await request(app.url).post(register('details')).send({ address: '10.0.1.1', serviceAccount: 'root' }).expect(422);
    expect(sa.body.details.causes[0].field).toBe('serviceAccount');
    const port = await request(app.url).post(register('details')).send({ address: '10.0.1.1', ports: { admin: 22 } }).expect(422);
    expect(port.body.details.causes[0].field).toBe('ports.admin');
    const unknown = await request(app.url).post(register('details')).send({ adress: '10.0.1.1' }).expect(422);
    expect(unknown.body.details.causes[0]).toMatchObject({ field: 'adress', reason: 'FieldValueNotSupported' });
    const dry = await request(app.url).post(`${register('details')}?dryRun=All`).send({ address: '10.0.1.1' }).expect(400);
    expect(dry.body.message).toContain('dryRun is not supported by register');
    await request(app.url).get(paths.workloadEntry('details-10.0.1.1')).expect(404);
  });

  it('answers 404 naming the workloadgroup when the group does not exist', async () => {
    const response = await request(app.url).post(register('nope')).expect(404);
    expect(response.body).toMatchObject({ reason: 'NotFound', message: 'workloadgroups.networking.istio.io "nope" not found' });
  });

  it('never takes over an entry it did not make: 409 Conflict, the entry untouched', async () => {
    const made = (await request(app.url).put(paths.workloadEntry('details-10.0.0.9')).send(aWorkloadEntry('details-10.0.0.9', { address: '10.0.0.9' })).expect(201)).body;
    const response = await request(app.url).post(register('details')).send({ address: '10.0.0.9' }).expect(409);
    expect(response.body).toMatchObject({ reason: 'Conflict' });
    expect(response.body.message).toContain('registration never takes over an entry it did not make');
    expect((await request(app.url).get(paths.workloadEntry('details-10.0.0.9')).expect(200)).body).toEqual(made);
  });

  it('makes one entry out of concurrent registrations of one address', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(app.url).post(register('details')).send({ address: '10.0.0.20' })));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.workloadEntry.metadata.uid)).size).toBe(1);
  });

  it('follows the group: a changed template label updates the entry on the next registration', async () => {
    const before = (await request(app.url).post(register('details')).send({ address: '10.0.0.30' }).expect(201)).body.workloadEntry;
    await request(app.url).patch(paths.workloadGroup('details')).set('content-type', 'application/merge-patch+json').send({ spec: { template: { labels: { version: 'v2' } } } }).expect(200);
    const after = await request(app.url).post(register('details')).send({ address: '10.0.0.30' }).expect(200);
    expect(after.body.result).toBe('updated');
    expect(after.body.workloadEntry.metadata.uid).toBe(before.metadata.uid);
    expect(after.body.workloadEntry.spec.labels.version).toBe('v2');
  });

  it('a registered entry lapses (LeaseExpired, out of resolve), then is deleted after the grace; DELETE deregisters at once', async () => {
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('ratings', { template: { serviceAccount: 'ratings' } })).expect(201);
    const entry = (await request(app.url).post(register('ratings')).send({ address: '10.1.0.1' }).expect(201)).body.workloadEntry;
    await request(app.url).post(register('ratings')).send({ address: '10.1.0.2' }).expect(201);
    const watch = await openWatch(app.url, `${paths.workloadEntries()}?watch=true&resourceVersion=${entry.metadata.resourceVersion}&labelSelector=app%3Ddetails-legacy`);
    clock.advance(10.001);
    await request(app.url).post(heartbeat('ratings-10.1.0.2')).expect(200);
    await app.reap();
    const lapsed = (await request(app.url).get(paths.workloadEntry('ratings-10.1.0.1')).expect(200)).body;
    expect(healthy(lapsed)).toMatchObject({ status: 'False', reason: 'LeaseExpired' });
    expect(healthy((await request(app.url).get(paths.workloadEntry('ratings-10.1.0.2')).expect(200)).body).status).toBe('True');
    clock.advance(29.998); // lapse + deregisterAfter (30 s) not yet passed
    await request(app.url).post(heartbeat('ratings-10.1.0.2')).expect(200);
    await app.reap();
    await request(app.url).get(paths.workloadEntry('ratings-10.1.0.1')).expect(200);
    clock.advance(0.002);
    await app.reap();
    await request(app.url).get(paths.workloadEntry('ratings-10.1.0.1')).expect(404);
    const events = await watch.collect(500);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(expect.arrayContaining(['MODIFIED ratings-10.1.0.1', 'DELETED ratings-10.1.0.1']));
    watch.close();
    expect((await leaseRows(app.database)).find((r) => r.name === 'ratings-10.1.0.1')).toBeUndefined();
    await request(app.url).post(heartbeat('ratings-10.1.0.1')).expect(404);

    await request(app.url).delete(paths.workloadEntry('ratings-10.1.0.2')).expect(200);
    expect((await leaseRows(app.database)).find((r) => r.name === 'ratings-10.1.0.2')).toBeUndefined();
  });

  it('takes durations from the group\'s annotations', async () => {
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('fast', {}, { annotations: { 'registry.mesh.io/lease-duration-seconds': '4', 'registry.mesh.io/deregister-after-seconds': '0' } })).expect(201);
    const answer = (await request(app.url).post(register('fast')).send({ address: '10.2.0.1' }).expect(201)).body;
    expect(answer.lease).toMatchObject({ leaseDurationSeconds: 4, renewIntervalSeconds: 1, deregisterAfterSeconds: 0 });
    clock.advance(4.001);
    await app.reap();
    await app.reap();
    await request(app.url).get(paths.workloadEntry('fast-10.2.0.1')).expect(404);
  });

  it('deleting the group deletes its registered entries and their leases; registering into a new group of that name works at once', async () => {
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('gone')).expect(201);
    await request(app.url).post(register('gone')).send({ address: '10.3.0.1' }).expect(201);
    expect((await leaseRows(app.database)).find((r) => r.name === 'gone-10.3.0.1')).toBeDefined();
    await request(app.url).delete(paths.workloadGroup('gone')).expect(200);
    await request(app.url).get(paths.workloadEntry('gone-10.3.0.1')).expect(404);
    expect((await leaseRows(app.database)).find((r) => r.name === 'gone-10.3.0.1')).toBeUndefined();
    await request(app.url).post(heartbeat('gone-10.3.0.1')).expect(404);
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('gone')).expect(201);
    await request(app.url).post(register('gone')).send({ address: '10.3.0.1' }).expect(201);
  });

  it('shows each entry\'s health, why, and its group in kubectl get we\'s Table', async () => {
    await request(app.url).post(paths.workloadGroups()).send(aWorkloadGroup('tabled')).expect(201);
    await request(app.url).post(register('tabled')).send({ address: '10.4.0.1' }).expect(201);
    await request(app.url).post(register('tabled')).send({ address: '10.4.0.2' }).expect(201);
    clock.advance(8);
    await request(app.url).post(heartbeat('tabled-10.4.0.2')).send({ healthy: false, message: 'disk full' }).expect(200);
    clock.advance(2.001);
    await app.reap();
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const table = (await request(app.url).get(`${paths.workloadEntries()}?labelSelector=app%3Ddetails-legacy`).set('accept', accept).expect(200)).body;
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Age', 'Address', 'Healthy', 'Reason', 'Group']);
    const rows = Object.fromEntries(table.rows.map((r: any) => [r.cells[0], r.cells.slice(2)]));
    expect(rows['tabled-10.4.0.1']).toEqual(['10.4.0.1', 'False', 'LeaseExpired', 'tabled']);
    expect(rows['tabled-10.4.0.2']).toEqual(['10.4.0.2', 'False', 'Reported', 'tabled']);
  });
});
