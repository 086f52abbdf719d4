// HTTP/S subscriptions: a POST of AWS's JSON document (or the bare message, with raw delivery)
// with the x-amz-sns-* headers. A 2xx answer is a delivery; anything else, or no answer within
// the timeout, is retried by the delivery policy.
import { delivered, type DeliveryTarget } from './delivery-targets.js';
import { deliveredBody } from './notification.js';

const TIMEOUT_MS = 15_000;

export function httpTarget(): DeliveryTarget {
  return {
    async deliver(sub, message) {
      const { body, raw } = deliveredBody(message, sub);
      const headers: Record<string, string> = {
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': 'Amazon Simple Notification Service Agent',
        'x-amz-sns-message-type': message.type,
        'x-amz-sns-message-id': message.messageId,
        'x-amz-sns-topic-arn': message.topicArn,
        ...(message.type === 'Notification' ? { 'x-amz-sns-subscription-arn': sub.arn } : {}),
        ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
      };
      try {
        const res = await fetch(sub.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
        await res.arrayBuffer().catch(() => undefined);
        return res.status >= 200 && res.status < 300 ? delivered : { kind: 'retry', reason: `HTTP ${res.status}` };
      } catch (e) {
        return { kind: 'retry', reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
