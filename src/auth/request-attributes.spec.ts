import { requestAttributes } from './request-attributes';

const WE = '/apis/networking.istio.io/v1/namespaces/bookinfo/workloadentries';

describe('requestAttributes (the apiserver RequestInfoFactory rules)', () => {
  it.each([
    ['GET', `${WE}/vm-1`, { verb: 'get', apiGroup: 'networking.istio.io', apiVersion: 'v1', resource: 'workloadentries', namespace: 'bookinfo', name: 'vm-1', subresource: '' }],
    ['HEAD', `${WE}/vm-1`, { verb: 'get', name: 'vm-1' }],
    ['GET', WE, { verb: 'list', name: '', namespace: 'bookinfo' }],
    ['GET', `${WE}?watch=true&resourceVersion=5`, { verb: 'watch' }],
    ['GET', `${WE}?watch=1`, { verb: 'watch' }],
    ['GET', `${WE}?watch=false`, { verb: 'list' }],
    ['GET', `${WE}?fieldSelector=metadata.name%3Dvm-1&watch=true`, { verb: 'watch', name: 'vm-1' }],
    ['GET', `${WE}?fieldSelector=metadata.name%3D%3Dvm-1`, { verb: 'list', name: 'vm-1' }],
    ['GET', `${WE}?fieldSelector=metadata.name!%3Dvm-1`, { verb: 'list', name: '' }],
    ['GET', '/apis/networking.istio.io/v1/workloadentries', { verb: 'list', namespace: '', resource: 'workloadentries' }],
    ['POST', WE, { verb: 'create', name: '' }],
    ['PUT', `${WE}/vm-1`, { verb: 'update' }],
    ['PATCH', `${WE}/vm-1/status`, { verb: 'patch', subresource: 'status' }],
    ['DELETE', `${WE}/vm-1`, { verb: 'delete' }],
    ['DELETE', `${WE}?labelSelector=app%3Dx`, { verb: 'deletecollection' }],
    ['POST', '/apis/networking.istio.io/v1/namespaces/bookinfo/workloadgroups/details/register', { verb: 'create', resource: 'workloadgroups', name: 'details', subresource: 'register' }],
    ['POST', `${WE}/vm-1/heartbeat`, { verb: 'create', resource: 'workloadentries', subresource: 'heartbeat' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', apiGroup: '', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/bookinfo', { verb: 'get', resource: 'namespaces', namespace: 'bookinfo', name: 'bookinfo' }],
    ['PUT', '/api/v1/namespaces/bookinfo/status', { verb: 'update', resource: 'namespaces', name: 'bookinfo', subresource: 'status' }],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }],
    ['GET', '/apis/networking.istio.io/v1/namespaces/a%62/workloadentries', { namespace: 'ab' }],
    ['GET', '//apis/networking.istio.io/v1/namespaces/bookinfo/workloadentries/vm-1', { verb: 'get', resource: 'workloadentries', name: 'vm-1' }],
    ['GET', '/%61pis/networking.istio.io/v1/namespaces/bookinfo/workloadentries', { verb: 'list', resource: 'workloadentries' }],
    ['DELETE', '/%61pi/v1/namespaces/bookinfo', { verb: 'delete', resource: 'namespaces', name: 'bookinfo' }],
  ])('%s %s', (method, url, expected) => {
    expect(requestAttributes(method, url)).toMatchObject({ resourceRequest: true, ...expected });
  });

  it.each([
    ['GET', '/healthz', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/apis/networking.istio.io', 'get'],
    ['GET', '/apis/networking.istio.io/v1', 'get'],
    ['GET', '/openapi/v3/apis/networking.istio.io/v1?hash=x', 'get'],
    ['POST', '/registry/v1/import', 'create'],
    ['OPTIONS', '/docs', 'options'],
    ['GET', '/apis/x/v1/namespaces/%zz/workloadentries', 'get'],
    ['GET', '/registry/v1/resolve?host=a.example.com', 'get'],
    ['GET', '/apisx/networking.istio.io/v1/namespaces/b/workloadentries', 'get'],
    ['GET', '/version', 'get'],
  ])('%s %s is a non-resource request', (method, url, verb) => {
    expect(requestAttributes(method, url)).toMatchObject({ resourceRequest: false, verb, path: url.split('?')[0] });
  });
});
