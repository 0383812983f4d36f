import { ResolveQueryDto } from './dto/resolve-query.dto';
import { questionKey } from './resolve.service';

const question = (fields: Partial<ResolveQueryDto>): ResolveQueryDto => Object.assign(new ResolveQueryDto(), { host: 'a.example.com', ...fields });

describe('questionKey', () => {
  it.each<[string, Partial<ResolveQueryDto>, Partial<ResolveQueryDto>]>([
    ['a host alone and the host with a port', {}, { port: '80' }],
    ['two namespaces', { namespace: 'a' }, { namespace: 'b' }],
    ['a host alone and includeUnhealthy', {}, { includeUnhealthy: true }],
    ['a host alone and explain', {}, { explain: true }],
    ['two localities', { locality: 'r1' }, { locality: 'r2' }],
    ['a network and none', { network: 'n1' }, {}],
    ['two hosts', {}, { host: 'b.example.com' }],
    ['a port by number and by name', { port: '80' }, { port: 'http' }],
  ])('tells apart %s', (_case, a, b) => {
    expect(questionKey(question(a))).not.toBe(questionKey(question(b)));
  });

  it.each<[string, Partial<ResolveQueryDto>, Partial<ResolveQueryDto>]>([
    ['false flags and no flags', { includeUnhealthy: false, explain: false }, {}],
    ['the same fields', { namespace: 'a', port: '80' }, { port: '80', namespace: 'a' }],
  ])('keys alike %s', (_case, a, b) => {
    expect(questionKey(question(a))).toBe(questionKey(question(b)));
  });

  it('keys a host alone by the host, which no other key can equal', () => {
    expect(questionKey(question({}))).toBe('a.example.com');
    expect(questionKey(question({ namespace: 'a' })).startsWith('[')).toBe(true);
  });
});
