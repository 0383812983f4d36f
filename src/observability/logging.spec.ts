import { requestFields } from './logging';

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
