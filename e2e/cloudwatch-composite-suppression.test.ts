// Composite alarm action suppression end to end (SDK v3, the AWS CLI for DescribeAlarms' XML):
// a composite going into ALARM waits ActionsSuppressorWaitPeriod for its suppressor and then
// performs its actions (AWS's ALARM-to-ALARM event, the suppressed state as previousState);
// a suppressor going into ALARM during the wait suppresses them (Alarm), and its leaving ALARM
// starts the extension period, after which a composite still in ALARM performs them; a composite
// leaving ALARM meanwhile performs nothing; DescribeAlarms' ActionsSuppressedBy and
// ActionsSuppressedReason in each phase; a suppressor deleted; the periods' check; a suppressor
// that does not exist refused; a restart during a wait period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand,
  type CloudWatchClient, type CompositeAlarm, type PutCompositeAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createAlarmReceiver, receivedAlarmEvents, waitForAlarmEvents } from '../src/testing/alarm-receiver.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';
import { testAccount } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${testAccount}:function:${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const setState = (name: string, state: 'OK' | 'ALARM') => setAlarmState(cw, name, state);
const describe = async (name: string): Promise<CompositeAlarm> =>
  (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms![0];
const suppression = async (name: string) => {
  const c = await describe(name);
  return [c.StateValue, c.ActionsSuppressedBy, c.ActionsSuppressedReason];
};

/**
 * A receiver, a child and a suppressor (both OK), and a composite in ALARM while the child is,
 * whose ALARM and OK actions name the receiver; the composite is created OK (no action on OK yet: added after).
 */
async function setUp(prefix: string, periods: Pick<PutCompositeAlarmCommandInput, 'ActionsSuppressorWaitPeriod' | 'ActionsSuppressorExtensionPeriod'>): Promise<{ fn: string; child: string; suppressor: string; composite: string }> {
  const [fn, child, suppressor, composite] = [`${prefix}-receiver`, `${prefix}-child`, `${prefix}-suppressor`, `${prefix}-main`];
  await createAlarmReceiver(env.lambda, fn, { SourceAccount: testAccount });
  for (const name of [child, suppressor]) {
    await cw.send(new PutMetricAlarmCommand(quietAlarm(name)));
    await setState(name, 'OK');
  }
  const input: PutCompositeAlarmCommandInput = { AlarmName: composite, AlarmRule: `ALARM("${child}")`, ActionsSuppressor: suppressor, ...periods };
  await cw.send(new PutCompositeAlarmCommand(input));
  await cw.send(new PutCompositeAlarmCommand({ ...input, AlarmActions: [fnArn(fn)], OKActions: [fnArn(fn)] }));
  assert.deepEqual(await suppression(composite), ['OK', undefined, undefined]);
  return { fn, child, suppressor, composite };
}

test('the wait period elapses without the suppressor: the actions run, as an ALARM-to-ALARM state update', { timeout: 90_000 }, async () => {
  const { fn, child, composite } = await setUp('sw', { ActionsSuppressorWaitPeriod: 4, ActionsSuppressorExtensionPeriod: 2 });
  await setState(child, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'WaitPeriod', 'Actions suppressed by WaitPeriod']);
  await sleep(1000);
  assert.deepEqual(await receivedAlarmEvents(env.logs, fn), []);

  const [event] = await waitForAlarmEvents(env.logs, fn, 1);
  const { state, previousState } = event.alarmData;
  assert.deepEqual([previousState.value, previousState.actionsSuppressedBy, previousState.actionsSuppressedReason], ['ALARM', 'WaitPeriod', 'Actions suppressed by WaitPeriod']);
  assert.deepEqual([state.value, state.actionsSuppressedBy, state.actionsSuppressedReason], ['ALARM', undefined, undefined]);
  assert.equal(state.reason, previousState.reason);
  assert.ok(Date.parse(state.timestamp.replace('+0000', 'Z')) - Date.parse(previousState.timestamp.replace('+0000', 'Z')) >= 4000);
  assert.equal(event.time, state.timestamp);

  const after = await describe(composite);
  assert.deepEqual([after.StateValue, after.ActionsSuppressedBy, after.ActionsSuppressedReason], ['ALARM', undefined, undefined]);
  assert.ok(after.StateUpdatedTimestamp!.getTime() - after.StateTransitionedTimestamp!.getTime() >= 4000);
  const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: composite, AlarmTypes: ['CompositeAlarm'], ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!;
  const updates = history.filter((h) => h.HistoryItemType === 'StateUpdate');
  assert.deepEqual(updates.map((h) => h.HistorySummary), ['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to ALARM']);
  const waiting = JSON.parse(updates[1].HistoryData!) as { newState: Record<string, unknown> };
  assert.deepEqual([waiting.newState.actionsSuppressedBy, waiting.newState.actionsSuppressedReason], ['WaitPeriod', 'Actions suppressed by WaitPeriod']);
  const ended = JSON.parse(updates[2].HistoryData!) as { oldState: Record<string, unknown>; newState: Record<string, unknown> };
  assert.equal(ended.oldState.actionsSuppressedBy, 'WaitPeriod');
  assert.equal(ended.newState.actionsSuppressedBy, undefined);
  assert.deepEqual(history.slice(-2).map((h) => h.HistoryItemType), ['StateUpdate', 'Action']);
  assert.equal(history.at(-1)!.HistorySummary, `Successfully executed action ${fnArn(fn)}`);
  await sleep(1000);
  assert.equal((await receivedAlarmEvents(env.logs, fn)).length, 1);
});

test('the suppressor goes into ALARM during the wait (Alarm), then out of it (ExtensionPeriod): the actions run after the extension', { timeout: 90_000 }, async () => {
  const { fn, child, suppressor, composite } = await setUp('sa', { ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 4 });
  await setState(child, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'WaitPeriod', 'Actions suppressed by WaitPeriod']);
  await setState(suppressor, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'Alarm', 'Actions suppressed by Alarm']);
  // The AWS CLI (query protocol, XML) shows the same.
  const cli = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--alarm-names', composite, '--alarm-types', 'CompositeAlarm']);
  assert.equal(cli.code, 0, cli.stderr);
  const shown = JSON.parse(cli.stdout).CompositeAlarms[0];
  assert.deepEqual([shown.ActionsSuppressedBy, shown.ActionsSuppressedReason], ['Alarm', 'Actions suppressed by Alarm']);
  await sleep(1000);
  assert.deepEqual(await suppression(composite), ['ALARM', 'Alarm', 'Actions suppressed by Alarm']);
  assert.deepEqual(await receivedAlarmEvents(env.logs, fn), []);

  await setState(suppressor, 'OK');
  assert.deepEqual(await suppression(composite), ['ALARM', 'ExtensionPeriod', 'Actions suppressed by ExtensionPeriod']);
  const [event] = await waitForAlarmEvents(env.logs, fn, 1);
  assert.deepEqual([event.alarmData.previousState.value, event.alarmData.previousState.actionsSuppressedBy, event.alarmData.state.value], ['ALARM', 'ExtensionPeriod', 'ALARM']);
  assert.deepEqual(await suppression(composite), ['ALARM', undefined, undefined]);
  await sleep(1000);
  assert.equal((await receivedAlarmEvents(env.logs, fn)).length, 1);
});

