// HTTP/S delivery policies: a topic's `{"http": {"defaultHealthyRetryPolicy": …,
// "disableSubscriptionOverrides": …}}` and a subscription's `{"healthyRetryPolicy": …}`, checked
// as AWS checks them, merged (the subscription's overrides the topic's unless the topic disables
// overrides) and turned into the waits before each retry by AWS's four phases: immediate retries,
// pre-backoff retries at minDelayTarget, backoff retries from min to max by backoffFunction, and
// post-backoff retries at maxDelayTarget.
import type { StoredSubscription, StoredTopic } from '../store/sns-store.js';
import { invalidParameter } from './errors.js';

export interface HealthyRetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: BackoffFunction;
}

type BackoffFunction = 'linear' | 'arithmetic' | 'geometric' | 'exponential';
const BACKOFF_FUNCTIONS = new Set<string>(['linear', 'arithmetic', 'geometric', 'exponential']);

/** AWS's default for HTTP/S endpoints: 3 retries, 20 seconds apart. */
export const DEFAULT_HTTP_DELIVERY_POLICY: HealthyRetryPolicy = {
  minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear',
};

/** AWS's limits on a healthy retry policy's numbers (delays in seconds). */
const LIMITS: Record<Exclude<keyof HealthyRetryPolicy, 'backoffFunction'>, [number, number]> = {
  minDelayTarget: [1, 3600], maxDelayTarget: [1, 3600], numRetries: [0, 100],
  numNoDelayRetries: [0, 100], numMinDelayRetries: [0, 100], numMaxDelayRetries: [0, 100],
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const fail = (what: string) => invalidParameter(`Attributes Reason: DeliveryPolicy: ${what}`);

/** Checks `policy.<at>` (a healthy retry policy, or null/absent); throws AWS's InvalidParameter. */
function checkRetryPolicy(value: unknown, at: string): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw fail(`${at} must be an object`);
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const n = value[name];
    if (n === undefined || n === null) continue;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw fail(`${at}.${name} must be an integer`);
    if (n < min) throw fail(`${at}.${name} must be greater than or equal to ${min}`);
    if (n > max) throw fail(`${at}.${name} must be less than or equal to ${max}`);
  }
  const fn = value.backoffFunction;
  if (fn !== undefined && fn !== null && (typeof fn !== 'string' || !BACKOFF_FUNCTIONS.has(fn))) {
    throw fail(`${at}.backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  }
  const merged = completed(value);
  if (merged.minDelayTarget > merged.maxDelayTarget) throw fail(`${at}.maxDelayTarget must be greater than or equal to minDelayTarget`);
  if (merged.numNoDelayRetries + merged.numMinDelayRetries + merged.numMaxDelayRetries > merged.numRetries) {
    throw fail(`${at}.numRetries must be greater than or equal to the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries`);
  }
}

function checkThrottlePolicy(value: unknown, at: string): void {
  if (value === undefined || value === null) return;
  const rate = isObject(value) ? value.maxReceivesPerSecond : undefined;
  if (rate !== undefined && (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1)) throw fail(`${at}.maxReceivesPerSecond must be greater than or equal to 1`);
}

/** SetSubscriptionAttributes / Subscribe: the subscription's policy (text already parsed as JSON). */
export function checkSubscriptionDeliveryPolicy(text: string): void {
  const policy = JSON.parse(text) as unknown;
  if (!isObject(policy)) throw fail('must be a JSON object');
  checkRetryPolicy(policy.healthyRetryPolicy, 'healthyRetryPolicy');
  checkThrottlePolicy(policy.throttlePolicy, 'throttlePolicy');
}

/** SetTopicAttributes / CreateTopic: the topic's policy, by protocol (only `http` takes one). */
export function checkTopicDeliveryPolicy(text: string): void {
  const policy = JSON.parse(text) as unknown;
  if (!isObject(policy)) throw fail('must be a JSON object');
  const http = policy.http;
  if (http === undefined || http === null) return;
  if (!isObject(http)) throw fail('http must be an object');
  checkRetryPolicy(http.defaultHealthyRetryPolicy, 'http.defaultHealthyRetryPolicy');
  checkThrottlePolicy(http.defaultThrottlePolicy, 'http.defaultThrottlePolicy');
  const disable = http.disableSubscriptionOverrides;
  if (disable !== undefined && disable !== null && typeof disable !== 'boolean') throw fail('http.disableSubscriptionOverrides must be a boolean');
}

/** A policy with what it leaves out taken from AWS's default. */
function completed(value: Record<string, unknown>): HealthyRetryPolicy {
  const out = { ...DEFAULT_HTTP_DELIVERY_POLICY };
  for (const name of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const n = value[name];
    if (typeof n === 'number') out[name] = n;
  }
  if (typeof value.backoffFunction === 'string' && BACKOFF_FUNCTIONS.has(value.backoffFunction)) out.backoffFunction = value.backoffFunction as BackoffFunction;
  return out;
}

const parsed = (text: string | undefined): Record<string, unknown> | undefined => {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/** The policy deliveries to this HTTP/S subscription follow, and its throttle policy (null when none). */
export function effectivePolicy(sub: StoredSubscription, topic: StoredTopic | undefined): { retry: HealthyRetryPolicy; throttle: unknown; custom: boolean } {
  const http = parsed(topic?.attributes.DeliveryPolicy)?.http;
  const topicHttp = isObject(http) ? http : {};
  const own = topicHttp.disableSubscriptionOverrides === true ? undefined : parsed(sub.attributes.DeliveryPolicy);
  const retry = isObject(own?.healthyRetryPolicy) ? own.healthyRetryPolicy : isObject(topicHttp.defaultHealthyRetryPolicy) ? topicHttp.defaultHealthyRetryPolicy : undefined;
  const throttle = own?.throttlePolicy ?? topicHttp.defaultThrottlePolicy ?? null;
  return { retry: retry ? completed(retry) : DEFAULT_HTTP_DELIVERY_POLICY, throttle, custom: retry !== undefined };
}

/** The subscription's EffectiveDeliveryPolicy attribute as AWS shows it. */
export function effectiveDeliveryPolicyAttribute(sub: StoredSubscription, topic: StoredTopic | undefined): string {
  const { retry, throttle } = effectivePolicy(sub, topic);
  return JSON.stringify({ healthyRetryPolicy: retry, sicklyRetryPolicy: null, throttlePolicy: throttle, guaranteed: false });
}

/**
 * The wait in seconds before each retry (its length is numRetries). The backoff phase climbs from
 * minDelayTarget to maxDelayTarget; AWS does not publish its curves, so these are their shapes:
 * linear and arithmetic evenly, geometric fast then flattening, exponential slow then steep.
 */
export function retryDelaysSeconds(p: HealthyRetryPolicy): number[] {
  const noDelay = Math.min(p.numNoDelayRetries, p.numRetries);
  const minDelay = Math.min(p.numMinDelayRetries, p.numRetries - noDelay);
  const maxDelay = Math.min(p.numMaxDelayRetries, p.numRetries - noDelay - minDelay);
  const backoff = p.numRetries - noDelay - minDelay - maxDelay;
  const span = p.maxDelayTarget - p.minDelayTarget;
  const curve = (x: number): number => {
    switch (p.backoffFunction) {
      case 'geometric': return 1 - (1 - x) ** 2;
      case 'exponential': return span === 0 ? x : ((p.maxDelayTarget / p.minDelayTarget) ** x - 1) / (p.maxDelayTarget / p.minDelayTarget - 1);
      default: return x;
    }
  };
  const delays: number[] = [];
  for (let i = 0; i < noDelay; i++) delays.push(0);
  for (let i = 0; i < minDelay; i++) delays.push(p.minDelayTarget);
  for (let k = 1; k <= backoff; k++) delays.push(Math.round(p.minDelayTarget + span * curve(k / backoff)));
  for (let i = 0; i < maxDelay; i++) delays.push(p.maxDelayTarget);
  return delays;
}
