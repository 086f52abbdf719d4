// Usage-plan limits for requests admitted with an API key, per plan and key: the plan's throttle
// as a token bucket (burstLimit tokens, refilled at rateLimit per second; 429 Too Many Requests)
// and its quota as requests per calendar DAY, WEEK or MONTH in UTC (429 Limit Exceeded). Counts
// live in this server process, like the authorizer cache: a restart starts them afresh, and in a
// cluster each node counts only what it serves.
import type { PlanLimits } from '../apigateway/api-key-runtime.js';
import { GatewayError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

/** The start (epoch ms, UTC) of the quota period containing `now`; weeks start on Monday. */
export function periodStart(period: 'DAY' | 'WEEK' | 'MONTH', now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
}

export class UsageMeter {
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #quotas = new Map<string, { start: number; used: number }>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Counts one request of `keyId` under its plan, or throws AWS's 429 when a limit is reached. */
  charge(plan: PlanLimits, keyId: string): void {
    const id = `${plan.planId}/${keyId}`;
    const now = this.#now();
    const { throttle, quota } = plan;
    if (throttle && (throttle.rateLimit !== undefined || throttle.burstLimit !== undefined)) {
      const rate = throttle.rateLimit ?? Infinity;
      const burst = throttle.burstLimit ?? Math.max(1, Math.ceil(rate));
      let bucket = this.#buckets.get(id);
      // A plan whose throttle changed starts a fresh bucket with the new limits.
      if (!bucket || bucket.rate !== rate || bucket.burst !== burst) this.#buckets.set(id, (bucket = new TokenBucket(rate, burst, now)));
      if (!bucket.take(now)) throw new GatewayError('THROTTLED', `Usage plan ${plan.planId} throttled API key ${keyId}`);
    }
    if (quota?.limit !== undefined && quota.period) {
      const start = periodStart(quota.period, now);
      let count = this.#quotas.get(id);
      if (!count || count.start !== start) this.#quotas.set(id, (count = { start, used: 0 }));
      if (count.used >= quota.limit) throw new GatewayError('QUOTA_EXCEEDED', `API key ${keyId} used its ${quota.period} quota of ${quota.limit} in usage plan ${plan.planId}`);
      count.used++;
    }
  }
}
