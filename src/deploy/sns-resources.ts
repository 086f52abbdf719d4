// A template's AWS::SNS::Topic, AWS::SNS::Subscription and AWS::SNS::TopicPolicy resources (and
// the subscriptions SAM's SNS events generate) in Stagecraft's SNS. CreateTopic is idempotent, so
// a topic is created or found, then its attributes and tags set in place; a changed name is a new
// topic and the old one goes with the stack's other stale topics (their subscriptions with them).
// A subscription is found by topic, protocol and endpoint and has its attributes set in place;
// subscriptions on the stack's topics that no resource asks for any more are removed.
import {
  CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, ListTopicsCommand, SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand, SubscribeCommand, TagResourceCommand, UnsubscribeCommand, UntagResourceCommand, type Subscription,
} from '@aws-sdk/client-sns';
import { jsonText, markedTags, ownership, STACK_TAG_KEYS, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';
import { defaultPolicy } from '../sns/topic-attributes.js';

const TOPIC_ATTRIBUTES = ['DisplayName', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'ContentBasedDeduplication'];

export function topicAttributes(props: Props, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...TOPIC_ATTRIBUTES, ...(creating ? ['FifoTopic'] : [])]) {
    const v = text(props[key]);
    if (v !== undefined) out[key] = v;
  }
  const archive = jsonText(props.ArchivePolicy);
  if (archive !== undefined) out.ArchivePolicy = archive;
  return out;
}

/** AWS::SNS::Subscription's properties that are subscription attributes (JSON ones as text). */
export function subscriptionAttributes(props: Props): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['FilterPolicyScope', 'RawMessageDelivery', 'SubscriptionRoleArn']) {
    const v = text(props[key]);
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['FilterPolicy', 'RedrivePolicy', 'DeliveryPolicy', 'ReplayPolicy']) {
    const v = jsonText(props[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

async function topicTags(ctx: ServiceContext, arn: string): Promise<Record<string, string>> {
  const { Tags } = await ctx.clients.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  return Object.fromEntries((Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
}

async function listTopicArns(ctx: ServiceContext): Promise<string[]> {
  const out: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.sns.send(new ListTopicsCommand({ NextToken }));
    out.push(...(page.Topics ?? []).map((t) => t.TopicArn!));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

async function subscriptionsOf(ctx: ServiceContext, topicArn: string): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    out.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** Creates or updates the topic; its ARN. */
export async function syncTopic(ctx: ServiceContext, r: WantedResource): Promise<string> {
  const existed = (await listTopicArns(ctx)).find((arn) => arn.endsWith(`:${r.name}`));
  const tags = markedTags(ctx.stackName, r.retain, r.props.Tags);
  const arn = existed ?? (await ctx.clients.sns.send(new CreateTopicCommand({ Name: r.name, Attributes: topicAttributes(r.props, true), Tags: tags }))).TopicArn!;
  let changed = false;
  if (existed) {
    const current = (await ctx.clients.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
    for (const [AttributeName, AttributeValue] of Object.entries(topicAttributes(r.props, false))) {
      if (current[AttributeName] === AttributeValue) continue;
      await ctx.clients.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName, AttributeValue }));
      changed = true;
    }
    const before = await topicTags(ctx, arn);
    const gone = Object.keys(before).filter((k) => !tags.some((t) => t.Key === k) && k !== TOPIC_POLICY_TAG);
    if (gone.length) await ctx.clients.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: gone }));
    if (gone.length || tags.some((t) => before[t.Key] !== t.Value)) {
      await ctx.clients.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
      changed = true;
    }
  }
  ctx.log.report({ subject: r.logicalId, kind: !existed ? 'created' : changed ? 'updated' : 'unchanged', message: `SNS topic ${r.name}` });
  return arn;
}

/** Subscribes the endpoint (or finds its subscription and sets its attributes); the subscription's ARN. */
export async function ensureSubscription(ctx: ServiceContext, subject: string, topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string>): Promise<string> {
  const found = (await subscriptionsOf(ctx, topicArn)).find((s) => s.Protocol === protocol && s.Endpoint === endpoint && s.SubscriptionArn?.startsWith('arn:'));
  if (found) {
    const current = (await ctx.clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: found.SubscriptionArn! }))).Attributes ?? {};
    const changed = Object.entries(attributes).filter(([k, v]) => current[k] !== v);
    for (const [AttributeName, AttributeValue] of changed) {
      await ctx.clients.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: found.SubscriptionArn!, AttributeName, AttributeValue }));
    }
    ctx.log.report({ subject, kind: changed.length ? 'updated' : 'unchanged', message: `SNS subscription of ${protocol} ${endpoint} to ${topicArn}` });
    return found.SubscriptionArn!;
  }
  const { SubscriptionArn } = await ctx.clients.sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint, Attributes: Object.keys(attributes).length ? attributes : undefined, ReturnSubscriptionArn: true,
  }));
  ctx.log.report({ subject, kind: 'created', message: `SNS subscription of ${protocol} ${endpoint} to ${topicArn}` });
  return SubscriptionArn!;
}

