// CloudWatch high-resolution metrics through SDK v3 (and the AWS CLI): PutMetricData with StorageResolution 1 keeps
// per-second data, read back with Period 1, 5, 10, 30 and 60 by GetMetricStatistics and
// GetMetricData (metric math included); standard-resolution metrics answer short periods with
// their minutes; data past 3 hours only at a minute; bad periods and resolutions refused; and a
// 10-second alarm on a high-resolution metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand, type CloudWatchClient,
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

const MINUTE = 60_000;
/** The start of a whole minute `ago` ms back. */
const minuteAgo = (ago: number) => { const t = Date.now() - ago; return t - (t % MINUTE); };
/** Seconds into the minute and the value put there. */
const SAMPLES: [number, number][] = [[0, 1], [1, 2], [5, 4], [12, 8], [31, 16], [59, 32]];

const put = (Namespace: string, MetricName: string, at: number, samples: [number, number][], StorageResolution?: number) =>
  cw.send(new PutMetricDataCommand({ Namespace, MetricData: samples.map(([s, Value]) => ({ MetricName, Value, Timestamp: new Date(at + s * 1000), StorageResolution })) }));

const sums = async (Namespace: string, MetricName: string, Period: number, from: number, to: number) => {
  const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({ Namespace, MetricName, Period, Statistics: ['Sum', 'Maximum'], StartTime: new Date(from), EndTime: new Date(to) }));
  return (Datapoints ?? []).sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((p) => [(p.Timestamp!.getTime() - from) / 1000, p.Sum]);
};

test('StorageResolution 1: GetMetricStatistics answers per second, 5, 10, 30 and 60 seconds', async () => {
  const at = minuteAgo(10 * MINUTE);
  await put('HighRes', 'Latency', at, SAMPLES, 1);
  const read = (period: number) => sums('HighRes', 'Latency', period, at, at + MINUTE);
  assert.deepEqual(await read(1), SAMPLES);
  assert.deepEqual(await read(5), [[0, 3], [5, 4], [10, 8], [30, 16], [55, 32]]);
  assert.deepEqual(await read(10), [[0, 7], [10, 8], [30, 16], [50, 32]]);
  assert.deepEqual(await read(30), [[0, 15], [30, 48]]);
  assert.deepEqual(await read(60), [[0, 63]]);
  // Percentiles per 10 seconds, from the seconds' distributions.
  const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'HighRes', MetricName: 'Latency', Period: 10, ExtendedStatistics: ['p0', 'p100'], StartTime: new Date(at), EndTime: new Date(at + 10_000),
  }));
  assert.equal(Datapoints?.length, 1);
  const { p0, p100 } = Datapoints![0].ExtendedStatistics!;
  assert.ok(Math.abs(p0 - 1) < 0.05 && Math.abs(p100 - 4) < 0.1, JSON.stringify(Datapoints));
  // ListMetrics is as for any metric.
  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'HighRes', MetricName: 'Latency' }));
  assert.deepEqual(listed.Metrics?.map((m) => m.MetricName), ['Latency']);
});

test('AWS CLI (query protocol): put-metric-data --storage-resolution 1, get-metric-statistics --period 1', async () => {
  const at = minuteAgo(15 * MINUTE);
  for (const [s, value] of [[3, 5], [4, 6]]) {
    const put = await awsCli(env.url, ['cloudwatch', 'put-metric-data', '--namespace', 'HighResCli', '--metric-name', 'Load', '--value', String(value),
      '--timestamp', new Date(at + s * 1000).toISOString(), '--storage-resolution', '1']);
    assert.equal(put.code, 0, put.stderr);
  }
  const got = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'HighResCli', '--metric-name', 'Load', '--period', '1',
    '--statistics', 'Sum', '--start-time', new Date(at).toISOString(), '--end-time', new Date(at + MINUTE).toISOString()]);
  assert.equal(got.code, 0, got.stderr);
  const points = (got.json().Datapoints as { Timestamp: string; Sum: number }[]).map((p) => [(Date.parse(p.Timestamp) - at) / 1000, p.Sum]).sort((x, y) => x[0] - y[0]);
  assert.deepEqual(points, [[3, 5], [4, 6]]);
});

