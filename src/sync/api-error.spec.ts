import { callError } from './api-error';

describe('callError', () => {
  it.each<[string, unknown, object]>([
    ['a Status from CustomObjectsApi', { code: 409, body: { kind: 'Status', reason: 'AlreadyExists', message: 'workloadentries "a" already exists' } }, { code: 409, reason: 'AlreadyExists', message: 'workloadentries "a" already exists', transient: false }],
    ['a Status body as text', { code: 422, body: '{"reason":"Invalid","message":"spec.address: Invalid value"}' }, { code: 422, reason: 'Invalid', transient: false }],
    ['a 401 without a body', { code: 401, body: undefined, message: 'HTTP-Code: 401\nMessage: Unauthorized\nHeaders: {"www-authenticate":"Bearer"}' }, { code: 401, message: 'HTTP 401', transient: false }],
    ['a watch refused with 403', { statusCode: 403, message: 'Forbidden' }, { code: 403, message: 'Forbidden', transient: false }],
    ['429 and 5xx: the server, not the object', { code: 503, body: { message: 'database unavailable' } }, { code: 503, transient: true }],
    ['a refused connection', Object.assign(new Error('request to https://c:6443/apis failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { transient: true, message: expect.stringMatching(/^ECONNREFUSED: /) }],
    ['a call that timed out', Object.assign(new Error('list workloadentries: no answer within 15 s'), { name: 'CallTimeout' }), { transient: true, message: 'CallTimeout: list workloadentries: no answer within 15 s' }],
  ])('%s', (_what, error, expected) => expect(callError(error)).toMatchObject(expected));

  it('never repeats the response headers an ApiException carries in its message', () => {
    expect(callError({ code: 500, body: undefined, message: 'HTTP-Code: 500\nHeaders: {"set-cookie":"x"}' }).message).toBe('HTTP 500');
  });
});
