// Alarm actions in a cluster: two nodes on one PostgreSQL database both evaluate an alarm whose
// actions name a Lambda function; the node whose compare-and-set wins a transition runs its
// actions, so the function receives one event and the history holds one Action item per change;
// so does the node whose tick ends a composite's wait period.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { TestServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { createAlarmReceiver, receivedAlarmEvents, waitForAlarmEvents } from '../src/testing/alarm-receiver.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes evaluate an alarm: each transition runs its Lambda action once', { timeout: 120_000 }, async () => {
  database ??= await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '200'] });
  const [a, b] = [await start(), await start()];
  const [cwA, cwB] = [cloudWatchClient(a.url), cloudWatchClient(b.url)];
  try {
    const fn = 'cluster-alarm-receiver';
    const functionArn = `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`;
    await createAlarmReceiver(a.lambda, fn, { SourceAccount: testAccount });
    // No data treated as not breaching: both nodes' first evaluation sets OK; one writes it.
    await cwA.send(new PutMetricAlarmCommand({
      AlarmName: 'cluster-actions', Namespace: 'Cluster/Actions', MetricName: 'Quiet', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', OKActions: [functionArn], AlarmActions: [functionArn],
    }));
    await waitForAlarmEvents(a.logs, fn, 1);
    await cwB.send(new SetAlarmStateCommand({ AlarmName: 'cluster-actions', StateValue: 'ALARM', StateReason: 'set on node B' }));
    // The evaluators bring it back to OK: three transitions in all.
    const events = await waitForAlarmEvents(b.logs, fn, 3);
    await new Promise((r) => setTimeout(r, 1500));
    const all = await receivedAlarmEvents(a.logs, fn);
    assert.deepEqual(all.map((e) => e.alarmData.state.value), ['OK', 'ALARM', 'OK'], JSON.stringify(events.map((e) => e.alarmData.state)));
    const actions = (await cwA.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cluster-actions', HistoryItemType: 'Action' }))).AlarmHistoryItems ?? [];
    assert.equal(actions.length, 3);
    assert.ok(actions.every((h) => h.HistorySummary === `Successfully executed action ${functionArn}`));
  } finally {
    cwA.destroy();
    cwB.destroy();
    await a.stop();
    await b.stop();
  }
});

test('two nodes tick through a composite\'s wait period: its actions run once', { timeout: 120_000 }, async () => {
  database ??= await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '100'] });
  const [a, b] = [await start(), await start()];
  const [cwA, cwB] = [cloudWatchClient(a.url), cloudWatchClient(b.url)];
  try {
    const fn = 'cluster-suppression-receiver';
    const functionArn = `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`;
    await createAlarmReceiver(a.lambda, fn, { SourceAccount: testAccount });
    for (const name of ['cluster-child', 'cluster-suppressor']) {
      await cwA.send(new PutMetricAlarmCommand(quietAlarm(name)));
      await setAlarmState(cwA, name, 'OK');
    }
    await cwA.send(new PutCompositeAlarmCommand({
      AlarmName: 'cluster-composite', AlarmRule: 'ALARM("cluster-child")', AlarmActions: [functionArn],
      ActionsSuppressor: 'cluster-suppressor', ActionsSuppressorWaitPeriod: 4, ActionsSuppressorExtensionPeriod: 2,
    }));
    await setAlarmState(cwB, 'cluster-child', 'ALARM');
    const shown = (await cwA.send(new DescribeAlarmsCommand({ AlarmNames: ['cluster-composite'], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms![0];
    assert.equal(shown.ActionsSuppressedBy, 'WaitPeriod');
    const [event] = await waitForAlarmEvents(a.logs, fn, 1);
    assert.equal(event.alarmData.previousState.actionsSuppressedBy, 'WaitPeriod');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await receivedAlarmEvents(b.logs, fn)).length, 1);
    const history = (await cwB.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cluster-composite', AlarmTypes: ['CompositeAlarm'] }))).AlarmHistoryItems ?? [];
    assert.equal(history.filter((h) => h.HistoryItemType === 'Action').length, 1);
    assert.equal(history.filter((h) => h.HistorySummary === 'Alarm updated from ALARM to ALARM').length, 1);
  } finally {
    cwA.destroy();
    cwB.destroy();
    await a.stop();
    await b.stop();
  }
});
