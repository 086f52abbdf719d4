// SQS subscriptions: SNS sends to the queue as sns.amazonaws.com with the topic as the source, so
// the queue's policy decides (a refusal, or a queue that is gone, drops the message as on AWS).
// The body is the JSON envelope, or with RawMessageDelivery the bare message with its message
// attributes as SQS message attributes; a FIFO topic passes its group and deduplication ids on.
// A subscription's dead-letter queue receives the same message, sent the same way.
import { isAwsError } from '../core/errors.js';
import { DeliveryRefused } from '../core/resource-policy.js';
import type { StoredSubscription } from '../store/sns-store.js';
import type { AttributeValue, InternalQueues } from '../sqs/queue-sender.js';
import { sendAsService } from '../sqs/service-access.js';
import { delivered, type DeadLetterSender, type DeliveryTarget } from './delivery-targets.js';
import { SNS_PRINCIPAL } from './lambda-target.js';
import type { NotificationAttribute } from './message-attributes.js';
import { deliveredBody, type QueuedMessage } from './notification.js';

/** SNS's {Type, Value} (binary in base64) as SendMessage's {DataType, StringValue | BinaryValue}. */
export function sqsAttributes(attributes: Record<string, NotificationAttribute>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.Type.startsWith('Binary') ? { DataType: a.Type, BinaryValue: Buffer.from(a.Value, 'base64') } : { DataType: a.Type, StringValue: a.Value };
  }
  return out;
}

type Queues = Pick<InternalQueues, 'attributes' | 'send'>;

/** Sends the subscription's notification to a queue as SNS; throws DeliveryRefused or SQS's error. */
export async function sendNotificationToQueue(queues: Queues, queueArn: string, sub: StoredSubscription, message: QueuedMessage): Promise<void> {
  const { body, raw } = deliveredBody(message, sub);
  await sendAsService(queues, queueArn, { principal: SNS_PRINCIPAL, sourceArn: sub.topicArn, sourceAccount: sub.accountId }, {
    body,
    ...(raw && Object.keys(message.attributes).length ? { attributes: sqsAttributes(message.attributes) } : {}),
    ...(message.messageGroupId !== undefined ? { groupId: message.messageGroupId } : {}),
    ...(message.messageDeduplicationId !== undefined ? { deduplicationId: message.messageDeduplicationId } : {}),
  });
}

/** The queue's refusal or its own client error (gone, too large, a FIFO rule): no retry mends it. */
export function isClientSideQueueError(e: unknown): boolean {
  return e instanceof DeliveryRefused || (isAwsError(e) && e.isUserFault);
}

export function sqsTarget(queues: Queues): DeliveryTarget {
  return {
    async deliver(sub, message) {
      try {
        await sendNotificationToQueue(queues, sub.endpoint, sub, message);
        return delivered;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return isClientSideQueueError(e) ? { kind: 'drop', reason } : { kind: 'retry', reason };
      }
    },
  };
}

/** Sends what a subscription gave up on to the queue of its RedrivePolicy. */
export function sqsDeadLetters(queues: Queues): DeadLetterSender {
  return { send: (queueArn, sub, message) => sendNotificationToQueue(queues, queueArn, sub, message) };
}
