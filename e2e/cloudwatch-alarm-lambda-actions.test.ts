// CloudWatch alarm actions that name a Lambda function, end to end through SDK v3: the function
// (allowed for lambda.alarms.cloudwatch.amazonaws.com) receives the documented event on each state
// change into the action's state — SetAlarmState, the evaluator, composite alarms —, by name, alias
// or version; without permission, or with no such function, nothing runs and the history says so;
// ActionsEnabled false runs nothing; Action history items; PutMetricAlarm's checks of Lambda ARNs
// (SDK v3 and the AWS CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeAlarmHistoryCommand, DisableAlarmActionsCommand, EnableAlarmActionsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand,
  type AlarmHistoryItem, type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { AddPermissionCommand, CreateAliasCommand, PublishVersionCommand, type AddPermissionCommandInput } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { ALARM_ACTIONS_PRINCIPAL, createAlarmReceiver, receivedAlarmEvents, waitForAlarmEvents } from '../src/testing/alarm-receiver.js';
import { testAccount } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';

const env = useServer({ args: ['--cloudwatch-interval', '300'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const PRINCIPAL = ALARM_ACTIONS_PRINCIPAL;
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:${testAccount}:alarm:`;
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${testAccount}:function:${name}`;
const receiver = (name: string, permission: Partial<AddPermissionCommandInput> | null) => createAlarmReceiver(env.lambda, name, permission);
const received = (fn: string) => receivedAlarmEvents(env.logs, fn);
const receivedCount = (fn: string, count: number) => waitForAlarmEvents(env.logs, fn, count);

const actionItems = async (alarm: string, type: 'MetricAlarm' | 'CompositeAlarm' = 'MetricAlarm'): Promise<AlarmHistoryItem[]> =>
  (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, HistoryItemType: 'Action', AlarmTypes: [type], ScanBy: 'TimestampAscending' }))).AlarmHistoryItems ?? [];

const setState = (name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason = 'by hand', reasonData?: string) => setAlarmState(cw, name, state, reason, reasonData);

test('SetAlarmState to ALARM, then OK: the functions of each list receive the documented event; Action history items', { timeout: 90_000 }, async () => {
  const fn = 'alarm-receiver';
  const alarm = 'lambda-action-alarm';
  await receiver(fn, { SourceAccount: testAccount, SourceArn: `${ALARM_ARN}${alarm}` });
  // The OK action names an alias, allowed on its own.
  const { Version } = await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: Version }));
  await env.lambda.send(new AddPermissionCommand({ FunctionName: fn, Qualifier: 'live', StatementId: 'alarms-live', Action: 'lambda:InvokeFunction', Principal: PRINCIPAL, SourceAccount: testAccount }));
  await cw.send(new PutMetricAlarmCommand(quietAlarm(alarm, {
    AlarmDescription: 'queue too long', AlarmActions: [fnArn(fn)], OKActions: [`${fnArn(fn)}:live`],
  })));

  const reasonData = JSON.stringify({ source: 'test' });
  await setState(alarm, 'ALARM', 'testing actions', reasonData);
  const [event] = await receivedCount(fn, 1);
  assert.equal(event.source, 'aws.cloudwatch');
  assert.equal(event.alarmArn, `${ALARM_ARN}${alarm}`);
  assert.equal(event.accountId, testAccount);
  assert.equal(event.region, 'us-east-1');
  assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.equal(event.alarmData.alarmName, alarm);
  assert.deepEqual(event.alarmData.state, { value: 'ALARM', reason: 'testing actions', reasonData, timestamp: event.time });
  assert.equal(event.alarmData.previousState.value, 'INSUFFICIENT_DATA');
  assert.equal(event.alarmData.previousState.reason, 'Unchecked: Initial alarm creation');
  const { description, metrics } = event.alarmData.configuration as { description: string; metrics: { id: string; metricStat: unknown; returnData: boolean }[] };
  assert.equal(description, 'queue too long');
  assert.equal(metrics.length, 1);
  assert.match(metrics[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(metrics[0].metricStat, { metric: { namespace: 'Actions/Test', name: 'Quiet', dimensions: { Queue: 'q1' } }, period: 60, stat: 'Sum' });
  assert.equal(metrics[0].returnData, true);

  // The same state again is no change: nothing runs.
  await setState(alarm, 'ALARM', 'still');
  await setState(alarm, 'OK', 'recovered');
  const events = await receivedCount(fn, 2);
  assert.equal(events.length, 2);
  const ok = events[1];
  assert.deepEqual([ok.alarmData.previousState.value, ok.alarmData.previousState.reason, ok.alarmData.state.value, ok.alarmData.state.reason], ['ALARM', 'still', 'OK', 'recovered']);
  assert.equal(ok.alarmData.state.reasonData, undefined);

  const items = await actionItems(alarm);
  assert.deepEqual(items.map((h) => h.HistorySummary), [`Successfully executed action ${fnArn(fn)}`, `Successfully executed action ${fnArn(fn)}:live`]);
  assert.ok(items.every((h) => h.AlarmName === alarm && h.AlarmType === 'MetricAlarm' && h.HistoryItemType === 'Action'));
  const data = JSON.parse(items[0].HistoryData!) as { actionState: string; notificationResource: string; stateUpdateTimestamp: number; publishedMessage: string };
  assert.equal(data.actionState, 'Succeeded');
  assert.equal(data.notificationResource, fnArn(fn));
  assert.equal(typeof data.stateUpdateTimestamp, 'number');
  assert.deepEqual(JSON.parse(data.publishedMessage), event);
  // The state updates are still there, before their actions.
  const all = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!;
  assert.deepEqual(all.map((h) => h.HistoryItemType), ['ConfigurationUpdate', 'StateUpdate', 'Action', 'StateUpdate', 'Action']);
});

