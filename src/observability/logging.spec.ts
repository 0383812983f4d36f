import { requestFields, requestLogLevel } from './logging';

describe(requestFields.name, () => {
  it.each([
    ['the request log’s own fields', { method: 'GET', url: '/healthz', route: '/healthz', remoteAddress: '127.0.0.1' }, { method: 'GET', url: '/healthz', route: '/healthz', remoteAddress: '127.0.0.1' }],
    ['a raw request with its headers', { method: 'POST', url: '/x', headers: { authorization: 'Bearer mr_abcdef.secret', cookie: 'c=1' }, socket: {} },
      { method: 'POST', url: '/x', route: undefined, remoteAddress: undefined }],
    ['nothing', {}, { method: undefined, url: undefined, route: undefined, remoteAddress: undefined }],
  ])('keeps only method, url, route and address of %s', (_, req, expected) => {
    expect(requestFields(req)).toStrictEqual(expected);
    expect(JSON.stringify(requestFields(req))).not.toMatch(/secret|cookie|authorization/i);
  });
});

describe(requestLogLevel.name, () => {
  const ENTRY = '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name';
  it.each<[string, number, string | undefined, string]>([
    ['GET', 200, ENTRY, 'debug'],
    ['HEAD', 200, ENTRY, 'debug'],
    ['GET', 200, '/registry/v1/resolve', 'debug'],
    ['POST', 201, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries', 'info'],
    ['PUT', 200, ENTRY, 'info'],
    ['DELETE', 200, ENTRY, 'info'],
    ['POST', 201, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadgroups/:name/register', 'info'],
    ['POST', 200, `${ENTRY}/heartbeat`, 'debug'],
    ['PUT', 200, `${ENTRY}/heartbeat`, 'debug'],
    ['POST', 404, `${ENTRY}/heartbeat`, 'warn'],
    ['POST', 429, `${ENTRY}/heartbeat`, 'warn'],
    ['GET', 403, ENTRY, 'warn'],
    ['POST', 503, `${ENTRY}/heartbeat`, 'error'],
    ['GET', 200, '/apis/registry.mesh.io/v1alpha1/tokens', 'info'],
    ['GET', 200, '/apis/registry.mesh.io/v1alpha1/namespaces/:namespace/registrationtokens/:name', 'info'],
    ['GET', 200, '/registry/v1/audit', 'info'],
    ['GET', 404, undefined, 'warn'],
    ['GET', 500, '/registry/v1/resolve', 'error'],
  ])('answers %s %d on %s at %s', (method, status, route, level) => {
    expect(requestLogLevel(method, status, route)).toBe(level);
  });
});
