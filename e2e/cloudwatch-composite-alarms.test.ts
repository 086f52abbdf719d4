// CloudWatch composite alarms through SDK v3 and the AWS CLI: PutCompositeAlarm over metric and
// composite children (names and ARNs), state from the children's (SetAlarmState and the
// evaluator), AWS's reason and triggeringAlarms, DescribeAlarms' AlarmTypes, ChildrenOfAlarmName
// and ParentsOfAlarmName, DeleteAlarms' guards, history items of type CompositeAlarm, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, ListTagsForResourceCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand,
  PutMetricDataCommand, SetAlarmStateCommand, type CloudWatchClient,
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

const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';

/** A metric alarm on a metric nobody writes: with missing data ignored, it keeps the state it is set to. */
async function child(name: string, metric = 'Quiet'): Promise<void> {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'Composite/Test', MetricName: metric, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10,
    ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
  }));
}
const composite = async (name: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms![0];
const setState = (name: string, state: 'OK' | 'ALARM') => cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'by hand' }));

test('a composite alarm follows its children: created and evaluated at once, then on each child change, with AWS\'s reason', async () => {
  await child('c-cpu');
  await child('c-disk');
  await setState('c-cpu', 'OK');
  await setState('c-disk', 'OK');
  await cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'c-main', AlarmRule: `ALARM("c-cpu") AND NOT OK(${ARN}c-disk)`, AlarmDescription: 'both', ActionsEnabled: false,
    AlarmActions: [`arn:aws:sns:us-east-1:000000000000:ops`], ActionsSuppressor: 'c-disk', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 120,
    Tags: [{ Key: 'team', Value: 'core' }],
  }));
  const created = await composite('c-main');
  assert.equal(created.StateValue, 'OK');
  assert.equal(created.AlarmRule, `ALARM("c-cpu") AND NOT OK(${ARN}c-disk)`);
  assert.equal(created.AlarmArn, `${ARN}c-main`);
  assert.equal(created.AlarmDescription, 'both');
  assert.equal(created.ActionsEnabled, false);
  assert.deepEqual(created.AlarmActions, ['arn:aws:sns:us-east-1:000000000000:ops']);
  assert.equal(created.ActionsSuppressor, 'c-disk');
  assert.equal(created.ActionsSuppressorWaitPeriod, 60);
  assert.equal(created.ActionsSuppressorExtensionPeriod, 120);
  assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: `${ARN}c-main` }))).Tags, [{ Key: 'team', Value: 'core' }]);

  await setState('c-cpu', 'ALARM');
  assert.equal((await composite('c-main')).StateValue, 'OK'); // c-disk is still OK
  await setState('c-disk', 'ALARM');
  const fired = await composite('c-main');
  assert.equal(fired.StateValue, 'ALARM');
  assert.match(fired.StateReason!, new RegExp(`^${ARN}c-disk transitioned to ALARM at \\w+day \\d\\d \\w+, \\d{4} \\d\\d:\\d\\d:\\d\\d UTC$`));
  const data = JSON.parse(fired.StateReasonData!);
  assert.equal(data.triggeringAlarms[0].arn, `${ARN}c-disk`);
  assert.equal(data.triggeringAlarms[0].state.value, 'ALARM');
  assert.match(data.triggeringAlarms[0].state.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  // A composite of a composite follows through both levels.
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'c-top', AlarmRule: 'ALARM(c-main) OR FALSE' }));
  assert.equal((await composite('c-top')).StateValue, 'ALARM');
  await setState('c-cpu', 'OK');
  assert.equal((await composite('c-main')).StateValue, 'OK');
  assert.equal((await composite('c-top')).StateValue, 'OK');

  // SetAlarmState on a composite holds until a child changes it (AWS's rule).
  await setState('c-top', 'ALARM');
  assert.equal((await composite('c-top')).StateReason, 'by hand');
  await setState('c-cpu', 'ALARM');
  assert.equal((await composite('c-main')).StateValue, 'ALARM');
  assert.equal((await composite('c-top')).StateReason, 'by hand');
  await setState('c-cpu', 'OK');
  assert.equal((await composite('c-top')).StateValue, 'OK');
  assert.match((await composite('c-top')).StateReason!, /alarm:c-main transitioned to OK at /);

  // An updated rule is evaluated at once (the state is kept until then), and its parents follow.
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'c-main', AlarmRule: 'ALARM(c-disk)' }));
  assert.equal((await composite('c-main')).StateValue, 'ALARM');
  assert.equal((await composite('c-top')).StateValue, 'ALARM');

  const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'c-main', AlarmTypes: ['CompositeAlarm'], ScanBy: 'TimestampAscending' }));
  const items = history.AlarmHistoryItems!;
  assert.ok(items.every((h) => h.AlarmType === 'CompositeAlarm'));
  assert.deepEqual(items.map((h) => h.HistorySummary), [
    'Alarm "c-main" created', 'Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK',
    'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK', 'Alarm "c-main" updated', 'Alarm updated from OK to ALARM',
  ]);
  const createdItem = JSON.parse(items[0].HistoryData!);
  assert.equal(createdItem.createdAlarm.alarmRule, `ALARM("c-cpu") AND NOT OK(${ARN}c-disk)`);
  assert.equal(createdItem.createdAlarm.actionsSuppressor, 'c-disk');
  // Without AlarmTypes, only metric alarms' items (AWS's default).
  assert.deepEqual((await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'c-main' }))).AlarmHistoryItems, []);
});