/** An AWS::SNS::TopicPolicy: its PolicyDocument set as the Policy of each of its Topics. */
export async function syncTopicPolicy(ctx: ServiceContext, r: WantedResource): Promise<void> {
  const topics = Array.isArray(r.props.Topics) ? r.props.Topics.map(String) : [];
  for (const arn of topics) {
    await ctx.clients.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: jsonText(r.props.PolicyDocument) ?? '' }));
    await ctx.clients.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: TOPIC_POLICY_TAG, Value: ctx.stackName }] }));
  }
  ctx.log.report({ subject: r.logicalId, kind: 'updated', message: `policy of ${topics.length} SNS topic${topics.length === 1 ? '' : 's'}` });
}

/** Marks a topic whose Policy a stack's AWS::SNS::TopicPolicy set (value: the stack), so the policy goes with the resource. */
export const TOPIC_POLICY_TAG = 'stagecraft:topic-policy';

/**
 * The topics whose Policy the stack's topic policies set but none sets now (ARNs not in `keep`):
 * back to SNS's default policy, as CloudFormation does when an AWS::SNS::TopicPolicy is deleted.
 */
export async function removeStaleTopicPolicies(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<void> {
  for (const arn of await listTopicArns(ctx)) {
    if (keep.has(arn) || (await topicTags(ctx, arn))[TOPIC_POLICY_TAG] !== ctx.stackName) continue;
    if (!ctx.dryRun) {
      await ctx.clients.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: defaultPolicy(arn, arn.split(':')[4]) }));
      await ctx.clients.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [TOPIC_POLICY_TAG] }));
    }
    ctx.log.report({ subject: 'TopicPolicies', kind: 'removed', message: `policy of SNS topic ${arn}` });
  }
}

/**
 * The stack's topics not in `keep` (ARNs) deleted, or, retained, unmarked; on the kept ones,
 * subscriptions not in `subscriptions` (ARNs) removed. The removed topics' ARNs.
 */
export async function removeStaleTopics(ctx: ServiceContext, keep: ReadonlySet<string>, subscriptions: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const arn of await listTopicArns(ctx)) {
    const own = ownership(await topicTags(ctx, arn), ctx.stackName);
    if (own === 'other') continue;
    if (keep.has(arn)) {
      for (const s of await subscriptionsOf(ctx, arn)) {
        if (!s.SubscriptionArn?.startsWith('arn:') || subscriptions.has(s.SubscriptionArn)) continue;
        await ctx.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
        ctx.log.report({ subject: 'Subscriptions', kind: 'removed', message: `SNS subscription of ${s.Protocol} ${s.Endpoint} to ${arn}` });
      }
      continue;
    }
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    ctx.log.report({ subject: 'Topics', kind: 'removed', message: `SNS topic ${arn}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    removed.push(arn);
  }
  return removed;
}
