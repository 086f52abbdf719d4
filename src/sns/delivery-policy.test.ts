// The retry schedule of an HTTP/S delivery policy (AWS's four phases) and how a subscription's
// policy and its topic's combine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredSubscription, StoredTopic } from '../store/sns-store.js';
import { DEFAULT_HTTP_DELIVERY_POLICY, effectivePolicy, retryDelaysSeconds } from './delivery-policy.js';

const policy = (p: Partial<typeof DEFAULT_HTTP_DELIVERY_POLICY>) => ({ ...DEFAULT_HTTP_DELIVERY_POLICY, ...p });

test('the default: 3 retries 20 s apart', () => {
  assert.deepEqual(retryDelaysSeconds(DEFAULT_HTTP_DELIVERY_POLICY), [20, 20, 20]);
});

test('four phases: immediate, pre-backoff at the minimum, backoff climbing to the maximum, post-backoff at the maximum', () => {
  const base = { minDelayTarget: 1, maxDelayTarget: 9, numRetries: 8, numNoDelayRetries: 2, numMinDelayRetries: 1, numMaxDelayRetries: 1 };
  assert.deepEqual(retryDelaysSeconds(policy({ ...base, backoffFunction: 'linear' })), [0, 0, 1, 3, 5, 7, 9, 9]);
  assert.deepEqual(retryDelaysSeconds(policy({ ...base, backoffFunction: 'arithmetic' })), [0, 0, 1, 3, 5, 7, 9, 9]);
  assert.deepEqual(retryDelaysSeconds(policy({ ...base, backoffFunction: 'geometric' })), [0, 0, 1, 5, 7, 9, 9, 9]);
  assert.deepEqual(retryDelaysSeconds(policy({ ...base, backoffFunction: 'exponential' })), [0, 0, 1, 2, 3, 5, 9, 9]);
  assert.deepEqual(retryDelaysSeconds(policy({ numRetries: 0 })), []);
});

test('the subscription\'s policy over the topic\'s, unless the topic disables overrides; what a policy leaves out is the default', () => {
  const topic = (http: unknown): StoredTopic => ({ attributes: { DeliveryPolicy: JSON.stringify({ http }) } }) as unknown as StoredTopic;
  const sub = (own?: unknown): StoredSubscription => ({ attributes: own ? { DeliveryPolicy: JSON.stringify(own) } : {} }) as unknown as StoredSubscription;
  assert.deepEqual(effectivePolicy(sub(), undefined), { retry: DEFAULT_HTTP_DELIVERY_POLICY, throttle: null, custom: false });
  const topics = topic({ defaultHealthyRetryPolicy: { numRetries: 7 } });
  assert.equal(effectivePolicy(sub(), topics).retry.numRetries, 7);
  assert.deepEqual(effectivePolicy(sub({ healthyRetryPolicy: { numRetries: 2 } }), topics).retry, policy({ numRetries: 2 }));
  const locked = topic({ defaultHealthyRetryPolicy: { numRetries: 7 }, disableSubscriptionOverrides: true });
  assert.equal(effectivePolicy(sub({ healthyRetryPolicy: { numRetries: 2 } }), locked).retry.numRetries, 7);
});
