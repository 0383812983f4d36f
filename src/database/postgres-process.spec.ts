import { lastLines } from './postgres-process';

describe('lastLines', () => {
  const portTaken = [
    '2026-12-01 10:20:10.475 UTC [20700] LOG:  starting PostgreSQL 18.4 on x86_64-pc-linux-gnu',
    '2026-12-01 10:20:10.475 UTC [20700] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
    '2026-12-01 10:20:10.475 UTC [20700] HINT:  Is another postmaster already running on port 5432?',
    '2026-12-01 10:20:10.475 UTC [20700] FATAL:  could not create any TCP/IP sockets',
    '2026-12-01 10:20:10.478 UTC [20700] LOG:  database system is shut down',
    '',
  ].join('\n');

  it.each([
    ['a server log: routine lines and timestamps dropped', portTaken,
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use / HINT:  Is another postmaster already running on port 5432? / FATAL:  could not create any TCP/IP sockets'],
    ['initdb output: the last lines', 'The files belonging to this database system will be owned by user "postgres".\ninitdb: error: directory "/x" exists but is not empty\n',
      'The files belonging to this database system will be owned by user "postgres". / initdb: error: directory "/x" exists but is not empty'],
    ['nothing', '\n', 'no output'],
  ])('%s', (_case, text, expected) => {
    expect(lastLines(text)).toBe(expected);
  });
});
