import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring, before the application allocates anything of note.
 *
 * Under load V8 watched the request path's objects (headers, responses, pending renewals) survive a
 * scavenge while they waited a few milliseconds for the database, and began allocating them straight
 * in the old generation: at 10,000 heartbeats/s the old generation grew 28–45 MB/s of garbage, a full
 * mark-compact of the 200 MB cache came every 13 s, and each one put 100–300 ms on the heartbeats' p99.
 * Without pretenuring those objects die young: growth fell to 4–8 MB/s, scavenges from 5 ms to 2 ms,
 * and p99 at 10,000/s from 106–158 ms to 7–19 ms (BENCHMARKS.md). The flag only changes where new
 * objects are placed, so setting it at start-up, before any request, is safe; it is imported first.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
