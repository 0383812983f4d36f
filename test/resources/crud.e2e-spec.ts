import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('resource API: create, read, replace, delete', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates a WorkloadEntry with server-owned metadata and the spec unchanged', async () => {
    const body = aWorkloadEntry('create-me', { locality: 'us/east/a', weight: 3, ports: { http: 8080 } }, { labels: { tier: 'vm' } });
    const res = await request(t.url).post(paths.workloadEntries()).send(body).expect(201);
    expect(res.body).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', spec: body.spec });
    expect(res.body.metadata).toMatchObject({ name: 'create-me', namespace: 'default', generation: 1, labels: { tier: 'vm' } });
    expect(res.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(res.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const read = await request(t.url).get(paths.workloadEntry('create-me')).expect(200);
    expect(read.body).toEqual(res.body);
  });

  it('stores every ServiceEntry field and returns it unchanged', async () => {
    const spec = {
      hosts: ['api.example.com', 'api2.example.com'],
      addresses: ['240.0.0.10'],
      ports: [{ number: 443, name: 'https', protocol: 'TLS', targetPort: 8443 }],
      location: 'MESH_EXTERNAL',
      resolution: 'STATIC',
      endpoints: [{ address: '1.2.3.4', ports: { https: 9443 }, labels: { v: '1' }, network: 'n1', locality: 'r/z', weight: 2, serviceAccount: 'sa' }],
      exportTo: ['.', 'other'],
      subjectAltNames: ['spiffe://cluster.local/ns/default/sa/api'],
    };
    const res = await request(t.url).post(paths.serviceEntries()).send({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'full' }, spec }).expect(201);
    expect(res.body.spec).toEqual(spec);
    expect((await request(t.url).get(paths.serviceEntry('full')).expect(200)).body.spec).toEqual(spec);
  });

  it('answers a missing object with a NotFound Status', async () => {
    const res = await request(t.url).get(paths.workloadEntry('missing')).expect(404);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404,
      message: 'workloadentries.networking.istio.io "missing" not found',
      details: { name: 'missing', group: 'networking.istio.io', kind: 'workloadentries' },
    });
  });

  it('refuses to create an existing name with AlreadyExists', async () => {
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('twice')).expect(201);
    const res = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('twice')).expect(409);
    expect(res.body).toMatchObject({ reason: 'AlreadyExists', message: 'workloadentries.networking.istio.io "twice" already exists' });
  });

  it('creates from generateName', async () => {
    const res = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('', {}, { name: undefined, generateName: 'vm-' })).expect(201);
    expect(res.body.metadata.name).toMatch(/^vm-[a-z0-9]{5}$/);
  });

  it('takes one global, increasing resourceVersion across kinds', async () => {
    const a = await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('rv-a')).expect(201);
    const b = await request(t.url).post(paths.serviceEntries()).send(aServiceEntry('rv-b')).expect(201);
    const c = await request(t.url).post(paths.workloadEntries('other')).send(aWorkloadEntry('rv-c')).expect(201);
    const versions = [a, b, c].map((r) => Number(r.body.metadata.resourceVersion));
    expect(versions[1]).toBeGreaterThan(versions[0]);
    expect(versions[2]).toBeGreaterThan(versions[1]);
  });

  describe('PUT', () => {
    it('replaces unconditionally without resourceVersion, keeping uid and creationTimestamp', async () => {
      const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('put-me')).expect(201)).body;
      const res = await request(t.url).put(paths.workloadEntry('put-me')).send(aWorkloadEntry('put-me', { address: '10.0.0.2' })).expect(200);
      expect(res.body.spec.address).toBe('10.0.0.2');
      expect(res.body.metadata).toMatchObject({ uid: created.metadata.uid, creationTimestamp: created.metadata.creationTimestamp, generation: 2 });
      expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    });

    it('rejects a stale resourceVersion with Conflict and changes nothing', async () => {
      const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('stale')).expect(201)).body;
      await request(t.url).put(paths.workloadEntry('stale')).send(aWorkloadEntry('stale', { address: '10.0.0.3' })).expect(200);
      const res = await request(t.url)
        .put(paths.workloadEntry('stale'))
        .send(aWorkloadEntry('stale', { address: '10.0.0.4' }, { resourceVersion: created.metadata.resourceVersion }))
        .expect(409);
      expect(res.body).toMatchObject({ reason: 'Conflict', code: 409 });
      expect(res.body.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
      expect((await request(t.url).get(paths.workloadEntry('stale'))).body.spec.address).toBe('10.0.0.3');
    });

    it('creates a missing object (a boot script can PUT its own entry)', async () => {
      const res = await request(t.url).put(paths.workloadEntry('boot-vm')).send(aWorkloadEntry('boot-vm')).expect(201);
      expect(res.body.metadata.generation).toBe(1);
      await request(t.url).put(paths.workloadEntry('boot-vm')).send(aWorkloadEntry('boot-vm')).expect(200);
    });

    it('leaves resourceVersion alone when nothing changes', async () => {
      const first = (await request(t.url).put(paths.workloadEntry('idem')).send(aWorkloadEntry('idem')).expect(201)).body;
      const again = (await request(t.url).put(paths.workloadEntry('idem')).send(aWorkloadEntry('idem')).expect(200)).body;
      expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    });

    it('bumps generation only when spec changes', async () => {
      await request(t.url).put(paths.workloadEntry('gen')).send(aWorkloadEntry('gen')).expect(201);
      const labelled = (await request(t.url).put(paths.workloadEntry('gen')).send(aWorkloadEntry('gen', {}, { labels: { a: 'b' } })).expect(200)).body;
      expect(labelled.metadata.generation).toBe(1);
      const changed = (await request(t.url).put(paths.workloadEntry('gen')).send(aWorkloadEntry('gen', { weight: 7 })).expect(200)).body;
      expect(changed.metadata.generation).toBe(2);
    });

    it('rejects a body naming another object', async () => {
      const res = await request(t.url).put(paths.workloadEntry('url-name')).send(aWorkloadEntry('body-name')).expect(400);
      expect(res.body).toMatchObject({ reason: 'BadRequest', message: 'the name of the object (body-name) does not match the name on the URL (url-name)' });
    });

    it('rejects a body naming another namespace', async () => {
      const res = await request(t.url).post(paths.workloadEntries('a')).send(aWorkloadEntry('ns', {}, { namespace: 'b' })).expect(400);
      expect(res.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
    });
  });

  describe('DELETE', () => {
    it('deletes and answers a Success Status', async () => {
      const created = (await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('delete-me')).expect(201)).body;
      const res = await request(t.url).delete(paths.workloadEntry('delete-me')).expect(200);
      expect(res.body).toMatchObject({
        kind: 'Status', status: 'Success',
        details: { name: 'delete-me', group: 'networking.istio.io', kind: 'workloadentries', uid: created.metadata.uid },
      });
      await request(t.url).get(paths.workloadEntry('delete-me')).expect(404);
      await request(t.url).delete(paths.workloadEntry('delete-me')).expect(404);
    });

    it('honours a resourceVersion precondition', async () => {
      await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('guarded')).expect(201);
      await request(t.url).delete(paths.workloadEntry('guarded')).send({ preconditions: { resourceVersion: '1' } }).expect(409);
      await request(t.url).get(paths.workloadEntry('guarded')).expect(200);
    });
  });

  describe('status subresource', () => {
    const healthy = { conditions: [{ type: 'Healthy', status: 'True', lastProbeTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] };

    it('writes status without touching spec or generation', async () => {
      await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('with-status')).expect(201);
      const res = await request(t.url)
        .put(`${paths.workloadEntry('with-status')}/status`)
        .send({ ...aWorkloadEntry('with-status', { address: '9.9.9.9' }), status: healthy })
        .expect(200);
      expect(res.body.status).toEqual(healthy);
      expect(res.body.spec.address).toBe('10.0.0.1');
      expect(res.body.metadata.generation).toBe(1);
      expect((await request(t.url).get(`${paths.workloadEntry('with-status')}/status`).expect(200)).body.status).toEqual(healthy);
    });

    it('patches status, and ignores status on create and on the main resource', async () => {
      const created = await request(t.url).post(paths.workloadEntries()).send({ ...aWorkloadEntry('status-2'), status: healthy }).expect(201);
      expect(created.body.status).toBeUndefined();
      await request(t.url)
        .patch(`${paths.workloadEntry('status-2')}/status`)
        .set('content-type', 'application/merge-patch+json')
        .send({ status: healthy })
        .expect(200);
      const replaced = await request(t.url).put(paths.workloadEntry('status-2')).send({ ...aWorkloadEntry('status-2', { weight: 2 }), status: { conditions: [] } }).expect(200);
      expect(replaced.body.status).toEqual(healthy);
    });
  });
});