test('DescribeAlarms: AlarmTypes, ChildrenOfAlarmName and ParentsOfAlarmName; DeleteAlarms keeps children a composite names', async () => {
  await child('d-a');
  await child('d-b');
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'd-one', AlarmRule: 'ALARM(d-a) OR ALARM(d-b)' }));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'd-two', AlarmRule: 'ALARM(d-one) AND ALARM(d-a)' }));
  const plain = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'd-' }));
  assert.deepEqual(plain.MetricAlarms!.map((a) => a.AlarmName), ['d-a', 'd-b']);
  assert.deepEqual(plain.CompositeAlarms, []);
  const both = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'd-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  assert.deepEqual(both.MetricAlarms!.map((a) => a.AlarmName), ['d-a', 'd-b']);
  assert.deepEqual(both.CompositeAlarms!.map((a) => a.AlarmName), ['d-one', 'd-two']);

  const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'd-two' }));
  assert.deepEqual(children.MetricAlarms!.map((a) => [a.AlarmName, a.AlarmArn, a.StateValue]), [['d-a', `${ARN}d-a`, 'INSUFFICIENT_DATA']]);
  assert.deepEqual(children.CompositeAlarms!.map((a) => a.AlarmName), ['d-one']);
  assert.equal(children.CompositeAlarms![0].AlarmRule, undefined);
  const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'd-a' }));
  assert.deepEqual(parents.CompositeAlarms!.map((a) => [a.AlarmName, a.AlarmArn]), [['d-one', `${ARN}d-one`], ['d-two', `${ARN}d-two`]]);
  assert.equal(parents.CompositeAlarms![0].StateValue, undefined);
  await expectAwsError(cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'd-a', StateValue: 'OK' })), 'ValidationException',
    'If you specify ParentsOfAlarmName, you cannot specify any other parameters in the request except for MaxRecords and NextToken.', 400);

  await expectAwsError(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['d-a'] })), 'ValidationException', 'Cannot delete d-a as there are composite alarm(s) depending on it.', 400);
  await expectAwsError(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['d-a', 'd-one'] })), 'ValidationException', 'Cannot delete d-a,d-one as there are composite alarm(s) depending on them.', 400);
  await expectAwsError(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['d-one', 'd-two'] })), 'ValidationException',
    'You can delete at most one composite alarm in one DeleteAlarms request.', 400);
  // A composite goes with the child only it names.
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['d-two'] }));
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['d-one', 'd-a', 'd-b'] }));
  const left = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'd-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  assert.deepEqual([...left.MetricAlarms!, ...left.CompositeAlarms!], []);
  const deleted = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'd-two', AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'ConfigurationUpdate' }));
  assert.deepEqual(deleted.AlarmHistoryItems!.map((h) => h.HistorySummary), ['Alarm "d-two" deleted', 'Alarm "d-two" created']);
});

