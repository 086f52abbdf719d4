// The Alarms page's forms without a server or a browser: console/alarm-form-model.js writing the
// dimensions AWS/Lambda publishes for a function and an alias, reading DescribeAlarms' alarms into
// the forms' values and those back into PutMetricAlarm / PutCompositeAlarm input (a statistic or a
// percentile, empty optional fields left out, what the form does not show carried over).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';

const load = (): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', 'alarm-form-model.js')).href);

test('a function and an alias as AWS/Lambda dimensions; dimensions and ARNs as typed', async () => {
  const m = await load();
  assert.equal(m.lambdaDimensions('f'), 'FunctionName=f');
  assert.equal(m.lambdaDimensions('f', 'prod'), 'FunctionName=f, Resource=f:prod');
  assert.equal(m.lambdaDimensions(''), '');
  assert.deepEqual(m.parseDimensions('FunctionName=f, Resource=f:prod\nRoute=a=b, Bare'), [
    { Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:prod' }, { Name: 'Route', Value: 'a=b' }, { Name: 'Bare', Value: '' },
  ]);
  assert.deepEqual(m.parseArns(' arn:a,arn:b\n arn:c '), ['arn:a', 'arn:b', 'arn:c']);
  assert.equal(m.functionActionArn({ FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f:$LATEST' }), 'arn:aws:lambda:us-east-1:1:function:f');
});

test('a new alarm\'s values as PutMetricAlarm input: Statistic or ExtendedStatistic, numbers, empty fields left out', async () => {
  const m = await load();
  const values = { ...m.newMetricValues(), name: ' a1 ', dimensions: m.lambdaDimensions('f', 'live'), statistic: 'p99', threshold: '2.5', evaluationPeriods: '3', actions: { ALARM: 'arn:x, arn:y', OK: '', INSUFFICIENT_DATA: '' } };
  assert.deepEqual(m.putMetricAlarmInput(values), {
    AlarmName: 'a1', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:live' }],
    ExtendedStatistic: 'p99', Period: 60, ComparisonOperator: 'GreaterThanThreshold', Threshold: 2.5, EvaluationPeriods: 3, TreatMissingData: 'missing',
    AlarmActions: ['arn:x', 'arn:y'], OKActions: [], InsufficientDataActions: [],
  });
  // Not a number: sent as typed, for AWS to refuse with its own message.
  const odd = m.putMetricAlarmInput({ ...values, statistic: 'Sum', period: 'soon', datapointsToAlarm: '2', description: 'd' });
  assert.equal(odd.Statistic, 'Sum');
  assert.equal(odd.ExtendedStatistic, undefined);
  assert.equal(odd.Period, 'soon');
  assert.equal(odd.DatapointsToAlarm, 2);
  assert.equal(odd.AlarmDescription, 'd');
  // Empty: left out, so AWS says what is missing.
  const empty = m.putMetricAlarmInput({ ...values, statistic: ' ', threshold: '', period: '' });
  assert.deepEqual([empty.Statistic, empty.ExtendedStatistic, 'Threshold' in empty, 'Period' in empty], [undefined, undefined, false, false]);
});

test('an alarm from DescribeAlarms round-trips through the form, keeping what the form does not show', async () => {
  const m = await load();
  const alarm = {
    AlarmName: 'e', AlarmDescription: 'desc', Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:prod' }],
    ExtendedStatistic: 'p90', Period: 300, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 100, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'breaching', AlarmActions: ['arn:aws:lambda:us-east-1:1:function:f'], OKActions: [], InsufficientDataActions: [], ActionsEnabled: false,
    Unit: 'Milliseconds', EvaluateLowSampleCountPercentile: 'ignore', StateValue: 'OK',
  };
  const values = m.metricFormValues(alarm);
  assert.equal(values.functionName, 'f');
  assert.equal(values.qualifier, 'prod');
  assert.equal(values.statistic, 'p90');
  assert.equal(values.actions.ALARM, 'arn:aws:lambda:us-east-1:1:function:f');
  const { StateValue, ...put } = alarm;
  assert.equal(StateValue, 'OK');
  assert.deepEqual(m.putMetricAlarmInput(values), put);

  // A metric math alarm keeps its queries.
  const metrics = [{ Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: true }];
  const math = m.putMetricAlarmInput({ ...m.metricFormValues({ AlarmName: 'm', Metrics: metrics, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }), threshold: '4' });
  assert.deepEqual(math.Metrics, metrics);
  assert.equal(math.Namespace, undefined);
  assert.equal(math.Threshold, 4);

  // A composite: rule, description and actions edited; its suppressor carried over.
  const composite = { AlarmName: 'c', AlarmRule: 'ALARM("e")', AlarmActions: [], OKActions: ['arn:o'], InsufficientDataActions: [], ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 30 };
  const cv = m.compositeFormValues(composite);
  assert.deepEqual(m.putCompositeAlarmInput({ ...cv, rule: ' ALARM("e") OR ALARM("x") ', description: 'new' }), {
    AlarmName: 'c', AlarmRule: 'ALARM("e") OR ALARM("x")', AlarmDescription: 'new', AlarmActions: [], OKActions: ['arn:o'], InsufficientDataActions: [],
    ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 30,
  });
  assert.equal(m.deleteQuestion({ name: 'c', type: 'CompositeAlarm' }), 'Delete composite alarm c? This cannot be undone.');
});
