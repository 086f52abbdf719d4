// Alarms on metric math through SDK v3 and the AWS CLI: an error-rate alarm
// (100 * errors / invocations) on a function goes from OK to ALARM after real invocations, shows
// its Metrics in DescribeAlarms, is left out of DescribeAlarmsForMetric, records history; and
// PutMetricAlarm's checks of Metrics on both wires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand, PutMetricAlarmCommand,
  type CloudWatchClient, type MetricDataQuery, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const lambdaMetric = (id: string, name: string, fn: string): MetricDataQuery => ({
  Id: id, ReturnData: false,
  MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: [{ Name: 'FunctionName', Value: fn }] }, Period: 60, Stat: 'Sum' },
});
const errorRate = (fn: string): MetricDataQuery[] => [
  lambdaMetric('errors', 'Errors', fn), lambdaMetric('invocations', 'Invocations', fn),
  { Id: 'rate', Expression: '100 * errors / invocations', Label: 'Error rate (%)', ReturnData: true },
];
const rateAlarm = (name: string, fn: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name, Metrics: errorRate(fn), EvaluationPeriods: 1, Threshold: 25, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', ...extra,
});

test('an error-rate alarm goes from OK to ALARM after real invocations; DescribeAlarms shows its Metrics', async () => {
  const fn = 'cw-rate-fn';
  await createNodeFunction(env.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
  await cw.send(new PutMetricAlarmCommand(rateAlarm('fn-error-rate', fn)));
  const describe = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['fn-error-rate'] }))).MetricAlarms![0];
  const created = await describe();
  assert.deepEqual(created.Metrics, errorRate(fn));
  assert.equal(created.MetricName, undefined);
  assert.equal(created.Namespace, undefined);
  assert.equal(created.Statistic, undefined);
  assert.equal(created.Period, undefined);
  // No invocations: 0 / 0 gives no datapoint, treated as not breaching.
  await waitFor('the alarm to be OK', async () => ((await describe()).StateValue === 'OK' ? true : undefined), 10_000);

  // The invocations below must share one minute (the alarm's period): start early in a minute.
  const second = new Date().getUTCSeconds();
  if (second > 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
  // Three successes keep the rate at 0%; one failure of four is 25%, not above 25; two of five is 40%.
  for (const fail of [false, false, false, true]) await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from(JSON.stringify({ fail })) }));
  await new Promise((r) => setTimeout(r, 600)); // a few evaluation rounds
  assert.equal((await describe()).StateValue, 'OK');
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"fail":true}') }));
  await waitFor('the alarm to fire', async () => ((await describe()).StateValue === 'ALARM' ? true : undefined), 10_000);
  const fired = await describe();
  assert.match(fired.StateReason!, /^Threshold Crossed: 1 datapoint \[40\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(25\.0\)/);
  const data = JSON.parse(fired.StateReasonData!);
  assert.equal('statistic' in data, false);
  assert.equal(data.period, 60);
  assert.deepEqual(data.recentDatapoints, [40]);
  assert.equal('sampleCount' in data.evaluatedDatapoints[0], false);

  // Not an alarm on the Errors metric itself.
  const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn }] }));
  assert.deepEqual(forMetric.MetricAlarms, []);

  const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'fn-error-rate' }))).AlarmHistoryItems!;
  const configuration = JSON.parse(history.find((h) => h.HistoryItemType === 'ConfigurationUpdate')!.HistoryData!);
  assert.equal(configuration.createdAlarm.metrics[2].expression, '100 * errors / invocations');
  assert.equal(configuration.createdAlarm.metrics[0].metricStat.metric.metricName, 'Errors');
  const toAlarm = history.find((h) => h.HistorySummary === 'Alarm updated from OK to ALARM')!;
  assert.deepEqual(JSON.parse(toAlarm.HistoryData!).newState.stateReasonData.recentDatapoints, [40]);
});

// SDK v3 names CloudWatch's ValidationError (query code) ValidationException, as its model does.
test('Metrics is checked as CloudWatch checks it, on the JSON wire and the query wire', async () => {
  const fn = 'f';
  await expectAwsError(cw.send(new PutMetricAlarmCommand(rateAlarm('bad', fn, { Statistic: 'Sum' }))), 'ValidationException',
    'Statistic should not be set if list of Metrics is set.', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(rateAlarm('bad', fn, { Metrics: errorRate(fn).map((q) => ({ ...q, ReturnData: true })) }))), 'ValidationException',
    'Exactly one element of the metrics list should return data.', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(rateAlarm('bad', fn, { Metrics: [{ Id: 's', Expression: "SEARCH('{AWS/Lambda,FunctionName} Errors', 'Sum', 60)" }] }))),
    'ValidationException', 'Error in expression s: SEARCH is not supported on metric alarms.\n', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(rateAlarm('bad', fn, { Metrics: [...errorRate(fn).slice(0, 2), { Id: 'all', Expression: 'METRICS()' }] }))),
    'ValidationException', "Error in expression all: An alarm's expression must return a single time series.\n", 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(rateAlarm('bad', fn, { ThresholdMetricId: 'rate' }))), 'InvalidParameterValueException',
    'ThresholdMetricId is only for anomaly detection alarms, which are not supported.', 400);
  assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['bad'] }))).MetricAlarms, []);
  const cli = await awsCli(env.url, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'bad', '--namespace', 'AWS/Lambda', '--evaluation-periods', '1',
    '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold', '--metrics', JSON.stringify(errorRate(fn))]);
  assert.equal(cli.code, 254);
  assert.match(cli.stderr, /\(ValidationError\) when calling the PutMetricAlarm operation.*: Namespace should not be set if list of Metrics is set\./);
});

test('AWS CLI: put-metric-alarm --metrics file://… and describe-alarms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-math-alarm-'));
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(errorRate('cli-fn'), null, 2));
  const put = await awsCli(env.url, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-error-rate', '--metrics', 'file://metrics.json',
    '--evaluation-periods', '3', '--datapoints-to-alarm', '2', '--threshold', '5', '--comparison-operator', 'GreaterThanOrEqualToThreshold'], { cwd: dir });
  assert.equal(put.code, 0, put.stderr);
  const described = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-error-rate']);
  assert.equal(described.code, 0, described.stderr);
  const [alarm] = described.json().MetricAlarms;
  assert.deepEqual(alarm.Metrics, errorRate('cli-fn'));
  assert.equal(alarm.EvaluationPeriods, 3);
  assert.equal(alarm.DatapointsToAlarm, 2);
  assert.equal(alarm.MetricName, undefined);
  assert.equal(alarm.StateValue, 'INSUFFICIENT_DATA');
});
