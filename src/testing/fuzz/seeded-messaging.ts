// Test support: the SQS, SNS and EventBridge resources a fuzz run creates first (a queue holding a
// message, a topic the queue is subscribed to, a rule on a custom bus targeting the queue), so fuzzed
// requests name real ones; victims of each for the destructive operations; and the checks afterwards.
import assert from 'node:assert/strict';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateEventBusCommand, DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { testCredentials, testRegion } from '../server.js';
import type { KnownIds } from './values.js';

const PATTERN = JSON.stringify({ source: ['fuzz.app'], detail: { kind: [{ prefix: 'a' }] } });

function clients(url: string) {
  const config = { endpoint: url, region: testRegion, credentials: testCredentials, maxAttempts: 1 };
  return { sqs: new SQSClient(config), sns: new SNSClient(config), events: new EventBridgeClient(config) };
}

async function seedSet(url: string, prefix: string): Promise<KnownIds> {
  const c = clients(url);
  try {
    const queueUrl = (await c.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-queue`, tags: { team: 'fuzz' } }))).QueueUrl!;
    const queueArn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await c.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'fuzz' }));
    const topicArn = (await c.sns.send(new CreateTopicCommand({ Name: `${prefix}-topic`, Tags: [{ Key: 'team', Value: 'fuzz' }] }))).TopicArn!;
    const subscriptionArn = (await c.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    const bus = `${prefix}-bus`;
    const busArn = (await c.events.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    const ruleArn = (await c.events.send(new PutRuleCommand({ Name: `${prefix}-rule`, EventBusName: bus, EventPattern: PATTERN }))).RuleArn!;
    await c.events.send(new PutTargetsCommand({ Rule: `${prefix}-rule`, EventBusName: bus, Targets: [{ Id: `${prefix}-target`, Arn: queueArn }] }));
    return {
      queueurl: [queueUrl], queuename: [`${prefix}-queue`], queueownerawsaccountid: ['000000000000'], sourcearn: [queueArn], destinationarn: [queueArn],
      topicarn: [topicArn], targetarn: [topicArn], subscriptionarn: [subscriptionArn], endpoint: [queueArn], protocol: ['sqs'],
      name: [`${prefix}-rule`, `${prefix}-topic`, bus], rule: [`${prefix}-rule`], eventbusname: [bus, busArn, 'default'], ids: [`${prefix}-target`],
      eventpattern: [PATTERN], arn: [queueArn, topicArn], resourcearn: [queueArn, topicArn, ruleArn, busArn],
    };
  } finally {
    c.sqs.destroy();
    c.sns.destroy();
    c.events.destroy();
  }
}

/** The resources fuzzed requests name, and the victims destructive ones may take. */
export async function seedMessaging(url: string): Promise<{ known: KnownIds; victims: KnownIds }> {
  return { known: await seedSet(url, 'fuzz'), victims: await seedSet(url, 'fuzz-victim') };
}

/** Merges id lists by member name (both seeded sets may name `name` or `resourcearn`). */
export function mergeKnown(...sets: KnownIds[]): KnownIds {
  const out: KnownIds = {};
  for (const set of sets) for (const [k, v] of Object.entries(set)) out[k] = [...(out[k] ?? []), ...v];
  return out;
}

/** The seeded queue, topic and rule are there, and every list a fuzzed create may have added to still reads. */
export async function assertMessagingIntact(url: string): Promise<void> {
  const c = clients(url);
  try {
    const queues = (await c.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'fuzz-queue' }))).QueueUrls ?? [];
    assert.equal(queues.length, 1, `the seeded queue: ${queues}`);
    await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[0], AttributeNames: ['All'] }));
    await c.sqs.send(new ListQueuesCommand({}));
    const topics = (await c.sns.send(new ListTopicsCommand({}))).Topics ?? [];
    const topicArn = topics.map((t) => t.TopicArn!).find((a) => a.endsWith(':fuzz-topic'));
    assert.ok(topicArn, 'the seeded topic');
    await c.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    assert.equal((await c.events.send(new DescribeRuleCommand({ Name: 'fuzz-rule', EventBusName: 'fuzz-bus' }))).Name, 'fuzz-rule');
    await c.events.send(new ListTargetsByRuleCommand({ Rule: 'fuzz-rule', EventBusName: 'fuzz-bus' }));
    await c.events.send(new ListRulesCommand({}));
  } finally {
    c.sqs.destroy();
    c.sns.destroy();
    c.events.destroy();
  }
}
