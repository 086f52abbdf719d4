// CloudWatch percentiles and the other extended statistics: from PutMetricData values and from a
// function's real invocations (Duration), read through SDK v3 (AWS JSON 1.0) and the AWS CLI (query
// protocol); none for statistic sets; percentile alarms and the low-sample rule; bad parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  type CloudWatchClient, type Datapoint,
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

const window = () => ({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) });
const within = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= 0.01 * Math.abs(expected), `${what}: ${actual}, expected ${expected} ±1%`);
/** 1..100, each ten times: p50 is 50, p99 is 99, p99.9 is 100, tm90 the mean of 1..90. */
const values = Array.from({ length: 100 }, (_, i) => i + 1);
const tenEach = () => ({ Values: values, Counts: values.map(() => 10) });

const extended = (Namespace: string, MetricName: string, ExtendedStatistics: string[], Period = 3600) =>
  cw.send(new GetMetricStatisticsCommand({ Namespace, MetricName, Period, ExtendedStatistics, ...window() }));
const only = (points: Datapoint[] | undefined): Record<string, number> => {
  assert.equal(points?.length, 1, JSON.stringify(points));
  return points![0].ExtendedStatistics!;
};

test('SDK v3: percentiles, trimmed means and percentile ranks of published values; GetMetricData Stat p99', async () => {
  const at = new Date();
  await cw.send(new PutMetricDataCommand({ Namespace: 'Pctl', MetricData: [{ MetricName: 'Latency', Unit: 'Milliseconds', Timestamp: at, ...tenEach() }] }));
  const answer = await extended('Pctl', 'Latency', ['p50', 'p99', 'p99.9', 'p0', 'p100', 'tm90', 'IQM', 'PR(:25.5)', 'tc90', 'TS(90%:)']);
  const stats = only(answer.Datapoints);
  assert.equal(answer.Datapoints![0].Unit, 'Milliseconds');
  assert.equal(answer.Datapoints![0].Sum, undefined, 'only the statistics asked for');
  within(stats.p50, 50, 'p50');
  within(stats.p99, 99, 'p99');
  within(stats['p99.9'], 100, 'p99.9');
  assert.equal(stats.p0, 1);
  assert.equal(stats.p100, 100);
  within(stats.tm90, 45.5, 'tm90');
  within(stats.IQM, 50.5, 'IQM');
  within(stats['PR(:25.5)'], 25, 'PR(:25.5)');
  within(stats.tc90, 900, 'tc90');
  within(stats['TS(90%:)'], 955 * 10, 'TS(90%:)');

  const data = await cw.send(new GetMetricDataCommand({
    ...window(),
    MetricDataQueries: [
      { Id: 'p', MetricStat: { Metric: { Namespace: 'Pctl', MetricName: 'Latency' }, Period: 60, Stat: 'p99' } },
      { Id: 'w', MetricStat: { Metric: { Namespace: 'Pctl', MetricName: 'Latency' }, Period: 60, Stat: 'wm90' } },
    ],
  }));
  const [p, w] = data.MetricDataResults!;
  assert.equal(p.Values!.length, 1);
  within(p.Values![0], 99, 'GetMetricData p99');
  within(w.Values![0], (4095 * 10 + 100 * 90) / 1000, 'GetMetricData wm90');
});

