// A subscription's attributes: what Subscribe and SetSubscriptionAttributes accept (FilterPolicy
// checked in the policy language, RawMessageDelivery only where AWS allows it), and what
// GetSubscriptionAttributes answers.
import type { StoredSubscription, StoredTopic } from '../store/sns-store.js';
import { invalidParameter } from './errors.js';
import { parseFilterPolicy, type FilterScope } from './filter-policy.js';
import { checkSubscriptionDeliveryPolicy, effectiveDeliveryPolicyAttribute } from './delivery-policy.js';
import { checkRedrivePolicy } from './redrive-policy.js';

const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
const RAW_PROTOCOLS = new Set(['http', 'https', 'sqs', 'firehose']);

const scopeOf = (attributes: Record<string, string>): FilterScope => (attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes');

/** Checks the attributes as they would be after the change; throws AWS's InvalidParameter. */
export function checkSubscriptionAttributes(protocol: string, fifoTopic: boolean, attributes: Record<string, string>, changed: string[]): void {
  for (const name of changed) {
    if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
    const value = attributes[name];
    if (value === undefined) continue;
    switch (name) {
      case 'RawMessageDelivery':
        if (value !== 'true' && value !== 'false') throw invalidParameter('Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
        if (!RAW_PROTOCOLS.has(protocol)) throw invalidParameter(`Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`);
        break;
      case 'FilterPolicyScope':
        if (value !== 'MessageAttributes' && value !== 'MessageBody') throw invalidParameter('Attributes Reason: FilterPolicyScope: Invalid value [' + value + ']. Please use either MessageBody or MessageAttributes');
        break;
      case 'RedrivePolicy':
        checkRedrivePolicy(value, fifoTopic);
        break;
      case 'DeliveryPolicy': case 'ReplayPolicy':
        try {
          JSON.parse(value);
        } catch {
          throw invalidParameter(`${name}: failed to parse JSON.`);
        }
        if (name === 'DeliveryPolicy') checkSubscriptionDeliveryPolicy(value);
        break;
    }
  }
  if (attributes.FilterPolicy) parseFilterPolicy(attributes.FilterPolicy, scopeOf(attributes));
}

/** GetSubscriptionAttributes; `topic` (its DeliveryPolicy) makes an HTTP/S subscription's EffectiveDeliveryPolicy. */
export function subscriptionAttributes(sub: StoredSubscription, owner: string, topic: StoredTopic | undefined): Record<string, string> {
  const http = sub.protocol === 'http' || sub.protocol === 'https';
  return {
    ConfirmationWasAuthenticated: String(sub.confirmed),
    PendingConfirmation: String(!sub.confirmed),
    Owner: owner,
    RawMessageDelivery: 'false',
    TopicArn: sub.topicArn,
    Endpoint: sub.endpoint,
    Protocol: sub.protocol,
    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: `arn:aws:iam::${owner}:root`,
    ...(http ? { EffectiveDeliveryPolicy: effectiveDeliveryPolicyAttribute(sub, topic) } : {}),
    ...(sub.attributes.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}),
    ...sub.attributes,
  };
}

/** The subscription's filter, or undefined: every message matches. */
export function subscriptionFilter(sub: StoredSubscription): { policy: Record<string, unknown>; scope: FilterScope } | undefined {
  const text = sub.attributes.FilterPolicy;
  return text ? { policy: parseFilterPolicy(text, scopeOf(sub.attributes)), scope: scopeOf(sub.attributes) } : undefined;
}
