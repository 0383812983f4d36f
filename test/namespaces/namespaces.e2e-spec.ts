import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Core v1 Namespaces over HTTP: derived from the objects, read-only, in the apiserver's shapes and errors. */
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const NAMESPACES = '/api/v1/namespaces';

describe('namespaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const [name, namespace] of [['vm1', 'bookinfo'], ['vm2', 'bookinfo'], ['vm3', 'default']]) {
      await request(t.url).post(paths.workloadEntries(namespace)).send(aWorkloadEntry(name)).expect(201);
    }
  });
  afterAll(() => t.close());

  it('reads any valid name as an Active Namespace, aged by its oldest object', async () => {
    const { body } = await request(t.url).get(`${NAMESPACES}/bookinfo`).expect(200);
    const oldest = (await request(t.url).get(paths.workloadEntry('vm1', 'bookinfo'))).body.metadata.creationTimestamp;
    expect(body).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'bookinfo', uid: expect.stringMatching(/^[0-9a-f-]{36}$/), creationTimestamp: oldest, labels: { 'kubernetes.io/metadata.name': 'bookinfo' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const empty = (await request(t.url).get(`${NAMESPACES}/nothing-here`).expect(200)).body;
    expect(empty).toMatchObject({ metadata: { name: 'nothing-here', creationTimestamp: null }, status: { phase: 'Active' } });
  });

  it('answers a name no namespace can have as the apiserver does', async () => {
    const invalid = await request(t.url).get(`${NAMESPACES}/Not_A_Label`).expect(404);
    expect(invalid.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404,
      message: 'namespaces "Not_A_Label" not found', details: { name: 'Not_A_Label', kind: 'namespaces' },
    });
    const segment = await request(t.url).get(`${NAMESPACES}/a%25b`).expect(400);
    expect(segment.body.message).toBe(`invalid resource name "a%b": [may not contain '%']`);
  });

  it('lists the namespaces that hold objects, filtered by the list selectors', async () => {
    const { body } = await request(t.url).get(NAMESPACES).expect(200);
    expect(body).toMatchObject({ kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(body.items.map((ns: { metadata: { name: string } }) => ns.metadata.name)).toEqual(['bookinfo', 'default']);
    const byName = await request(t.url).get(NAMESPACES).query({ fieldSelector: 'metadata.name=default' }).expect(200);
    expect(byName.body.items.map((ns: { metadata: { name: string } }) => ns.metadata.name)).toEqual(['default']);
    const byLabel = await request(t.url).get(NAMESPACES).query({ labelSelector: 'kubernetes.io/metadata.name!=default' }).expect(200);
    expect(byLabel.body.items.map((ns: { metadata: { name: string } }) => ns.metadata.name)).toEqual(['bookinfo']);
    await request(t.url).get(NAMESPACES).query({ fieldSelector: 'spec.finalizers=x' }).expect(400);
  });

  it('prints NAME STATUS AGE for kubectl, for a list and for one', async () => {
    const list = (await request(t.url).get(NAMESPACES).set('accept', TABLE).expect(200)).body;
    expect(list.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(list.rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([
      ['bookinfo', 'Active', expect.stringMatching(/^\d+s$/)],
      ['default', 'Active', expect.stringMatching(/^\d+s$/)],
    ]);
    const one = (await request(t.url).get(`${NAMESPACES}/empty`).set('accept', TABLE).expect(200)).body;
    expect(one.rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([['empty', 'Active', '<unknown>']]);
  });

  it.each([
    ['post', NAMESPACES, 'create'],
    ['delete', NAMESPACES, 'deletecollection'],
    ['put', `${NAMESPACES}/bookinfo`, 'update'],
    ['patch', `${NAMESPACES}/bookinfo`, 'patch'],
    ['delete', `${NAMESPACES}/bookinfo`, 'delete'],
  ] as const)('refuses %s %s with 405, whatever the body is in', async (method, path, action) => {
    // kubectl sends core objects as protobuf, which no route here can parse.
    const res = await request(t.url)[method](path).set('content-type', 'application/vnd.kubernetes.protobuf').send(Buffer.from([0x6b, 0x38, 0x73, 0x00]));
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'MethodNotAllowed', code: 405,
      message: `${action} is not supported on resources of kind "namespaces"`, details: { kind: 'namespaces' },
    });
    expect((await request(t.url).get(paths.workloadEntries('bookinfo')).expect(200)).body.items).toHaveLength(2);
  });
});