test('statistic sets: percentiles only for one sample or equal Minimum and Maximum, as AWS documents; none with negative values', async () => {
  await cw.send(new PutMetricDataCommand({
    Namespace: 'Pctl',
    MetricData: [
      { MetricName: 'Spread', StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 } },
      { MetricName: 'Flat', StatisticValues: { SampleCount: 4, Sum: 28, Minimum: 7, Maximum: 7 } },
      { MetricName: 'Flat', StatisticValues: { SampleCount: 1, Sum: 9, Minimum: 9, Maximum: 9 } },
      { MetricName: 'Negative', Values: [-1, 5, 6] },
    ],
  }));
  assert.deepEqual((await extended('Pctl', 'Spread', ['p50'])).Datapoints, [], 'no distribution: no datapoint');
  const flat = only((await extended('Pctl', 'Flat', ['p50', 'p90'])).Datapoints);
  within(flat.p50, 7, 'p50 of four 7s and a 9');
  within(flat.p90, 9, 'p90 of four 7s and a 9');
  assert.deepEqual((await extended('Pctl', 'Negative', ['p50'])).Datapoints, []);
  // The basic statistics of the same minutes are all there.
  const basic = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Pctl', MetricName: 'Spread', Period: 60, Statistics: ['Average'], ...window() }));
  assert.equal(basic.Datapoints![0].Average, 5);
});

test('Lambda Duration p99 after real invocations, through SDK v3 and the AWS CLI', async () => {
  const fn = 'cw-pctl-fn';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return "ok"; };');
  for (const ms of [5, 10, 15, 20, 25, 30, 35, 40, 45, 120]) {
    await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from(JSON.stringify({ ms })) }));
  }
  const Dimensions = [{ Name: 'FunctionName', Value: fn }];
  const query = { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions, Period: 3600, ...window() };
  const basic = await waitFor('the durations recorded', async () => {
    const points = (await cw.send(new GetMetricStatisticsCommand({ ...query, Statistics: ['Minimum', 'Maximum', 'SampleCount'] }))).Datapoints ?? [];
    return points.length === 1 && points[0].SampleCount === 10 ? points[0] : undefined;
  }, 10_000);
  const stats = only((await cw.send(new GetMetricStatisticsCommand({ ...query, ExtendedStatistics: ['p99', 'p50', 'p0'] }))).Datapoints);
  // Ten samples: p99 is the largest (within the histogram's bound), p0 the smallest exactly.
  within(stats.p99, basic.Maximum!, 'p99 of ten durations');
  assert.equal(stats.p0, basic.Minimum);
  assert.ok(stats.p50 >= basic.Minimum! && stats.p50 < stats.p99, `p50 ${stats.p50}, p99 ${stats.p99}`);

  const { StartTime, EndTime } = window();
  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Duration',
    '--dimensions', `Name=FunctionName,Value=${fn}`, '--period', '3600', '--extended-statistics', 'p99', 'p50',
    '--start-time', StartTime.toISOString(), '--end-time', EndTime.toISOString()]);
  assert.equal(cli.code, 0, cli.stderr);
  const [point] = cli.json().Datapoints;
  assert.deepEqual(Object.keys(point.ExtendedStatistics).sort(), ['p50', 'p99']);
  assert.equal(point.ExtendedStatistics.p99, stats.p99);
  assert.equal(point.Unit, 'Milliseconds');
});

