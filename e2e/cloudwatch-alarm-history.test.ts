// CloudWatch alarm history through SDK v3 and the AWS CLI: what PutMetricAlarm, SetAlarmState, the
// evaluator and DeleteAlarms record, in AWS's summaries and HistoryData shapes; the filters, both
// scan orders and paging of DescribeAlarmHistory; history kept after the alarm is deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
  type AlarmHistoryItem, type CloudWatchClient, type DescribeAlarmHistoryCommandInput, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const NAME = 'history-alarm';
const alarmInput = (extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: NAME, Namespace: 'History', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }], Statistic: 'Sum', Period: 60,
  EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', OKActions: ['arn:aws:sns:us-east-1:000000000000:ok'], ...extra,
});
const stateOf = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [NAME] }))).MetricAlarms?.[0]?.StateValue;
const history = async (extra: Partial<DescribeAlarmHistoryCommandInput> = {}): Promise<AlarmHistoryItem[]> =>
  (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: NAME, ...extra }))).AlarmHistoryItems ?? [];

test('the life of an alarm, newest first: created, evaluated, updated, set, evaluated again, deleted', async () => {
  const before = new Date(Date.now() - 1000);
  await cw.send(new PutMetricAlarmCommand(alarmInput()));
  await waitFor('the evaluator to set OK', async () => ((await stateOf()) === 'OK' ? true : undefined), 10_000);
  await cw.send(new PutMetricAlarmCommand(alarmInput({ Threshold: 7 })));
  await cw.send(new SetAlarmStateCommand({ AlarmName: NAME, StateValue: 'ALARM', StateReason: 'testing purposes' }));
  await waitFor('the evaluator to set OK again', async () => ((await stateOf()) === 'OK' ? true : undefined), 10_000);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: [NAME, 'never-existed'] }));

  // The OK action names a topic SNS does not have: each OK transition also records its failure (an Action item, written after the transition).
  const failures = await waitFor('the OK actions\' failures', async () => {
    const actions = await history({ HistoryItemType: 'Action' });
    return actions.length === 2 ? actions : undefined;
  }, 10_000);
  for (const f of failures) assert.equal(f.HistorySummary, 'Failed to execute action arn:aws:sns:us-east-1:000000000000:ok. Received error: "Topic does not exist"');
  const all = await history();
  const items = all.filter((h) => h.HistoryItemType !== 'Action');
  assert.deepEqual(items.map((h) => h.HistorySummary), [
    `Alarm "${NAME}" deleted`,
    'Alarm updated from ALARM to OK',
    'Alarm updated from OK to ALARM',
    `Alarm "${NAME}" updated`,
    'Alarm updated from INSUFFICIENT_DATA to OK',
    `Alarm "${NAME}" created`,
  ], 'kept after the alarm is deleted');
  assert.ok(items.every((h) => h.AlarmName === NAME && h.AlarmType === 'MetricAlarm' && h.Timestamp! >= before));
  assert.deepEqual(items.map((h) => h.HistoryItemType), ['ConfigurationUpdate', 'StateUpdate', 'StateUpdate', 'ConfigurationUpdate', 'StateUpdate', 'ConfigurationUpdate']);

  const created = JSON.parse(items[5].HistoryData!);
  assert.equal(created.version, '1.0');
  assert.equal(created.type, 'Create');
  assert.equal(created.createdAlarm.alarmName, NAME);
  assert.equal(created.createdAlarm.alarmArn, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${NAME}`);
  assert.deepEqual(created.createdAlarm.dimensions, [{ value: 'q1', name: 'Queue' }]);
  assert.deepEqual(created.createdAlarm.okactions, ['arn:aws:sns:us-east-1:000000000000:ok']);
  assert.equal(created.createdAlarm.stateValue, 'INSUFFICIENT_DATA');
  assert.match(created.createdAlarm.alarmConfigurationUpdatedTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  const updated = JSON.parse(items[3].HistoryData!);
  assert.equal(updated.type, 'Update');
  assert.equal(updated.updatedAlarm.threshold, 7);
  assert.equal(updated.originalUpdatedAlarm.threshold, 5);
  assert.equal(JSON.parse(items[0].HistoryData!).deletedAlarm.threshold, 7);

  const set = JSON.parse(items[2].HistoryData!);
  assert.deepEqual(set.newState, { stateValue: 'ALARM', stateReason: 'testing purposes' });
  assert.equal(set.oldState.stateValue, 'OK');
  assert.equal(set.oldState.stateReasonData.version, '1.0', 'the evaluator\'s reason data, as JSON');
  const evaluated = JSON.parse(items[1].HistoryData!);
  assert.deepEqual(evaluated.oldState, { stateValue: 'ALARM', stateReason: 'testing purposes' });
  assert.equal(evaluated.newState.stateValue, 'OK');
  assert.match(evaluated.newState.stateReason, /^No datapoints were received/);
  assert.equal(evaluated.newState.stateReasonData.statistic, 'Sum');

  // Filters, the other order, pages.
  assert.deepEqual((await history({ HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' })).map((h) => h.HistorySummary), [
    'Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK',
  ]);
  assert.deepEqual(await history({ AlarmTypes: ['CompositeAlarm'] }), []);
  assert.deepEqual(await history({ StartDate: new Date(Date.now() + 60_000) }), []);
  assert.equal((await history({ EndDate: new Date(Date.now() + 60_000), StartDate: before })).length, 8);
  const pages: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: NAME, MaxRecords: 4, NextToken, ScanBy: 'TimestampAscending' }));
    pages.push(page.AlarmHistoryItems!.map((h) => h.HistorySummary).join(' | '));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.equal(pages.length, 2);
  assert.equal(pages.join(' | '), all.map((h) => h.HistorySummary).reverse().join(' | '));

  // The AWS CLI (query protocol), paging one item at a time through its own paginator.
  const cli = await awsCli(env.url, ['cloudwatch', 'describe-alarm-history', '--alarm-name', NAME, '--history-item-type', 'ConfigurationUpdate',
    '--scan-by', 'TimestampAscending', '--page-size', '1']);
  assert.equal(cli.code, 0, cli.stderr);
  const listed = cli.json().AlarmHistoryItems as { HistorySummary: string; HistoryData: string; AlarmType: string }[];
  assert.deepEqual(listed.map((h) => h.HistorySummary), [`Alarm "${NAME}" created`, `Alarm "${NAME}" updated`, `Alarm "${NAME}" deleted`]);
  assert.equal(listed[0].AlarmType, 'MetricAlarm');
  assert.equal(JSON.parse(listed[0].HistoryData).type, 'Create');
});

test('no history item when SetAlarmState leaves the state as it is; bad NextToken; other accounts see none', async () => {
  const name = 'history-quiet';
  await cw.send(new PutMetricAlarmCommand(alarmInput({ AlarmName: name, TreatMissingData: 'missing' })));
  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'INSUFFICIENT_DATA', StateReason: 'same again' }));
  const items = await history({ AlarmName: name });
  assert.deepEqual(items.map((h) => h.HistorySummary), [`Alarm "${name}" created`]);
  await expectAwsError(cw.send(new DescribeAlarmHistoryCommand({ NextToken: 'bm9wZQ==' })), 'InvalidNextToken',
    'The service cannot process the request because the NextToken is invalid.', 400);
  const elsewhere = cloudWatchClient(env.url, 'eu-west-1');
  try {
    assert.deepEqual((await elsewhere.send(new DescribeAlarmHistoryCommand({}))).AlarmHistoryItems, []);
  } finally {
    elsewhere.destroy();
  }
});
