// A subscription's RedrivePolicy ({"deadLetterTargetArn": <SQS queue ARN>}): checked when it is
// set, as AWS checks it, and read when a delivery is given up.
import type { StoredSubscription } from '../store/sns-store.js';
import { invalidParameter } from './errors.js';

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/** Throws AWS's InvalidParameter for a policy SNS would not accept on this subscription. */
export function checkRedrivePolicy(value: string, fifoTopic: boolean): void {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON.');
  }
  const arn = policy !== null && typeof policy === 'object' && !Array.isArray(policy) ? (policy as Record<string, unknown>).deadLetterTargetArn : undefined;
  if (typeof arn !== 'string' || !SQS_ARN.test(arn)) throw invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  if (fifoTopic && !arn.endsWith('.fifo')) throw invalidParameter('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
}

/** The dead-letter queue's ARN, or undefined when the subscription has none. */
export function deadLetterQueueOf(sub: StoredSubscription): string | undefined {
  const text = sub.attributes.RedrivePolicy;
  if (!text) return undefined;
  try {
    const arn = (JSON.parse(text) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined;
  }
}
