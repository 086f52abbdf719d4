// What a subscription receives: the queued message (one per subscription, written at Publish) and
// the documents AWS sends — the JSON envelope of HTTP/S and SQS deliveries, and the Lambda event.
import { createHash } from 'node:crypto';
import type { StoredSubscription } from '../store/sns-store.js';
import type { NotificationAttribute } from './message-attributes.js';

/** A queued delivery's body (sns_deliveries.body). */
export interface QueuedMessage {
  type: 'Notification' | 'SubscriptionConfirmation';
  messageId: string;
  topicArn: string;
  /** The message for this subscription's protocol (MessageStructure=json picked it). */
  message: string;
  subject?: string;
  /** ISO 8601 with milliseconds, as AWS writes it. */
  timestamp: string;
  attributes: Record<string, NotificationAttribute>;
  /** The server's base URL when the message was queued, for SubscribeURL and UnsubscribeURL. */
  baseUrl: string;
  token?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

const SIGNATURE_VERSION = '1';

/**
 * A signature-shaped value: Stagecraft holds no SNS signing key, so notifications are not
 * verifiable with AWS's certificate (documented in docs/compatibility.md).
 */
function signature(m: QueuedMessage): string {
  return createHash('sha256').update(`${m.messageId}\n${m.topicArn}\n${m.message}`).digest('base64');
}

const certUrl = (m: QueuedMessage) => `${m.baseUrl}/SimpleNotificationService-stagecraft.pem`;
const unsubscribeUrl = (m: QueuedMessage, sub: StoredSubscription) => `${m.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`;

export function subscribeUrl(m: QueuedMessage): string {
  return `${m.baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(m.topicArn)}&Token=${m.token ?? ''}`;
}

/** The JSON document HTTP/S endpoints (and SQS queues, unless raw delivery) receive. */
export function notificationEnvelope(m: QueuedMessage, sub: StoredSubscription): Record<string, unknown> {
  if (m.type === 'SubscriptionConfirmation') {
    return {
      Type: m.type, MessageId: m.messageId, Token: m.token, TopicArn: m.topicArn, Message: m.message, SubscribeURL: subscribeUrl(m),
      Timestamp: m.timestamp, SignatureVersion: SIGNATURE_VERSION, Signature: signature(m), SigningCertURL: certUrl(m),
    };
  }
  return {
    Type: m.type, MessageId: m.messageId, ...(m.sequenceNumber !== undefined ? { SequenceNumber: m.sequenceNumber } : {}), TopicArn: m.topicArn,
    ...(m.subject !== undefined ? { Subject: m.subject } : {}), Message: m.message, Timestamp: m.timestamp,
    ...(m.sequenceNumber === undefined ? { SignatureVersion: SIGNATURE_VERSION, Signature: signature(m), SigningCertURL: certUrl(m) } : {}),
    UnsubscribeURL: unsubscribeUrl(m, sub),
    ...(Object.keys(m.attributes).length ? { MessageAttributes: m.attributes } : {}),
  };
}

/**
 * The body an HTTP/S endpoint or an SQS queue receives: the bare message with RawMessageDelivery,
 * else the JSON envelope (a SubscriptionConfirmation is never raw).
 */
export function deliveredBody(m: QueuedMessage, sub: StoredSubscription): { body: string; raw: boolean } {
  const raw = m.type === 'Notification' && sub.attributes.RawMessageDelivery === 'true';
  return { body: raw ? m.message : JSON.stringify(notificationEnvelope(m, sub)), raw };
}

/** The event a Lambda function subscribed to a topic is invoked with. */
export function lambdaEvent(m: QueuedMessage, sub: StoredSubscription): Record<string, unknown> {
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: sub.arn,
      Sns: {
        Type: m.type,
        MessageId: m.messageId,
        TopicArn: m.topicArn,
        Subject: m.subject ?? null,
        Message: m.message,
        Timestamp: m.timestamp,
        SignatureVersion: SIGNATURE_VERSION,
        Signature: signature(m),
        SigningCertUrl: certUrl(m),
        UnsubscribeUrl: unsubscribeUrl(m, sub),
        MessageAttributes: m.attributes,
      },
    }],
  };
}
