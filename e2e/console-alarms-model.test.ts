// The console's Alarms page without a server or a browser: console/alarms-model.js writing a metric
// alarm's condition in short (a metric, a metric math query, M of N, an anomaly band), reading action
// ARNs (Lambda functions with their qualifier, others as they are), ActionsSuppressedBy, a math
// alarm's label and a composite's suppressor under the condition, rows of both
// alarm types by name, and the filter as DescribeAlarms members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';

const load = (): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', 'alarms-model.js')).href);

test('a metric alarm\'s condition in short', async () => {
  const m = await load();
  assert.equal(m.metricRule({
    Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:prod' }],
    Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
  }), 'Sum(AWS/Lambda Errors {FunctionName=f,Resource=f:prod}) per 60s > 0 for 2 of 3 periods');
  assert.equal(m.metricRule({ Namespace: 'N', MetricName: 'Latency', ExtendedStatistic: 'p99', Period: 300, EvaluationPeriods: 1, Threshold: 250, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
    'p99(N Latency) per 300s >= 250 for 1 period');
  assert.equal(m.metricRule({
    Metrics: [
      { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'rate', Expression: 'e / 10', ReturnData: true },
    ], EvaluationPeriods: 2, Threshold: 0.05, ComparisonOperator: 'GreaterThanThreshold',
  }), 'e / 10 > 0.05 for 2 periods');
  assert.equal(m.metricRule({
    Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'X' }, Period: 60, Stat: 'Average' }, ReturnData: true }, { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' }],
    ThresholdMetricId: 'ad1', EvaluationPeriods: 1, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
  }), 'Average(N X) per 60s outside band ad1 for 1 period');
});

test('actions: Lambda functions by name and qualifier, others as they are', async () => {
  const m = await load();
  assert.deepEqual(m.actionOf('arn:aws:lambda:us-east-1:000000000000:function:roll-back'), { arn: 'arn:aws:lambda:us-east-1:000000000000:function:roll-back', lambda: { name: 'roll-back', label: 'roll-back' } });
  assert.deepEqual(m.actionOf('arn:aws:lambda:us-east-1:000000000000:function:roll-back:live').lambda, { name: 'roll-back', label: 'roll-back:live' });
  assert.deepEqual(m.actionOf('arn:aws:sns:us-east-1:000000000000:ops'), { arn: 'arn:aws:sns:us-east-1:000000000000:ops' });
});

test('rows of both types by name; suppression; the filter; the question before Set state', async () => {
  const m = await load();
  const rows = m.alarmRows({
    MetricAlarms: [{ AlarmName: 'b', StateValue: 'OK', StateReason: 'fine', StateUpdatedTimestamp: '2026-01-01T00:00:00.000Z', ActionsEnabled: false, OKActions: ['arn:aws:sns:us-east-1:1:t'], Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold' }],
    CompositeAlarms: [{ AlarmName: 'a', StateValue: 'ALARM', AlarmRule: 'ALARM(b) OR ALARM(c)', ActionsEnabled: true, AlarmActions: ['arn:aws:lambda:us-east-1:1:function:f'], ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 0, ActionsSuppressedBy: 'WaitPeriod', ActionsSuppressedReason: 'Actions suppressed by WaitPeriod' }],
  });
  assert.deepEqual(rows.map((r: any) => [r.name, r.type, r.state, r.rule, r.actionsEnabled]), [
    ['a', 'CompositeAlarm', 'ALARM', 'ALARM(b) OR ALARM(c)', true],
    ['b', 'MetricAlarm', 'OK', 'Sum(N M) per 60s < 1 for 1 period', false],
  ]);
  assert.deepEqual(rows[1].actions, [{ state: 'OK', actions: [{ arn: 'arn:aws:sns:us-east-1:1:t' }] }]);
  assert.equal(m.suppressionText(rows[0].suppressedBy), 'ActionsSuppressedBy WaitPeriod (suppressor s)');
  assert.deepEqual(rows.map((r: any) => r.note), ['Suppressor s (WaitPeriod 60 s, ExtensionPeriod 0 s)', '']);
  // A metric math alarm's note: the label of the query it alarms on.
  const [math] = m.alarmRows({ MetricAlarms: [{ AlarmName: 'r', Metrics: [{ Id: 'e', Expression: 'x', Label: 'Rate', ReturnData: true }, { Id: 'x', Label: 'not this', ReturnData: false }] }] });
  assert.deepEqual([math.rule.startsWith('x '), math.note], [true, 'Rate']);
  assert.equal(m.suppressionText({ alarm: 's' }), ''); // a suppressor, nothing suppressed now
  assert.deepEqual(m.describeInput({ prefix: 'canary-', state: 'ALARM' }), { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], AlarmNamePrefix: 'canary-', StateValue: 'ALARM' });
  assert.deepEqual(m.describeInput({}), { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  assert.equal(m.setStateQuestion(rows[0], 'ALARM'), 'Set alarm a to ALARM? Its ALARM actions run. The alarm goes back to what its data says at its next evaluation.');
  assert.equal(m.setStateQuestion(rows[1], 'OK'), 'Set alarm b to OK? The alarm goes back to what its data says at its next evaluation.'); // actions disabled
});
