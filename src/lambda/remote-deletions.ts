// In a cluster, a function deleted through another node: this node stops its environments of it,
// as DeleteFunction does on the node that served it (the change feed already drops the function
// from this node's cache, so invocations answer 404 at once).
import type { ChangeFeed } from '../store/change-feed.js';
import type { FunctionKey, LambdaStore } from '../store/lambda-store.js';
import { logger } from '../core/logger.js';
import { environmentKeyPrefix } from './function-spec.js';

export function stopEnvironmentsOfRemoteDeletions(feed: ChangeFeed, store: Pick<LambdaStore, 'getFunction'>, executor: { evict(keyPrefix: string): void }): void {
  feed.subscribe('lambda', (message) => {
    const key = message as FunctionKey;
    store.getFunction(key).then((fn) => {
      if (!fn) executor.evict(environmentKeyPrefix(key));
    }, (e: Error) => logger.warn('could not check a function changed on another node', { name: key.name, error: e.message }));
  }, () => undefined);
}