test('percentile alarms: ExtendedStatistic evaluated, EvaluateLowSampleCountPercentile ignore holds the state with too few samples', async () => {
  const alarm = (AlarmName: string, ExtendedStatistic: string, extra = {}) => cw.send(new PutMetricAlarmCommand({
    AlarmName, Namespace: 'Pctl', MetricName: 'Wait', ExtendedStatistic, Period: 60, EvaluationPeriods: 1, Threshold: 50,
    ComparisonOperator: 'GreaterThanThreshold', ...extra,
  }));
  await alarm('wait-p90', 'p90');
  await alarm('wait-p99-ignore', 'p99', { EvaluateLowSampleCountPercentile: 'ignore' });
  const cli = await awsCli(env.url, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'wait-p10', '--namespace', 'Pctl', '--metric-name', 'Wait',
    '--extended-statistic', 'p10', '--period', '60', '--evaluation-periods', '1', '--threshold', '50', '--comparison-operator', 'GreaterThanThreshold',
    '--evaluate-low-sample-count-percentile', 'evaluate']);
  assert.equal(cli.code, 0, cli.stderr);
  // 100 samples: p90 = 90 breaches, p10 = 10 does not; p99 needs 1,000 samples to be significant.
  await cw.send(new PutMetricDataCommand({ Namespace: 'Pctl', MetricData: [{ MetricName: 'Wait', Values: values }] }));
  const states = async () => Object.fromEntries(((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'wait-' }))).MetricAlarms ?? []).map((a) => [a.AlarmName, a]));
  await waitFor('p90 to fire and p10 to be OK', async () => {
    const s = await states();
    return s['wait-p90'].StateValue === 'ALARM' && s['wait-p10'].StateValue === 'OK' ? true : undefined;
  }, 10_000);
  await new Promise((r) => setTimeout(r, 600)); // a few more evaluation rounds
  const s = await states();
  assert.equal(s['wait-p99-ignore'].StateValue, 'INSUFFICIENT_DATA', 'too few samples for p99: the state holds');
  assert.equal(s['wait-p90'].ExtendedStatistic, 'p90');
  assert.equal(s['wait-p90'].Statistic, undefined);
  assert.equal(s['wait-p99-ignore'].EvaluateLowSampleCountPercentile, 'ignore');
  assert.equal(JSON.parse(s['wait-p90'].StateReasonData!).statistic, 'p90');
  assert.match(s['wait-p90'].StateReason!, /^Threshold Crossed: 1 datapoint \[90\.\d+ /);
  const described = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--alarm-names', 'wait-p10']);
  assert.equal(described.code, 0, described.stderr);
  const [p10] = described.json().MetricAlarms;
  assert.equal(p10.ExtendedStatistic, 'p10');
  assert.equal(p10.EvaluateLowSampleCountPercentile, 'evaluate');

  // Enough samples: the p99 alarm evaluates.
  await cw.send(new PutMetricDataCommand({ Namespace: 'Pctl', MetricData: [{ MetricName: 'Wait', ...tenEach() }] }));
  await waitFor('p99 to fire', async () => ((await states())['wait-p99-ignore'].StateValue === 'ALARM' ? true : undefined), 10_000);
});

test('bad extended statistics: CloudWatch error codes on both wires', async () => {
  const base = { Namespace: 'Pctl', MetricName: 'Latency', Period: 60, ...window() };
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum'], ExtendedStatistics: ['p99'] })), 'InvalidParameterCombinationException',
    'Must specify either Statistics or ExtendedStatistics, but not both.', 400);
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: Array.from({ length: 11 }, (_, i) => `p${i + 1}`) })),
    'ValidationException', /at 'extendedStatistics' failed to satisfy constraint: Member must have length less than or equal to 10/, 400);
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: ['p50', 'p100.5'] })), 'InvalidParameterValueException',
    'The value p100.5 for parameter ExtendedStatistics.member.2 is not a valid extended statistic.', 400);
  await expectAwsError(cw.send(new GetMetricDataCommand({ ...window(), MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: { Namespace: 'Pctl', MetricName: 'Latency' }, Period: 60, Stat: 'p999' } }] })),
    // GetMetricData ends each line of its message with a newline, as AWS does.
    'ValidationException', 'The value p999 for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.\n', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand({
    AlarmName: 'bad', Namespace: 'Pctl', MetricName: 'Latency', ExtendedStatistic: 'p99', EvaluateLowSampleCountPercentile: 'sometimes',
    Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
  })), 'ValidationException', 'The value sometimes for parameter EvaluateLowSampleCountPercentile is not supported. Valid values are: evaluate, ignore.', 400);

  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'Pctl', '--metric-name', 'Latency', '--period', '60',
    '--extended-statistics', 'q99', '--start-time', '2026-01-01T00:00:00Z', '--end-time', '2026-01-01T01:00:00Z']);
  assert.equal(cli.code, 254);
  assert.match(cli.stderr, /\(InvalidParameterValue\) when calling the GetMetricStatistics operation.*: The value q99 for parameter ExtendedStatistics\.member\.1 is not a valid extended statistic\./);
});
