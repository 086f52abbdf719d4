// Stage and method throttling (UpdateStage's /{resourcePath}/{httpMethod}/throttling/* and
// "*/*" for every method of the stage): a token bucket per stage and method, as AWS applies
// per-stage limits at the method level — "*/*" gives each method its own bucket with the stage's
// limits, and a method's own setting wins over "*/*". A request over the limit is the THROTTLED
// gateway response (429 Too Many Requests).
//
// Settings are read live from the resolved stage, whose methodSettings object is replaced (never
// mutated) whenever the stage changes; the compiled table is keyed by that object, so a change
// takes effect on the next request and starts fresh buckets. Buckets are keyed by the frozen
// method record of the deployment being served, so the hot path is two WeakMap lookups and no
// allocation. Counts live in this server process, like the usage-plan meter.
import type { MethodSetting } from '../aws/generated/apigateway.js';
import type { MethodRecord, SnapshotResource } from '../apigateway/stage-runtime.js';
import { GatewayError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

/** AWS's account-level defaults, which every method setting starts from: not enforced here (see docs/compatibility.md). */
const DEFAULT_RATE = 10000;
const DEFAULT_BURST = 5000;

/** The methodSettings key AWS uses for a method: its resource path with "/" escaped as "~1", then the HTTP method. */
export const methodSettingKey = (resourcePath: string, httpMethod: string): string => `${resourcePath.replaceAll('/', '~1')}/${httpMethod}`;

/** The rate and burst a setting asks for, or undefined when it does not throttle below AWS's account defaults. */
export function throttleLimits(setting: Readonly<MethodSetting> | undefined): { rate: number; burst: number } | undefined {
  if (!setting) return undefined;
  const rate = setting.throttlingRateLimit ?? DEFAULT_RATE;
  const burst = setting.throttlingBurstLimit ?? DEFAULT_BURST;
  if (rate >= DEFAULT_RATE && burst >= DEFAULT_BURST) return undefined;
  return { rate, burst };
}

/** One stage's settings, compiled: the bucket of each method seen so far (null: not throttled). */
class StageTable {
  readonly #buckets = new WeakMap<MethodRecord, TokenBucket | null>();
  constructor(readonly settings: Readonly<Record<string, MethodSetting>>) {}

  bucketFor(resource: SnapshotResource, method: MethodRecord, now: number): TokenBucket | null {
    let bucket = this.#buckets.get(method);
    if (bucket === undefined) {
      const limits = throttleLimits(this.settings[methodSettingKey(resource.path, method.httpMethod)] ?? this.settings['*/*']);
      bucket = limits ? new TokenBucket(limits.rate, limits.burst, now) : null;
      this.#buckets.set(method, bucket);
    }
    return bucket;
  }
}

export class MethodThrottle {
  readonly #now: () => number;
  /** By the stage's methodSettings object; null when no setting of the stage throttles. */
  readonly #tables = new WeakMap<object, StageTable | null>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Takes a token for this method of this stage, or throws AWS's 429 THROTTLED. */
  admit(settings: Readonly<Record<string, MethodSetting>>, resource: SnapshotResource, method: MethodRecord): void {
    let table = this.#tables.get(settings);
    if (table === undefined) {
      table = Object.values(settings).some((s) => throttleLimits(s)) ? new StageTable(settings) : null;
      this.#tables.set(settings, table);
    }
    if (table === null) return;
    const now = this.#now();
    const bucket = table.bucketFor(resource, method, now);
    if (bucket && !bucket.take(now)) throw new GatewayError('THROTTLED', `Method ${method.httpMethod} ${resource.path} throttled by the stage's method settings`);
  }
}
