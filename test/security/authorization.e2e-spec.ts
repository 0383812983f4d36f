import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { asText } from '../support/watch-stream';
import { idOf, registrationTokenFor, tokenFor, workloadEntry } from './tokens';

const ISTIO = '/apis/networking.istio.io/v1';
const we = (ns: string) => `${ISTIO}/namespaces/${ns}/workloadentries`;
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

describe('authorization (RBAC-shaped rules and the built-in roles)', () => {
  let t: SecureTestApp;
  let viewer: string;
  let editorA: string;
  let registrar: string;
  let otherRegistrar: string;

  beforeAll(async () => {
    t = await startSecureTestApp();
    viewer = await tokenFor(t, { subject: 'dashboard', role: 'viewer' });
    editorA = await tokenFor(t, { subject: 'ci:a', role: 'editor', namespaces: ['a'] });
    registrar = await registrationTokenFor(t, 'a', { group: 'wg1' });
    otherRegistrar = await registrationTokenFor(t, 'a', { group: 'wg1' });
    const admin = t.as(t.adminToken);
    await admin.post(we('a')).send(workloadEntry('mine', { 'registry.mesh.io/registered-by': idOf(registrar) })).expect(201);
    await admin.post(we('a')).send(workloadEntry('theirs', { 'registry.mesh.io/registered-by': idOf(otherRegistrar) })).expect(201);
    await admin.post(we('a')).send(workloadEntry('by-hand')).expect(201);
    await admin.post(`${ISTIO}/namespaces/a/serviceentries`).send({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se' }, spec: { hosts: ['se.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } }).expect(201);
  });
  afterAll(() => t?.close());

  it('lets a viewer get, list and watch, and refuses its writes with the apiserver’s message', async () => {
    await t.as(viewer).get(`${we('a')}/mine`).expect(200);
    await t.as(viewer).get(`${ISTIO}/workloadentries`).expect(200);
    // Authorized: what follows is the watch route's own answer, not a 403.
    expect((await t.as(viewer).get(`${we('a')}?watch=true&timeoutSeconds=1`).parse(asText)).status).toBe(200);
    const res = await t.as(viewer).post(we('a')).send(workloadEntry('nope')).expect(403);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden',
      message: 'workloadentries.networking.istio.io is forbidden: User "dashboard" cannot create resource "workloadentries" in API group "networking.istio.io" in the namespace "a"',
      details: { name: '', group: 'networking.istio.io', kind: 'workloadentries' },
    });
    await t.as(viewer).delete(`${we('a')}/mine`).expect(403);
    await t.as(viewer).get('/registry/v1/audit').expect(403);
  });

  it('gives WorkloadGroups the same roles: viewer reads, editor of a writes in a only', async () => {
    const wg = (ns: string) => `${ISTIO}/namespaces/${ns}/workloadgroups`;
    const group = (name: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', metadata: { name }, spec: { template: { serviceAccount: 'sa' } } });
    await t.as(editorA).post(wg('a')).send(group('fleet')).expect(201);
    await t.as(viewer).get(`${wg('a')}/fleet`).expect(200);
    await t.as(viewer).get(`${ISTIO}/workloadgroups`).expect(200);
    const refused = await t.as(viewer).post(wg('a')).send(group('nope')).expect(403);
    expect(refused.body.message).toBe('workloadgroups.networking.istio.io is forbidden: User "dashboard" cannot create resource "workloadgroups" in API group "networking.istio.io" in the namespace "a"');
    await t.as(viewer).delete(`${wg('a')}/fleet`).expect(403);
    await t.as(editorA).post(wg('b')).send(group('fleet')).expect(403);
    await t.as(registrar).post(wg('a')).send(group('nope')).expect(403);
    await t.as(editorA).delete(`${wg('a')}/fleet`).expect(200);
  });

  it('refuses a watch it may not make with a plain 403, before any streaming', async () => {
    const seOnly = await tokenFor(t, { subject: 'se-reader', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['networking.istio.io'], resources: ['serviceentries'] }] });
    const res = await t.as(seOnly).get(`${we('a')}?watch=true`).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.message).toMatch(/cannot watch resource "workloadentries"/);
  });

  it('keeps an editor of namespace a in a', async () => {
    await t.as(editorA).post(we('a')).send(workloadEntry('edited')).expect(201);
    await t.as(editorA).patch(`${we('a')}/edited`).set('content-type', 'application/merge-patch+json').send({ metadata: { labels: { x: 'y' } } }).expect(200);
    const other = await t.as(editorA).post(we('b')).send(workloadEntry('edited')).expect(403);
    expect(other.body.message).toMatch(/in the namespace "b"$/);
    const all = await t.as(editorA).get(`${ISTIO}/workloadentries`).expect(403);
    expect(all.body.message).toBe('workloadentries.networking.istio.io is forbidden: User "ci:a" cannot list resource "workloadentries" in API group "networking.istio.io" at the cluster scope');
    await t.as(editorA).delete(`${we('a')}/edited`).expect(200);
  });

  it('holds a registration token to its group, its namespace and its own entries', async () => {
    const as = t.as(registrar);
    // register and heartbeat: the onboarding routes; until they exist their paths are 404s for any
    // token (authorizer.spec.ts decides them). What exists is decided here.
    await as.get(`${ISTIO}/namespaces/a/serviceentries/se`).expect(403);
    await as.get(we('a')).expect(403);
    await as.post(we('a')).send(workloadEntry('sneaky')).expect(403);
    await as.put(`${we('a')}/mine`).send(workloadEntry('mine')).expect(403);
    const theirs = await as.delete(`${we('a')}/theirs`).expect(403);
    expect(theirs.body.message).toMatch(/: a registration token may only act on the entries it registered$/);
    await as.delete(`${we('a')}/by-hand`).expect(403);
    await as.get(`${we('a')}/mine`).expect(200);
    await as.delete(`${we('a')}/mine`).expect(200);
    // Gone: the registrar learns so from a 404 (its cue to register again), not a 403.
    await as.delete(`${we('a')}/mine`).expect(404);
  });

  it('answers can-i (SelfSubjectAccessReview) exactly as the server then acts', async () => {
    const cases: [string, string, string, string, number][] = [
      [viewer, 'create', 'a', 'POST', 403],
      [viewer, 'list', 'a', 'GET', 200],
      [editorA, 'create', 'a', 'POST', 201],
      [editorA, 'create', 'b', 'POST', 403],
      [registrar, 'list', 'a', 'GET', 403],
    ];
    for (const [token, verb, namespace, method, code] of cases) {
      const review = await t.as(token).post(SSAR).send({
        apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb, group: 'networking.istio.io', resource: 'workloadentries' } },
      }).expect(201);
      const did = method === 'POST' ? await t.as(token).post(we(namespace)).send(workloadEntry(`can-${verb}-${namespace}`)) : await t.as(token).get(we(namespace));
      expect([verb, namespace, review.body.status.allowed, did.status]).toEqual([verb, namespace, code < 400, code]);
    }
  });

  it('checks an import document by document, before planning any', async () => {
    const doc = (ns: string, name: string) => `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {address: 10.0.0.7}\n`;
    const stream = `${doc('a', 'imp-1')}---\n${doc('b', 'imp-2')}`;
    const refused = await t.as(editorA).post('/registry/v1/import').set('content-type', 'application/yaml').send(stream).expect(403);
    expect(refused.body.message).toMatch(/^document 1: workloadentries\.networking\.istio\.io "imp-2" is forbidden: User "ci:a" cannot create resource "workloadentries" in API group "networking\.istio\.io" in the namespace "b"$/);
    await t.as(t.adminToken).get(`${we('a')}/imp-1`).expect(404);
    await t.as(editorA).post('/registry/v1/import').set('content-type', 'application/yaml').send(doc('a', 'imp-1')).expect(200);
    await t.as(viewer).post('/registry/v1/import').set('content-type', 'application/yaml').send(doc('a', 'imp-3')).expect(403);
  });

  it('maps the registry routes onto the kinds they read', async () => {
    await t.as(viewer).get('/registry/v1/resolve?host=se.example.com').expect(200);
    await t.as(editorA).get('/registry/v1/resolve?host=se.example.com').expect(403);
    await t.as(editorA).get('/registry/v1/analyze?namespace=a').expect(200);
    await t.as(editorA).get('/registry/v1/analyze?namespace=b').expect(403);
    await t.as(editorA).get('/registry/v1/export?namespace=a').expect(200);
    await t.as(editorA).get('/registry/v1/export').expect(403);
    await t.as(registrar).get('/registry/v1/namespaces/a/workloadentries/theirs/manifest').expect(403);
    await t.as(viewer).get('/metrics').expect(200);
    await t.as(registrar).get('/metrics').expect(403);
  });
});
