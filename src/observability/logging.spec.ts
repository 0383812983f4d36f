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
  it.each<[number, string | undefined, string]>([
    [200, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name', 'info'],
    [201, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadgroups/:name/register', 'info'],
    [200, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name/heartbeat', 'debug'],
    [404, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name/heartbeat', 'warn'],
    [429, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name/heartbeat', 'warn'],
    [503, '/apis/networking.istio.io/v1/namespaces/:namespace/workloadentries/:name/heartbeat', 'error'],
    [404, undefined, 'warn'],
    [500, '/registry/v1/resolve', 'error'],
  ])('answers %d on %s at %s', (status, route, level) => {
    expect(requestLogLevel(status, route)).toBe(level);
  });
});