test('changes while suppressed: into ALARM with the suppressor in ALARM, then OK during the extension: nothing runs', { timeout: 90_000 }, async () => {
  const { fn, child, suppressor, composite } = await setUp('se', { ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 5 });
  await setState(suppressor, 'ALARM');
  // The suppressor in ALARM while the composite is not suppressed: nothing to show.
  assert.deepEqual(await suppression(composite), ['OK', undefined, undefined]);
  await setState(child, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'Alarm', 'Actions suppressed by Alarm']);
  await setState(suppressor, 'OK');
  assert.deepEqual(await suppression(composite), ['ALARM', 'ExtensionPeriod', 'Actions suppressed by ExtensionPeriod']);
  // Back to OK within the extension: the OK actions are suppressed too, the period goes on.
  await setState(child, 'OK');
  assert.deepEqual(await suppression(composite), ['OK', 'ExtensionPeriod', 'Actions suppressed by ExtensionPeriod']);
  await waitFor('the extension period to end', async () => ((await describe(composite)).ActionsSuppressedBy === undefined ? true : undefined), 15_000);
  assert.equal((await describe(composite)).StateValue, 'OK');
  await sleep(1000);
  assert.deepEqual(await receivedAlarmEvents(env.logs, fn), []);
  const actions = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: composite, AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'Action' }));
  assert.deepEqual(actions.AlarmHistoryItems, []);
});

