// The messaging services wired to each other: SNS subscriptions and EventBridge targets send to
// SQS queues, EventBridge targets and S3 notifications publish to SNS topics, S3 puts its events on
// EventBridge, Lambda sends invocation records and dead letters to all three. Each side sends as its service principal; the receiving queue's or topic's resource
// policy decides (core/resource-policy.ts).
import type { SqsModule } from '../sqs/module.js';
import type { SnsModule } from '../sns/module.js';
import type { EventsModule } from '../events/module.js';
import type { S3Notifications } from '../s3/notifications.js';
import type { S3Objects } from '../s3/objects.js';
import type { SnsStore } from '../store/sns-store.js';
import type { AsyncQueue } from '../lambda/async-queue.js';
import { lambdaRecordSenders } from './lambda-record-destinations.js';
import { sqsDeadLetters, sqsTarget } from '../sns/sqs-target.js';
import { snsEventTarget, sqsEventDeadLetters, sqsEventTarget } from '../events/messaging-targets.js';
import { queueNotificationDestination, topicNotificationDestination } from '../s3/messaging-destinations.js';

export interface Messaging {
  sqs: SqsModule;
  sns: SnsModule;
  snsStore: SnsStore;
  events: EventsModule;
  s3: S3Notifications;
  /** S3's objects, where Lambda writes OnFailure records for bucket destinations. */
  s3Objects: Pick<S3Objects, 'put'>;
  /** Lambda's asynchronous invocations: records to queue, topic and bus destinations, dead letters. */
  asyncQueue: AsyncQueue;
  /** The server's own URL (SNS's UnsubscribeURL in notifications), known once it listens. */
  baseUrl: () => string;
}

export function wireMessaging(m: Messaging): void {
  m.sns.deliverTo('sqs', sqsTarget(m.sqs.queues));
  m.sns.sendDeadLettersTo(sqsDeadLetters(m.sqs.queues));
  m.events.targets.register('sqs', sqsEventTarget(m.sqs.queues));
  m.events.targets.register('sns', snsEventTarget(m.sns, m.snsStore, m.baseUrl));
  m.events.targets.sendDeadLettersTo(sqsEventDeadLetters(m.sqs.queues));
  m.s3.deliverTo('queue', queueNotificationDestination(m.sqs.queues));
  m.s3.deliverTo('topic', topicNotificationDestination(m.sns, m.snsStore, m.baseUrl));
  m.s3.sendEventsTo(m.events.publisher);
  m.asyncQueue.sendRecordsTo(lambdaRecordSenders({ queues: m.sqs.queues, sns: m.sns, events: m.events.publisher, objects: m.s3Objects, baseUrl: m.baseUrl }));
}
