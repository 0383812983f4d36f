import { ANONYMOUS, Principal } from './principal';
import { authorize, forbidden, ObjectOwner, PUBLIC_RULES } from './authorizer';
import { requestAttributes } from './request-attributes';
import { inNamespaces, registrarRules, ROLES } from './roles';

const token = (tokenId: string, username: string, rules: Principal['rules']): Principal => ({ tokenId, username, groups: ['system:authenticated'], rules });
const anonymous: Principal = { username: ANONYMOUS, groups: ['system:unauthenticated'], rules: PUBLIC_RULES };
const admin = token('adm001', 'admin', ROLES.admin);
const viewer = token('view01', 'viewer', ROLES.viewer);
const editorA = token('edit0a', 'editor-a', inNamespaces(ROLES.editor, ['a']));
const registrar = token('reg001', 'registrar:a/wg1', registrarRules({ namespace: 'a', group: 'wg1' }));

const ISTIO = '/apis/networking.istio.io/v1';
const WE_A = `${ISTIO}/namespaces/a/workloadentries`;
const missing: ObjectOwner = { exists: false };
const mine: ObjectOwner = { exists: true, registeredBy: 'reg001' };
const theirs: ObjectOwner = { exists: true, registeredBy: 'other1' };
const byHand: ObjectOwner = { exists: true };