test('without permission, for another alarm, or with no such function: not invoked, a failed Action item', { timeout: 90_000 }, async () => {
  const noPolicy = 'alarm-no-policy';
  const otherSource = 'alarm-other-source';
  await receiver(noPolicy, null);
  await receiver(otherSource, { SourceArn: `${ALARM_ARN}some-other-alarm` });
  const alarm = 'lambda-action-refused';
  const actions = [fnArn(noPolicy), fnArn(otherSource), fnArn('alarm-missing-fn')];
  await cw.send(new PutMetricAlarmCommand(quietAlarm(alarm, { AlarmActions: actions })));
  await setState(alarm, 'ALARM');
  const items = await waitFor('three Action items', async () => {
    const found = await actionItems(alarm);
    return found.length >= 3 ? found : undefined;
  });
  assert.deepEqual(items.map((h) => h.HistorySummary!.split('. Received error:')[0]), actions.map((a) => `Failed to execute action ${a}`));
  assert.match(items[0].HistorySummary!, new RegExp(`Received error: ".*${PRINCIPAL.replace(/\./g, '\\.')} is not authorized to perform: lambda:InvokeFunction.*"$`));
  assert.match(items[2].HistorySummary!, /Function not found/);
  const data = JSON.parse(items[1].HistoryData!) as { actionState: string; notificationResource: string; error: string };
  assert.equal(data.actionState, 'Failed');
  assert.equal(data.notificationResource, fnArn(otherSource));
  assert.match(data.error, /not authorized/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(await received(noPolicy), []);
  assert.deepEqual(await received(otherSource), []);
});

test('ActionsEnabled false (and DisableAlarmActions) runs nothing; EnableAlarmActions runs the next change', { timeout: 90_000 }, async () => {
  const fn = 'alarm-disabled-receiver';
  await receiver(fn, { SourceAccount: testAccount });
  const alarm = 'lambda-action-disabled';
  await cw.send(new PutMetricAlarmCommand(quietAlarm(alarm, { ActionsEnabled: false, AlarmActions: [fnArn(fn)], OKActions: [fnArn(fn)] })));
  await setState(alarm, 'ALARM');
  await setState(alarm, 'OK');
  await cw.send(new EnableAlarmActionsCommand({ AlarmNames: [alarm] }));
  await setState(alarm, 'ALARM', 'enabled now');
  const [event] = await receivedCount(fn, 1);
  assert.equal(event.alarmData.state.reason, 'enabled now');
  await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [alarm] }));
  await setState(alarm, 'OK');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await received(fn)).length, 1);
  assert.deepEqual((await actionItems(alarm)).map((h) => h.HistorySummary), [`Successfully executed action ${fnArn(fn)}`]);
});

test('the evaluator\'s state changes run actions too', { timeout: 90_000 }, async () => {
  const fn = 'alarm-evaluated-receiver';
  await receiver(fn, { SourceAccount: testAccount });
  const alarm = 'lambda-action-evaluated';
  // No data treated as not breaching: the first evaluation sets OK.
  await cw.send(new PutMetricAlarmCommand(quietAlarm(alarm, { TreatMissingData: 'notBreaching', OKActions: [fnArn(fn)] })));
  const [event] = await receivedCount(fn, 1);
  assert.deepEqual([event.alarmData.previousState.value, event.alarmData.state.value], ['INSUFFICIENT_DATA', 'OK']);
  assert.equal(JSON.parse(event.alarmData.state.reasonData!).version, '1.0');
});

