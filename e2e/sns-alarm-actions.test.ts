// CloudWatch alarm actions that name an SNS topic, end to end: the alarm's state change publishes
// CloudWatch's notification (subject and JSON message) to the topic, which an HTTP subscription
// receives; the Action history item records it; a topic that does not exist, or whose policy does not let the alarm
// publish (cloudwatch.amazonaws.com with the alarm as source), is a failed action.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmHistoryCommand, PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ConfirmSubscriptionCommand, CreateTopicCommand, SetTopicAttributesCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient, snsClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';
import { SnsListener } from '../src/testing/sns-listener.js';

const env = useServer();
const listener = new SnsListener();
let sns: SNSClient;
let cw: CloudWatchClient;
let endpoint = '';
env.setup(async () => {
  sns = snsClient(env.url);
  cw = cloudWatchClient(env.url);
  endpoint = await listener.start();
});
after(() => listener.close());

test('an alarm going into ALARM publishes CloudWatch\'s notification to the topic its AlarmActions name', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint}/alarms` }));
  const confirmation = await waitFor('a SubscriptionConfirmation', () => listener.bodies('/alarms').find((b) => b.Type === 'SubscriptionConfirmation'));
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
  const missing = `arn:aws:sns:us-east-1:${testAccount}:no-such-topic`;
  await cw.send(new PutMetricAlarmCommand(quietAlarm('queue-alarm', { AlarmDescription: 'queue too long', AlarmActions: [TopicArn!, missing] })));
  await setAlarmState(cw, 'queue-alarm', 'ALARM', 'testing SNS actions');

  const note = await waitFor('the alarm notification', () => listener.bodies('/alarms').find((b) => b.Type === 'Notification'));
  assert.equal(note.TopicArn, TopicArn);
  assert.equal(note.Subject, 'ALARM: "queue-alarm" in US East (N. Virginia)');
  const message = JSON.parse(note.Message);
  assert.equal(message.AlarmName, 'queue-alarm');
  assert.equal(message.AlarmDescription, 'queue too long');
  assert.equal(message.AWSAccountId, testAccount);
  assert.equal(message.NewStateValue, 'ALARM');
  assert.equal(message.NewStateReason, 'testing SNS actions');
  assert.equal(message.OldStateValue, 'INSUFFICIENT_DATA');
  assert.equal(message.Region, 'US East (N. Virginia)');
  assert.equal(message.AlarmArn, `arn:aws:cloudwatch:us-east-1:${testAccount}:alarm:queue-alarm`);
  assert.match(message.StateChangeTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.deepEqual(message.AlarmActions, [TopicArn, missing]);
  assert.deepEqual(message.Trigger, {
    MetricName: 'Quiet', Namespace: 'Actions/Test', StatisticType: 'Statistic', Statistic: 'SUM', Unit: null, Dimensions: [{ value: 'q1', name: 'Queue' }],
    Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 10, TreatMissingData: 'ignore', EvaluateLowSampleCountPercentile: '',
  });

  const items = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'queue-alarm', HistoryItemType: 'Action' }))).AlarmHistoryItems ?? [];
  const summaries = items.map((i) => i.HistorySummary).sort();
  assert.equal(summaries.length, 2);
  assert.match(String(summaries[0]), /^Failed to execute action arn:aws:sns:us-east-1:\d+:no-such-topic\. Received error: "Topic does not exist"$/);
  assert.equal(summaries[1], `Successfully executed action ${TopicArn}`);
});

test('a topic whose policy does not let cloudwatch.amazonaws.com publish from the alarm is a failed action', { timeout: 60_000 }, async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'closed-to-alarms' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TopicArn,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${testAccount}:alarm:allowed-*` } } }],
  }) }));
  for (const name of ['allowed-alarm', 'other-alarm']) {
    await cw.send(new PutMetricAlarmCommand(quietAlarm(name, { AlarmActions: [TopicArn!] })));
    await setAlarmState(cw, name, 'ALARM', 'testing the topic policy');
  }
  const summary = (name: string) => waitFor(`${name}'s action`, async () =>
    (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'Action' }))).AlarmHistoryItems?.[0]?.HistorySummary);
  assert.equal(await summary('allowed-alarm'), `Successfully executed action ${TopicArn}`);
  assert.match(await summary('other-alarm'), /^Failed to execute action .*closed-to-alarms\. Received error: "the resource policy of .* does not allow cloudwatch\.amazonaws\.com"$/);
});
