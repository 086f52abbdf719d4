// SQS subscriptions: SNS sends to the queue as sns.amazonaws.com with the topic as the source, so
// the queue's policy decides (a refusal, or a queue that is gone, drops the message as on AWS).
// The body is the JSON envelope, or with RawMessageDelivery the bare message with its message
// attributes as SQS message attributes; a FIFO topic passes its group and deduplication ids on.
import { isAwsError } from '../core/errors.js';
import { DeliveryRefused } from '../core/resource-policy.js';
import type { AttributeValue, InternalQueues } from '../sqs/queue-sender.js';
import { sendAsService } from '../sqs/service-access.js';
import { delivered, type DeliveryTarget } from './delivery-targets.js';
import { SNS_PRINCIPAL } from './lambda-target.js';
import type { NotificationAttribute } from './message-attributes.js';
import { deliveredBody } from './notification.js';

/** SNS's {Type, Value} (binary in base64) as SendMessage's {DataType, StringValue | BinaryValue}. */
export function sqsAttributes(attributes: Record<string, NotificationAttribute>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.Type.startsWith('Binary') ? { DataType: a.Type, BinaryValue: Buffer.from(a.Value, 'base64') } : { DataType: a.Type, StringValue: a.Value };
  }
  return out;
}

export function sqsTarget(queues: Pick<InternalQueues, 'attributes' | 'send'>): DeliveryTarget {
  return {
    async deliver(sub, message) {
      const { body, raw } = deliveredBody(message, sub);
      try {
        await sendAsService(queues, sub.endpoint, { principal: SNS_PRINCIPAL, sourceArn: sub.topicArn, sourceAccount: sub.accountId }, {
          body,
          ...(raw && Object.keys(message.attributes).length ? { attributes: sqsAttributes(message.attributes) } : {}),
          ...(message.messageGroupId !== undefined ? { groupId: message.messageGroupId } : {}),
          ...(message.messageDeduplicationId !== undefined ? { deduplicationId: message.messageDeduplicationId } : {}),
        });
        return delivered;
      } catch (e) {
        // The queue's refusal or its own client error (gone, too large, a FIFO rule): no retry mends it.
        if (e instanceof DeliveryRefused || (isAwsError(e) && e.isUserFault)) return { kind: 'drop', reason: e instanceof Error ? e.message : String(e) };
        return { kind: 'retry', reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
