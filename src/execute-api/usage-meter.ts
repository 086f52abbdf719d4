// Usage-plan limits for requests admitted with an API key, per plan and key: the plan's throttle
// as a token bucket (burstLimit tokens, refilled at rateLimit per second; 429 Too Many Requests),
// or a method's own throttle in the plan (apiStages[].throttle) as that method's bucket,
// and its quota as requests per calendar DAY, WEEK or MONTH in UTC (429 Limit Exceeded). Quota
// counts are kept in the store (usage-counts.ts: they survive restarts and are shared by a
// cluster's nodes); throttle buckets live in this server process, so in a cluster each node
// throttles what it serves.
import type { PlanLimits } from '../apigateway/api-key-runtime.js';
import type { UsageCounts } from '../apigateway/usage-counts.js';
import { quotaAt } from '../apigateway/usage-periods.js';
import { GatewayError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

export class UsageMeter {
  readonly #counts?: UsageCounts;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();

  /** Without `counts`, quotas are not enforced (throttles still are). */
  constructor(counts?: UsageCounts, now: () => number = Date.now) {
    this.#counts = counts;
    this.#now = now;
  }

  /**
   * Counts one request of `keyId` under its plan, or throws AWS's 429 when a limit is reached. A
   * method the plan throttles on its own (`method`, "/{resourcePath}/{httpMethod}") has its own
   * bucket with that throttle, in place of the plan's.
   */
  charge(plan: PlanLimits, keyId: string, method?: string): void | Promise<void> {
    const now = this.#now();
    const own = method === undefined ? undefined : plan.methodThrottles?.[method];
    const throttle = own ?? plan.throttle;
    if (throttle && (throttle.rateLimit !== undefined || throttle.burstLimit !== undefined)) {
      const id = own ? `${plan.planId}/${keyId}/${method}` : `${plan.planId}/${keyId}`;
      const rate = throttle.rateLimit ?? Infinity;
      const burst = throttle.burstLimit ?? Math.max(1, Math.ceil(rate));
      let bucket = this.#buckets.get(id);
      // A plan whose throttle changed starts a fresh bucket with the new limits.
      if (!bucket || bucket.rate !== rate || bucket.burst !== burst) this.#buckets.set(id, (bucket = new TokenBucket(rate, burst, now)));
      if (!bucket.take(now)) throw new GatewayError('THROTTLED', `Usage plan ${plan.planId} throttled API key ${keyId}`);
    }
    const quota = quotaAt(plan.quota, plan.createdDate, now);
    if (!quota || !this.#counts) return;
    const refuse = () => new GatewayError('QUOTA_EXCEEDED', `API key ${keyId} used its ${quota.period} quota of ${quota.limit} in usage plan ${plan.planId}`);
    const taken = this.#counts.take(plan.planId, keyId, quota);
    if (taken === false) throw refuse();
    if (taken !== true) {
      return taken.then((ok) => {
        if (!ok) throw refuse();
      });
    }
  }
}
