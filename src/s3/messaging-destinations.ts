// SQS queues and SNS topics as notification destinations: S3 sends as s3.amazonaws.com with the
// bucket as the source and its owner as the source account, so the queue's or topic's resource
// policy decides, when the configuration is put and again on each event, as on AWS.
import type { InternalQueues } from '../sqs/queue-sender.js';
import { queueAccess, sendAsService } from '../sqs/service-access.js';
import { publishAsService, topicAccess, type TopicPublisher } from '../sns/service-publish.js';
import type { SnsStore } from '../store/sns-store.js';
import { S3_PRINCIPAL } from './lambda-destination.js';
import type { NotificationDestination, NotificationSource } from './notifications.js';

/** The subject S3 gives the messages it publishes to topics. */
const SUBJECT = 'Amazon S3 Notification';

const sourceOf = (s: NotificationSource) => ({ principal: S3_PRINCIPAL, sourceArn: s.bucketArn, sourceAccount: s.ownerAccountId });

export function queueNotificationDestination(queues: Pick<InternalQueues, 'attributes' | 'send'>): NotificationDestination {
  return {
    check: (arn, source) => queueAccess(queues, arn, sourceOf(source)),
    deliver: async (arn, source, message) => void (await sendAsService(queues, arn, sourceOf(source), { body: message.toString('utf8') })),
  };
}

export function topicNotificationDestination(sns: TopicPublisher, store: Pick<SnsStore, 'getTopic'>, baseUrl: () => string): NotificationDestination {
  return {
    check: (arn, source) => topicAccess(store, arn, sourceOf(source)),
    deliver: async (arn, source, message) => void (await publishAsService(sns, store, arn, sourceOf(source), { Message: message.toString('utf8'), Subject: SUBJECT }, baseUrl())),
  };
}
