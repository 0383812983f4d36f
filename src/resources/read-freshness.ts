import { ChangeFeed } from '../cache/change-feed.service';
import { apiErrors } from '../common/status';
import { Freshness } from './request-options';

/** How long a read waits for this replica's cache to become as fresh as it asks. */
export const FRESHNESS_WAIT_MS = 3000;

/**
 * Waits until the cache may answer a read of the given freshness, or fails as the apiserver does: a
 * revision the cache does not reach in time is a 504 `Too large resource version`; an Exact revision
 * the cache has moved past is a 410 (the cache holds only the current state).
 */
export async function awaitFreshness(feed: ChangeFeed, freshness: Freshness): Promise<void> {
  switch (freshness.kind) {
    case 'any':
      return;
    case 'latest':
      if (!(await feed.sync(FRESHNESS_WAIT_MS))) throw apiErrors.resourceVersionTooLarge('the newest revision', feed.resourceVersion);
      return;
    case 'notOlderThan':
    case 'exact':
      if (!(await feed.waitFor(freshness.revision, FRESHNESS_WAIT_MS))) {
        throw apiErrors.resourceVersionTooLarge(freshness.revision.toString(), feed.resourceVersion);
      }
      if (freshness.kind === 'exact' && feed.resourceVersion !== freshness.revision.toString()) {
        throw apiErrors.gone(`too old resource version: ${freshness.revision} (${feed.resourceVersion})`);
      }
  }
}