test('GetMetricData reads high-resolution periods, and metric math over them', async () => {
  const at = minuteAgo(20 * MINUTE);
  await put('HighResData', 'Queue', at, SAMPLES, 1);
  const stat = (Id: string, Period: number) => ({ Id, MetricStat: { Metric: { Namespace: 'HighResData', MetricName: 'Queue' }, Period, Stat: 'Sum' } });
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(at), EndTime: new Date(at + MINUTE), ScanBy: 'TimestampAscending',
    MetricDataQueries: [stat('s1', 1), stat('s10', 10), stat('s30', 30), stat('s60', 60), { Id: 'twice', Expression: 's10 * 2', Period: 10 }],
  }));
  const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Timestamps!.map((t, i) => [(t.getTime() - at) / 1000, r.Values![i]])]));
  assert.deepEqual(byId.s1, SAMPLES);
  assert.deepEqual(byId.s10, [[0, 7], [10, 8], [30, 16], [50, 32]]);
  assert.deepEqual(byId.s30, [[0, 15], [30, 48]]);
  assert.deepEqual(byId.s60, [[0, 63]]);
  assert.deepEqual(byId.twice, [[0, 14], [10, 16], [30, 32], [50, 64]]);
});

test('a standard-resolution metric read with Period 10 answers its minutes', async () => {
  const at = minuteAgo(30 * MINUTE);
  await put('StdRes', 'Hits', at, [[17, 5], [40, 7]]);
  await put('StdRes', 'Hits', at + MINUTE, [[3, 1]], 60);
  assert.deepEqual(await sums('StdRes', 'Hits', 10, at, at + 2 * MINUTE), [[0, 12], [60, 1]]);
});

test('high-resolution data older than 3 hours is there at a minute only', async () => {
  const at = minuteAgo(4 * 3600_000);
  await put('HighResOld', 'Temp', at, [[3, 10], [20, 20]], 1);
  assert.deepEqual(await sums('HighResOld', 'Temp', 10, at, at + MINUTE), []);
  assert.deepEqual(await sums('HighResOld', 'Temp', 1, at - 10 * MINUTE, at + 10 * MINUTE), []);
  assert.deepEqual(await sums('HighResOld', 'Temp', 60, at, at + MINUTE), [[0, 30]]);
  // A range that starts past 3 hours answers the seconds within them only.
  const recent = minuteAgo(5 * MINUTE);
  await put('HighResOld', 'Temp', recent, [[4, 1]], 1);
  const mixed = await sums('HighResOld', 'Temp', 10, at, at + 1440 * 10_000);
  assert.deepEqual(mixed, [[(recent - at) / 1000, 1]]);
});

test('bad periods and storage resolutions are refused as CloudWatch refuses them', async () => {
  const base = { Namespace: 'HighRes', MetricName: 'Latency', Statistics: ['Sum' as const], StartTime: new Date(Date.now() - 600_000), EndTime: new Date() };
  for (const Period of [2, 15, 45, 90]) {
    await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, Period })), 'InvalidParameterValueException', 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.', 400);
  }
  await expectAwsError(cw.send(new GetMetricDataCommand({
    StartTime: base.StartTime, EndTime: base.EndTime,
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'HighRes', MetricName: 'Latency' }, Period: 15, Stat: 'Sum' } }],
  })), 'ValidationException', /MetricDataQueries\.member\.1\.MetricStat\.Period must be 1, 5, 10, 30 or a multiple of 60/, 400);
  await expectAwsError(cw.send(new PutMetricDataCommand({ Namespace: 'HighRes', MetricData: [{ MetricName: 'Latency', Value: 1, StorageResolution: 5 }] })),
    'InvalidParameterValueException', 'The value 5 for parameter MetricData.member.1.StorageResolution is invalid.', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand({
    AlarmName: 'bad-period', Namespace: 'HighRes', MetricName: 'Latency', Statistic: 'Maximum', Period: 5, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
  })), 'InvalidParameterValueException', 'The parameter Period must be 10, 30 or a multiple of 60.', 400);
});

test('a 10-second alarm on a high-resolution metric goes to ALARM', async () => {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'hr-10s', Namespace: 'HighResAlarm', MetricName: 'Depth', Statistic: 'Maximum', Period: 10, EvaluationPeriods: 1,
    Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['hr-10s'] }))).MetricAlarms![0];
  await waitFor('the alarm to be OK', async () => ((await state()).StateValue === 'OK' ? true : undefined), 10_000);
  await cw.send(new PutMetricDataCommand({ Namespace: 'HighResAlarm', MetricData: [{ MetricName: 'Depth', Value: 50, StorageResolution: 1 }] }));
  const fired = await waitFor('the alarm to fire', async () => {
    const a = await state();
    return a.StateValue === 'ALARM' ? a : undefined;
  }, 15_000);
  assert.match(fired.StateReason!, /^Threshold Crossed: 1 datapoint \[50\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d0\)\] was greater than the threshold \(10\.0\)/);
  const data = JSON.parse(fired.StateReasonData!);
  assert.equal(data.period, 10);
  assert.deepEqual(data.recentDatapoints, [50]);
});
