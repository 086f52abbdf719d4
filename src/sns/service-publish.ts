// Services (S3, EventBridge, CloudWatch alarms) publishing to a topic as their service principal:
// the topic must exist and its policy (AWS's default one when none is set) allow SNS:Publish for
// the source, as AWS decides it.
import { DeliveryRefused, servicePolicyAllows, type ServiceAccess } from '../core/resource-policy.js';
import type { SnsStore } from '../store/sns-store.js';
import type { Message } from './publish.js';
import { defaultPolicy } from './topic-attributes.js';

export interface PublishingService {
  /** e.g. s3.amazonaws.com */
  principal: string;
  sourceArn: string;
  sourceAccount: string;
  /** aws:SourceOwner, which only some services send (CloudWatch alarms): the default topic policy asks for it. */
  sourceOwner?: string;
}

export interface TopicPublisher {
  publish(topicArn: string, message: Message, baseUrl: string): Promise<{ MessageId: string }>;
}

export async function topicAccess(store: Pick<SnsStore, 'getTopic'>, topicArn: string, source: PublishingService): Promise<ServiceAccess> {
  const topic = await store.getTopic(topicArn);
  if (!topic) return 'missing';
  const policy = topic.attributes.Policy ?? defaultPolicy(topic.arn, topic.accountId);
  return servicePolicyAllows(policy, { ...source, action: 'sns:Publish', resource: topicArn }) ? 'allowed' : 'refused';
}

/** Publishes once the topic's policy allows it; throws DeliveryRefused otherwise. */
export async function publishAsService(
  sns: TopicPublisher, store: Pick<SnsStore, 'getTopic'>, topicArn: string, source: PublishingService, message: Message, baseUrl: string,
): Promise<{ MessageId: string }> {
  const access = await topicAccess(store, topicArn, source);
  if (access !== 'allowed') throw new DeliveryRefused(access, topicArn, source.principal);
  return sns.publish(topicArn, message, baseUrl);
}

/**
 * CloudWatch alarm actions: the topic's policy must let cloudwatch.amazonaws.com publish from the
 * alarm (it sends aws:SourceOwner, so the default policy lets the owner's alarms publish); a topic
 * that does not exist answers SNS's own error, which the alarm's history records.
 */
export function alarmPublisher(sns: TopicPublisher, store: Pick<SnsStore, 'getTopic'>, baseUrl: () => string) {
  return async (topicArn: string, Subject: string, Message: string, alarmArn: string, accountId: string): Promise<void> => {
    const source = { principal: 'cloudwatch.amazonaws.com', sourceArn: alarmArn, sourceAccount: accountId, sourceOwner: accountId };
    if ((await topicAccess(store, topicArn, source)) === 'refused') throw new DeliveryRefused('refused', topicArn, source.principal);
    await sns.publish(topicArn, { Subject, Message }, baseUrl());
  };
}
