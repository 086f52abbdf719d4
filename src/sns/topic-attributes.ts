// A topic's attributes: what CreateTopic and SetTopicAttributes accept, and what
// GetTopicAttributes answers (stored values over AWS's defaults and the computed counts).
import type { StoredSubscription, StoredTopic } from '../store/sns-store.js';
import { invalidParameter } from './errors.js';
import { checkTopicDeliveryPolicy, DEFAULT_HTTP_DELIVERY_POLICY } from './delivery-policy.js';

const SETTABLE = new Set([
  'Policy', 'DisplayName', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'ArchivePolicy', 'DataProtectionPolicy',
  'ContentBasedDeduplication', 'FifoThroughputScope',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);
/** Only at creation. */
const CREATE_ONLY = new Set(['FifoTopic']);
const JSON_ATTRIBUTES = new Set(['Policy', 'DeliveryPolicy', 'ArchivePolicy', 'DataProtectionPolicy']);

export function defaultPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17', Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

/** Checks one attribute as SetTopicAttributes (or CreateTopic, `creating`) takes it. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, creating: boolean): void {
  if (!SETTABLE.has(name) && !(creating && CREATE_ONLY.has(name))) throw invalidParameter('AttributeName');
  if (JSON_ATTRIBUTES.has(name) && value !== '') {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`);
    }
    if (name === 'DeliveryPolicy') checkTopicDeliveryPolicy(value);
  }
  if ((name === 'FifoTopic' || name === 'ContentBasedDeduplication') && value !== 'true' && value !== 'false') {
    throw invalidParameter(`Attributes Reason: ${name}: Invalid value [${value}]. Must be true or false.`);
  }
  if (name === 'ContentBasedDeduplication' && !fifo) throw invalidParameter('Attributes Reason: Content based deduplication can only be set for FIFO topics');
  if (name === 'DisplayName' && value.length > 100) throw invalidParameter('DisplayName');
}

/** GetTopicAttributes: the stored attributes over the defaults, with the subscription counts. */
export function topicAttributes(topic: StoredTopic, subscriptions: StoredSubscription[]): Record<string, string> {
  const fifo = topic.attributes.FifoTopic === 'true';
  const attributes: Record<string, string> = {
    Policy: defaultPolicy(topic.arn, topic.accountId),
    Owner: topic.accountId,
    SubscriptionsPending: String(subscriptions.filter((s) => !s.confirmed).length),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: DEFAULT_HTTP_DELIVERY_POLICY, disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' } } }),
    SubscriptionsConfirmed: String(subscriptions.filter((s) => s.confirmed).length),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...(fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}),
    ...topic.attributes,
  };
  if (topic.attributes.DeliveryPolicy) attributes.EffectiveDeliveryPolicy = topic.attributes.DeliveryPolicy;
  if (!fifo) delete attributes.FifoTopic;
  return attributes;
}