test('the suppressor deleted while it suppresses: the extension period follows, then the actions run', { timeout: 90_000 }, async () => {
  const { fn, child, suppressor, composite } = await setUp('sd', { ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 1 });
  await setState(suppressor, 'ALARM');
  await setState(child, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'Alarm', 'Actions suppressed by Alarm']);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: [suppressor] }));
  const [event] = await waitForAlarmEvents(env.logs, fn, 1);
  assert.equal(event.alarmData.previousState.actionsSuppressedBy, 'ExtensionPeriod');
  assert.deepEqual(await suppression(composite), ['ALARM', undefined, undefined]);
});

test('PutCompositeAlarm checks the periods', async () => {
  await cw.send(new PutMetricAlarmCommand(quietAlarm('sv-child')));
  const put = (wait: number, extension: number) => cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'sv-main', AlarmRule: 'ALARM("sv-child")', ActionsSuppressor: 'sv-child', ActionsSuppressorWaitPeriod: wait, ActionsSuppressorExtensionPeriod: extension,
  }));
  await expectAwsError(put(-1, 60), 'ValidationException', 'The value -1 for parameter ActionsSuppressorWaitPeriod is not valid. It must be greater than or equal to 0.', 400);
  await expectAwsError(put(60, -5), 'ValidationException', 'The value -5 for parameter ActionsSuppressorExtensionPeriod is not valid. It must be greater than or equal to 0.', 400);
  await put(0, 0);
});

test('PutCompositeAlarm refuses a suppressor that does not exist (name or ARN); one deleted later stays named', async () => {
  await cw.send(new PutMetricAlarmCommand(quietAlarm('sx-child')));
  await cw.send(new PutMetricAlarmCommand(quietAlarm('sx-suppressor')));
  const put = (suppressor: string) => cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'sx-main', AlarmRule: 'ALARM("sx-child")', ActionsSuppressor: suppressor, ActionsSuppressorWaitPeriod: 10, ActionsSuppressorExtensionPeriod: 10,
  }));
  const arn = (region: string, name: string) => `arn:aws:cloudwatch:${region}:${testAccount}:alarm:${name}`;
  for (const missing of ['sx-gone', arn('us-east-1', 'sx-gone'), arn('eu-west-1', 'sx-suppressor')]) {
    await expectAwsError(put(missing), 'ValidationException', `Could not save the composite alarm as the actions suppressor alarm [${missing}] does not exist`, 400);
  }
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sx-main'], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms!.length, 0);
  const cli = await awsCli(env.url, ['cloudwatch', 'put-composite-alarm', '--alarm-name', 'sx-main', '--alarm-rule', 'ALARM("sx-child")',
    '--actions-suppressor', 'sx-gone', '--actions-suppressor-wait-period', '10', '--actions-suppressor-extension-period', '10']);
  assert.equal(cli.code, 254, cli.stderr);
  assert.match(cli.stderr, /\(ValidationError\) when calling the PutCompositeAlarm operation.*: Could not save the composite alarm as the actions suppressor alarm \[sx-gone\] does not exist/);
  await put(arn('us-east-1', 'sx-suppressor'));
  // Deleting the suppressor is not refused (only a composite's rule holds its alarms): the composite keeps naming it.
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['sx-suppressor'] }));
  assert.equal((await describe('sx-main')).ActionsSuppressor, arn('us-east-1', 'sx-suppressor'));
});

test('a restart during the wait period: the new server ends it and runs the actions once', { timeout: 120_000 }, async () => {
  const { fn, child, composite } = await setUp('sr', { ActionsSuppressorWaitPeriod: 10, ActionsSuppressorExtensionPeriod: 2 });
  await setState(child, 'ALARM');
  assert.deepEqual(await suppression(composite), ['ALARM', 'WaitPeriod', 'Actions suppressed by WaitPeriod']);
  cw.destroy();
  await env.restart();
  cw = cloudWatchClient(env.url);
  // Restarted within the wait period: the new server ends it.
  assert.deepEqual(await suppression(composite), ['ALARM', 'WaitPeriod', 'Actions suppressed by WaitPeriod']);
  const [event] = await waitForAlarmEvents(env.logs, fn, 1);
  assert.equal(event.alarmData.previousState.actionsSuppressedBy, 'WaitPeriod');
  assert.deepEqual(await suppression(composite), ['ALARM', undefined, undefined]);
  await sleep(1000);
  assert.equal((await receivedAlarmEvents(env.logs, fn)).length, 1);
});
