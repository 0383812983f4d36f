import { Writable } from 'node:stream';
import pino from 'pino';
import { nestLogLine, NestPinoLogger } from './nest-logger';

const STACK = 'Error: boom\n    at bootstrap (main.ts:1:1)';

describe('nestLogLine', () => {
  it.each([
    ['a message', [], { fields: {}, msg: 'a message' }],
    ['a message with its context', ['Database'], { fields: { context: 'Database' }, msg: 'a message with its context' }],
    ['extras before the context are not the context', ['extra', 'Database'], { fields: { context: 'Database' }, msg: 'extras before the context are not the context' }],
    [{ port: 5432 }, ['Database'], { fields: { context: 'Database', port: 5432 } }],
  ])('%j %j', (message, params, expected) => {
    expect(nestLogLine(message, params)).toEqual(expected);
  });

  it('keeps an Error as err', () => {
    const error = new Error('boom');
    expect(nestLogLine(error, ['Bootstrap'])).toEqual({ fields: { context: 'Bootstrap', err: error } });
  });

  it("turns Nest's error(message, stack, context) into an err with that stack", () => {
    const { fields, msg } = nestLogLine('boom', [STACK, 'ExceptionHandler']);
    expect(msg).toBeUndefined();
    expect(fields.context).toBe('ExceptionHandler');
    expect(fields.err).toMatchObject({ message: 'boom', stack: STACK });
  });
});

describe('NestPinoLogger', () => {
  it.each([
    ['log', 30],
    ['warn', 40],
    ['error', 50],
    ['fatal', 60],
    ['debug', 20],
    ['verbose', 10],
  ] as const)('writes %s as one JSON line at pino level %i', (method, level) => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    new NestPinoLogger(pino({ level: 'trace' }, sink))[method]('hello', 'Database');
    expect(JSON.parse(lines[0])).toMatchObject({ level, context: 'Database', msg: 'hello' });
  });
});
