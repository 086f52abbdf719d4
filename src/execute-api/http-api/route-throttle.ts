// HTTP API throttling: a stage's DefaultRouteSettings and RouteSettings ({routeKey: settings})
// limit each route with a token bucket (a route's own setting wins, member by member, over the
// stage's default; AWS's account-level limits are not enforced, as for REST APIs). A request over
// the limit is answered 429 {"message":"Too Many Requests"} before its authorizer or integration.
//
// Stage records are replaced, never mutated, when the stage changes (the runtime reloads the API),
// so buckets are kept per stage record: a change starts fresh buckets on the next request. Counts
// live in this server process, like REST APIs' method throttles.
import type { HttpStageRecord } from '../../store/httpapi-store.js';
import { throttleLimits } from '../method-throttle.js';
import { TokenBucket } from '../token-bucket.js';

export class RouteThrottle {
  readonly #now: () => number;
  /** By stage record, then route key; null when the route is not throttled. */
  readonly #buckets = new WeakMap<HttpStageRecord, Map<string, TokenBucket | null>>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Takes a token for `routeKey` on `stage`; false when the request is to be throttled. */
  admit(stage: HttpStageRecord, routeKey: string): boolean {
    let routes = this.#buckets.get(stage);
    if (!routes) this.#buckets.set(stage, (routes = new Map()));
    let bucket = routes.get(routeKey);
    const now = this.#now();
    if (bucket === undefined) {
      const own = stage.routeSettings[routeKey];
      const base = stage.defaultRouteSettings;
      const limits = throttleLimits({
        throttlingRateLimit: own?.throttlingRateLimit ?? base.throttlingRateLimit,
        throttlingBurstLimit: own?.throttlingBurstLimit ?? base.throttlingBurstLimit,
      });
      bucket = limits ? new TokenBucket(limits.rate, limits.burst, now) : null;
      routes.set(routeKey, bucket);
    }
    return bucket === null || bucket.take(now);
  }
}