describe('authorize', () => {
  it.each<[string, Principal, string, string, ObjectOwner, boolean]>([
    ['anyone reads /healthz', anonymous, 'GET', '/healthz', missing, true],
    ['anyone opens Swagger UI', anonymous, 'GET', '/docs/swagger-ui.css', missing, true],
    ['anonymous callers get no discovery', anonymous, 'GET', '/apis', missing, false],
    ['anonymous callers read nothing', anonymous, 'GET', WE_A, missing, false],
    ['every token reads discovery', registrar, 'GET', '/apis/networking.istio.io/v1', missing, true],
    ['every token reads OpenAPI', registrar, 'GET', '/openapi/v3/apis/networking.istio.io/v1', missing, true],
    ['every token asks what it may do', registrar, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', missing, true],
    ['every token asks who it is', registrar, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', missing, true],
    ['a viewer gets', viewer, 'GET', `${WE_A}/vm-1`, missing, true],
    ['a viewer lists across namespaces', viewer, 'GET', `${ISTIO}/workloadentries`, missing, true],
    ['a viewer watches', viewer, 'GET', `${WE_A}?watch=true`, missing, true],
    ['a viewer lists namespaces', viewer, 'GET', '/api/v1/namespaces', missing, true],
    ['a viewer scrapes /metrics', viewer, 'GET', '/metrics', missing, true],
    ['a viewer does not create', viewer, 'POST', WE_A, missing, false],
    ['a viewer does not patch status', viewer, 'PATCH', `${WE_A}/vm-1/status`, missing, false],
    ['a viewer does not read the audit trail', viewer, 'GET', '/registry/v1/audit', missing, false],
    ['a viewer creates no tokens', viewer, 'POST', '/apis/registry.mesh.io/v1alpha1/tokens', missing, false],
    ['an editor of a writes in a', editorA, 'POST', WE_A, missing, true],
    ['an editor of a deletes a collection in a', editorA, 'DELETE', `${WE_A}?labelSelector=x`, missing, true],
    ['an editor of a patches status in a', editorA, 'PATCH', `${WE_A}/vm-1/status`, missing, true],
    ['an editor of a registers in a', editorA, 'POST', `${ISTIO}/namespaces/a/workloadgroups/wg1/register`, missing, true],
    ['an editor of a makes registration tokens in a', editorA, 'POST', '/apis/registry.mesh.io/v1alpha1/namespaces/a/registrationtokens', missing, true],
    ['an editor of a does not write in b', editorA, 'POST', `${ISTIO}/namespaces/b/workloadentries`, missing, false],
    ['an editor of a does not list cluster-wide', editorA, 'GET', `${ISTIO}/workloadentries`, missing, false],
    ['an editor of a makes no tokens', editorA, 'POST', '/apis/registry.mesh.io/v1alpha1/tokens', missing, false],
    ['an admin reads the audit trail', admin, 'GET', '/registry/v1/audit', missing, true],
    ['an admin makes tokens', admin, 'POST', '/apis/registry.mesh.io/v1alpha1/tokens', missing, true],
    ['a registrar reads its group (the probe the boot kit runs)', registrar, 'GET', `${ISTIO}/namespaces/a/workloadgroups/wg1`, missing, true],
    ['a registrar does not read another group', registrar, 'GET', `${ISTIO}/namespaces/a/workloadgroups/wg2`, missing, false],
    ['a registrar does not list groups', registrar, 'GET', `${ISTIO}/namespaces/a/workloadgroups`, missing, false],
    ['a registrar does not change its group', registrar, 'PUT', `${ISTIO}/namespaces/a/workloadgroups/wg1`, missing, false],
    ['a registrar registers into its group', registrar, 'POST', `${ISTIO}/namespaces/a/workloadgroups/wg1/register`, missing, true],
    ['a registrar does not register into another group', registrar, 'POST', `${ISTIO}/namespaces/a/workloadgroups/wg2/register`, missing, false],
    ['a registrar does not register in another namespace', registrar, 'POST', `${ISTIO}/namespaces/b/workloadgroups/wg1/register`, missing, false],
    ['a registrar heartbeats its own entry', registrar, 'POST', `${WE_A}/wg1-10.0.0.5/heartbeat`, mine, true],
    ['a registrar heartbeats a missing entry (the handler answers 404)', registrar, 'POST', `${WE_A}/gone/heartbeat`, missing, true],
    ['a registrar does not heartbeat another token’s entry', registrar, 'POST', `${WE_A}/wg1-10.0.0.6/heartbeat`, theirs, false],
    ['a registrar does not heartbeat an entry made by hand', registrar, 'POST', `${WE_A}/vm-1/heartbeat`, byHand, false],
    ['a registrar deletes its own entry', registrar, 'DELETE', `${WE_A}/wg1-10.0.0.5`, mine, true],
    ['a registrar does not delete another token’s entry', registrar, 'DELETE', `${WE_A}/wg1-10.0.0.6`, theirs, false],
    ['a registrar deletes no collection', registrar, 'DELETE', WE_A, missing, false],
    ['a registrar renews its own lease', registrar, 'PATCH', '/apis/coordination.k8s.io/v1/namespaces/a/leases/wg1-10.0.0.5', mine, true],
    ['a registrar does not renew another token’s lease', registrar, 'PATCH', '/apis/coordination.k8s.io/v1/namespaces/a/leases/wg1-10.0.0.6', theirs, false],
    ['a registrar does not update its entry', registrar, 'PUT', `${WE_A}/wg1-10.0.0.5`, mine, false],
    ['a registrar does not read ServiceEntries', registrar, 'GET', `${ISTIO}/namespaces/a/serviceentries/details`, missing, false],
    ['a registrar does not list its namespace', registrar, 'GET', WE_A, missing, false],
    ['a registrar does not scrape /metrics', registrar, 'GET', '/metrics', missing, false],
  ])('%s', (_title, principal, method, url, owner, allowed) => {
    expect(authorize(principal, requestAttributes(method, url), () => owner).allowed).toBe(allowed);
  });

  it('says why a registrar may not touch an entry it did not register', () => {
    expect(authorize(registrar, requestAttributes('DELETE', `${WE_A}/x`), () => theirs)).toEqual({
      allowed: false, reason: 'a registration token may only act on the entries it registered',
    });
  });
});

describe('forbidden (the apiserver’s wording)', () => {
  it.each([
    ['POST', WE_A, 'workloadentries.networking.istio.io is forbidden: User "viewer" cannot create resource "workloadentries" in API group "networking.istio.io" in the namespace "a"', { group: 'networking.istio.io', kind: 'workloadentries', name: '' }],
    ['DELETE', `${WE_A}/vm-1`, 'workloadentries.networking.istio.io "vm-1" is forbidden: User "viewer" cannot delete resource "workloadentries" in API group "networking.istio.io" in the namespace "a"', { name: 'vm-1' }],
    ['PUT', `${WE_A}/vm-1/status`, 'workloadentries.networking.istio.io "vm-1" is forbidden: User "viewer" cannot update resource "workloadentries/status" in API group "networking.istio.io" in the namespace "a"', { name: 'vm-1' }],
    ['DELETE', `${ISTIO}/serviceentries`, 'serviceentries.networking.istio.io is forbidden: User "viewer" cannot deletecollection resource "serviceentries" in API group "networking.istio.io" at the cluster scope', {}],
    ['POST', '/api/v1/namespaces', 'namespaces is forbidden: User "viewer" cannot create resource "namespaces" in API group "" at the cluster scope', { kind: 'namespaces' }],
    ['GET', '/registry/v1/audit', 'forbidden: User "viewer" cannot get path "/registry/v1/audit"', {}],
  ])('%s %s', (method, url, message, details) => {
    const { status } = forbidden(viewer, requestAttributes(method, url));
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', code: 403, reason: 'Forbidden', message, details });
  });

  it('adds the reason after the message', () => {
    expect(forbidden(registrar, requestAttributes('DELETE', `${WE_A}/x`), 'why').message).toMatch(/in the namespace "a": why$/);
  });
});
