import { isDatabaseUnavailable } from './database-errors';

describe('isDatabaseUnavailable', () => {
  const prisma = (code: string, kind?: string) =>
    Object.assign(new Error('prisma'), { name: 'PrismaClientKnownRequestError', code, meta: kind ? { driverAdapterError: { cause: { kind } } } : undefined });
  it.each<[string, unknown, boolean]>([
    ["Prisma can't reach the server", prisma('P1001', 'DatabaseNotReachable'), true],
    ['Prisma pool timeout', prisma('P2024'), true],
    ['an adapter ConnectionClosed under another code', prisma('P2010', 'ConnectionClosed'), true],
    ['pg refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    ['pg admin shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
    ['pg connection terminated', new Error('Connection terminated unexpectedly'), true],
    ['wrapped in a cause', new Error('outer', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }), true],
    ['a unique violation', prisma('P2002'), false],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' }), false],
    ['a plain bug', new TypeError('x is undefined'), false],
    ['nothing', undefined, false],
  ])('%s', (_title, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
