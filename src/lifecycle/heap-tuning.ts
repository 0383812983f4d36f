import { setFlagsFromString } from 'node:v8';

/**
 * No allocation-site pretenuring: under heartbeat load V8 took request objects that wait a few ms for their
 * batched commit for long-lived and allocated them in the old generation, and the full collections that
 * followed were the heartbeats' p99 (BENCHMARKS.md, "What moved the tail"). Imported first by main.ts; the
 * flag decides only where objects allocated after it are placed.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