test('a composite alarm\'s actions run when its children change it, with its rule in the event; suppressed while its suppressor is in ALARM', { timeout: 90_000 }, async () => {
  const fn = 'composite-receiver';
  await receiver(fn, { SourceAccount: testAccount });
  await cw.send(new PutMetricAlarmCommand(quietAlarm('cx-child')));
  await cw.send(new PutMetricAlarmCommand(quietAlarm('cx-suppressor')));
  await setState('cx-child', 'OK');
  await setState('cx-suppressor', 'OK');
  await cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'cx-main', AlarmRule: 'ALARM("cx-child")', AlarmDescription: 'composite', AlarmActions: [fnArn(fn)], OKActions: [fnArn(fn)],
    ActionsSuppressor: 'cx-suppressor', ActionsSuppressorWaitPeriod: 0, ActionsSuppressorExtensionPeriod: 60,
  }));
  // No wait period: the actions run as the composite changes. Created INSUFFICIENT_DATA and evaluated at once to OK: the OK action runs.
  await setState('cx-child', 'ALARM', 'child breached');
  const events = await receivedCount(fn, 2);
  assert.deepEqual(events.map((e) => e.alarmData.state.value), ['OK', 'ALARM']);
  const alarmEvent = events[1];
  assert.equal(alarmEvent.alarmArn, `${ALARM_ARN}cx-main`);
  assert.equal(alarmEvent.alarmData.alarmName, 'cx-main');
  assert.match(alarmEvent.alarmData.state.reason, new RegExp(`^${ALARM_ARN}cx-child transitioned to ALARM at `));
  assert.equal(JSON.parse(alarmEvent.alarmData.state.reasonData!).triggeringAlarms[0].arn, `${ALARM_ARN}cx-child`);
  assert.deepEqual(alarmEvent.alarmData.configuration, {
    description: 'composite', alarmRule: 'ALARM("cx-child")', actionsSuppressor: 'cx-suppressor', actionsSuppressorWaitPeriod: 0, actionsSuppressorExtensionPeriod: 60,
  });
  assert.equal((await actionItems('cx-main', 'CompositeAlarm')).length, 2);

  // The suppressor in ALARM: the composite changes, its actions do not run.
  await setState('cx-suppressor', 'ALARM');
  await setState('cx-child', 'OK');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await received(fn)).length, 2);
  assert.equal((await actionItems('cx-main', 'CompositeAlarm')).length, 2);
});

test('PutMetricAlarm and PutCompositeAlarm check Lambda action ARNs: form, partition, region', async () => {
  const put = (action: string) => cw.send(new PutMetricAlarmCommand(quietAlarm('lambda-action-checks', { AlarmActions: [action] })));
  await expectAwsError(put(`arn:aws:lambda:eu-west-1:${testAccount}:function:f`), 'ValidationException', 'Invalid region eu-west-1 specified. Only us-east-1 is supported.');
  await expectAwsError(put(`arn:aws-cn:lambda:us-east-1:${testAccount}:function:f`), 'ValidationException', 'Invalid partition aws-cn specified. Only aws is supported.');
  await expectAwsError(put(`arn:aws:lambda:us-east-1:${testAccount}:layer:f`), 'ValidationException', /^Invalid Lambda function ARN: /);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'cx-checks', AlarmRule: 'FALSE', OKActions: [`arn:aws:lambda:us-east-1:${testAccount}:function:`] })),
    'ValidationException', /^Invalid Lambda function ARN: /);
  // Another account's function, a version, and other kinds of action are accepted.
  await put('arn:aws:lambda:us-east-1:111122223333:function:theirs:7');
  await put('arn:aws:sns:us-east-1:000000000000:topic');
  // The AWS CLI (query protocol) sees the same error.
  const cli = await awsCli(env.url, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'lambda-action-cli', '--namespace', 'Actions/Test', '--metric-name', 'Quiet',
    '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold',
    '--alarm-actions', `arn:aws:lambda:eu-west-1:${testAccount}:function:f`]);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /\(ValidationError\).*Invalid region eu-west-1 specified\. Only us-east-1 is supported\./);
});