test('the evaluator\'s transitions reach the composites above the alarm', async () => {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'e-orders', Namespace: 'Composite/Test', MetricName: 'Orders', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5,
    ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'e-any', AlarmRule: 'ALARM(e-orders)' }));
  await waitFor('the composite to be OK', async () => ((await composite('e-any')).StateValue === 'OK' ? true : undefined), 10_000);
  await cw.send(new PutMetricDataCommand({ Namespace: 'Composite/Test', MetricData: [{ MetricName: 'Orders', Value: 9 }] }));
  await waitFor('the composite to fire', async () => ((await composite('e-any')).StateValue === 'ALARM' ? true : undefined), 10_000);
  assert.match((await composite('e-any')).StateReason!, /alarm:e-orders transitioned to ALARM at /);
});

test('AWS CLI: put-composite-alarm, describe-alarms --alarm-types CompositeAlarm, describe-alarm-history --alarm-types', async () => {
  await child('cli-child');
  const put = await awsCli(env.url, ['cloudwatch', 'put-composite-alarm', '--alarm-name', 'cli-composite', '--alarm-rule', 'ALARM(cli-child) OR TRUE',
    '--alarm-actions', 'arn:aws:sns:us-east-1:000000000000:ops', '--actions-enabled']);
  assert.equal(put.code, 0, put.stderr);
  const described = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--alarm-types', 'CompositeAlarm', '--alarm-names', 'cli-composite']);
  assert.equal(described.code, 0, described.stderr);
  const [alarm] = described.json().CompositeAlarms;
  assert.equal(alarm.AlarmRule, 'ALARM(cli-child) OR TRUE');
  assert.equal(alarm.StateValue, 'ALARM');
  assert.deepEqual(alarm.AlarmActions, ['arn:aws:sns:us-east-1:000000000000:ops']);
  assert.deepEqual(described.json().MetricAlarms, []);
  const history = await awsCli(env.url, ['cloudwatch', 'describe-alarm-history', '--alarm-name', 'cli-composite', '--alarm-types', 'CompositeAlarm']);
  assert.equal(history.code, 0, history.stderr);
  // (Its ALARM action names a topic SNS does not have: the failure is an Action item, written after the transition.)
  assert.deepEqual(history.json().AlarmHistoryItems.map((h: { HistoryItemType: string }) => h.HistoryItemType).filter((t: string) => t !== 'Action'), ['StateUpdate', 'ConfigurationUpdate']);
  const parents = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--parents-of-alarm-name', 'cli-child']);
  assert.equal(parents.code, 0, parents.stderr);
  assert.deepEqual(parents.json().CompositeAlarms, [{ AlarmName: 'cli-composite', AlarmArn: `${ARN}cli-composite` }]);
  const children = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--children-of-alarm-name', 'cli-composite']);
  assert.equal(children.code, 0, children.stderr);
  assert.deepEqual(children.json().MetricAlarms.map((a: { AlarmName: string; StateValue: string }) => [a.AlarmName, a.StateValue]), [['cli-child', 'INSUFFICIENT_DATA']]);
  const bad = await awsCli(env.url, ['cloudwatch', 'put-composite-alarm', '--alarm-name', 'cli-bad', '--alarm-rule', 'ALARM(cli-child) OR ALARM(nobody)']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ValidationError.*Could not save the composite alarm as alarms \[nobody\] in the alarm rule do not exist/);
});

test('bad rules and names: ValidationError as CloudWatch words it', async () => {
  await child('v-a');
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-x', AlarmRule: 'ALARM(v-a) OR ALARM("v-gone") OR OK(v-none)' })), 'ValidationException',
    'Could not save the composite alarm as alarms [v-gone, v-none] in the alarm rule do not exist', 400);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-x', AlarmRule: 'ALARM(v-a) AND' })), 'ValidationException',
    "Error in AlarmRule [Unsupported token '' at char 14, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]", 400);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-x', AlarmRule: 'ALARM(v-a) ' })), 'ValidationException',
    'AlarmRule must not contain leading or trailing whitespace or be null', 400);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-x', AlarmRule: 'ALARM(v-a)', ActionsSuppressor: 'v-a' })), 'ValidationException',
    'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is set.', 400);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-a', AlarmRule: 'TRUE' })), 'ValidationException',
    'The alarm v-a is a metric alarm; a composite alarm cannot take its name.', 400);
  await expectAwsError(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'v-x', AlarmRule: `ALARM(${'a'.repeat(10_241)})` })), 'ValidationException', /AlarmRule|alarmRule/, 400);
  assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'v-x', AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms, []);
});
