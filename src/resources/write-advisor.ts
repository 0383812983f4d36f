import { KubeObject } from '../common/kube-object';
import type { TimeSlice } from '../common/time-slice';

/**
 * Something that looks at a candidate object before it is stored and says what might be wrong with it
 * in the wider registry: never blocking, its findings go back as Warning headers.
 */
export interface WriteAdvisor {
  advise(candidate: KubeObject): string[];
  /**
   * Each candidate's findings as if all of them were stored at once (an import's view of the registry
   * after it), yielding to the event loop as `slice` says.
   */
  adviseTogether(candidates: readonly KubeObject[], slice?: TimeSlice): Promise<string[][]>;
}

export const WRITE_ADVISOR = Symbol('WRITE_ADVISOR');

/** For the registry's own status writes (health, expiry): spec advice is not theirs to act on. */
export const NO_ADVICE: WriteAdvisor = { advise: () => [], adviseTogether: async (candidates) => candidates.map(() => []) };
