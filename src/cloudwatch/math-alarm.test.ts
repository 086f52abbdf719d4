// Metric math alarms: PutMetricAlarm's checks of Metrics, and an evaluation of an error-rate
// expression (M of N, TreatMissingData, AWS's reason data without a statistic) over a fixed source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricDataQuery, PutMetricAlarmInput } from '../aws/generated/cloudwatch.js';
import type { MetricSource } from './metric-data.js';
import type { AlarmRecord } from './alarm-record.js';
import { checkMathAlarm, mathAlarmDatapoints, mathAlarmPeriod } from './math-alarm.js';
import { evaluateDatapoints, windowStart } from './alarm-evaluation.js';
import { isStatistic } from './metric-source.js';

const metric = (id: string, name: string, period = 60): MetricDataQuery => ({
  Id: id, ReturnData: false,
  MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }, Period: period, Stat: 'Sum' },
});
const errorRate: MetricDataQuery[] = [
  metric('errors', 'Errors'), metric('invocations', 'Invocations'),
  { Id: 'rate', Expression: '100 * errors / invocations', Label: 'Error rate', ReturnData: true },
];
const input = (extra: Partial<PutMetricAlarmInput> = {}): PutMetricAlarmInput => ({
  AlarmName: 'rate', Metrics: errorRate, EvaluationPeriods: 3, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', ...extra,
});

async function rejects(extra: Partial<PutMetricAlarmInput>, message: string | RegExp): Promise<void> {
  await assert.rejects(checkMathAlarm(input(extra)), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ValidationError');
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('a valid error-rate alarm: its period is its metrics\'', async () => {
  assert.equal(await checkMathAlarm(input()), 60);
  assert.equal(mathAlarmPeriod([metric('m', 'Errors', 300), { Id: 'e', Expression: 'm * 2' }]), 300);
  assert.equal(mathAlarmPeriod([{ ...metric('m', 'Errors', 300), ReturnData: true }]), 300);
  assert.equal(mathAlarmPeriod([metric('m', 'Errors', 300), { Id: 'e', Expression: 'm * 2', Period: 600 }]), 600);
});

test('single-metric members are refused beside Metrics, with AWS\'s message', async () => {
  await rejects({ Statistic: 'Sum' }, 'Statistic should not be set if list of Metrics is set.');
  await rejects({ Unit: 'Count' }, 'Unit should not be set if list of Metrics is set.');
  await rejects({ Namespace: 'AWS/Lambda' }, 'Namespace should not be set if list of Metrics is set.');
  await rejects({ Period: 60 }, 'Period should not be set if list of Metrics is set.');
  await rejects({ Dimensions: [{ Name: 'a', Value: 'b' }] }, 'Dimensions should not be set if list of Metrics is set.');
  // An empty Dimensions list (as CloudFormation templates often carry) is fine.
  assert.equal(await checkMathAlarm(input({ Dimensions: [] })), 60);
});

test('exactly one query returns data (unset counts as true)', async () => {
  const exactlyOne = 'Exactly one element of the metrics list should return data.';
  await rejects({ Metrics: errorRate.map((q) => ({ ...q, ReturnData: false })) }, exactlyOne);
  await rejects({ Metrics: [{ ...errorRate[0], ReturnData: undefined }, errorRate[1], errorRate[2]] }, exactlyOne);
  await rejects({ Metrics: [{ ...errorRate[0], ReturnData: true }, errorRate[1], errorRate[2]] }, exactlyOne);
});

test('limits, periods, statistics, unknown ids, SEARCH and expressions that give no single series are refused', async () => {
  const many = Array.from({ length: 11 }, (_, i) => metric(`m${i}`, 'Errors'));
  await rejects({ Metrics: [...many, { Id: 'e', Expression: 'SUM(METRICS())' }] }, /more than 10 metrics/);
  await rejects({ Metrics: [metric('m', 'Errors', 5), { Id: 'e', Expression: 'm' }] }, 'The parameter Metrics.member.1.MetricStat.Period must be 10, 30 or a multiple of 60.\n');
  await rejects({ Metrics: [{ ...metric('m', 'Errors'), MetricStat: { ...metric('m', 'Errors').MetricStat!, Stat: 'Median' } }, { Id: 'e', Expression: 'm' }] },
    'The value Median for parameter Metrics.member.1.MetricStat.Stat is not a valid statistic.\n');
  await rejects({ Metrics: [metric('m', 'Errors'), { Id: 'e', Expression: 'm + other' }] }, "Error in expression e: Unrecognized metric id 'other'.\n");
  await rejects({ Metrics: [{ Id: 'e', Expression: "SEARCH('{AWS/Lambda,FunctionName} Errors', 'Sum', 60)" }] }, 'Error in expression e: SEARCH is not supported on metric alarms.\n');
  await rejects({ Metrics: [metric('a', 'Errors'), metric('b', 'Invocations'), { Id: 'e', Expression: 'METRICS()' }] },
    "Error in expression e: An alarm's expression must return a single time series.\n");
  await rejects({ Metrics: [metric('a', 'Errors'), { Id: 'e', Expression: '1 + 2' }] }, /^Error in expression e: The expression must return a time series/);
});

const NOW = Date.UTC(2026, 10, 27, 8, 30, 20);
const MINUTE = 60_000;
const alarm = (extra: Partial<AlarmRecord> = {}): AlarmRecord => ({
  accountId: '000000000000', region: 'us-east-1', AlarmName: 'rate', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
  Dimensions: [], Metrics: errorRate, EvaluationPeriods: 3, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold',
  configurationUpdatedMs: 0, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', stateUpdatedMs: 0, stateTransitionedMs: 0, ...extra,
});

/** A source with per-minute sums for Errors and Invocations, oldest first, ending with the current minute. */
function source(errors: (number | undefined)[], invocations: (number | undefined)[]): MetricSource {
  const first = windowStart({ Period: 60, EvaluationPeriods: errors.length }, NOW);
  const series = { Errors: errors, Invocations: invocations } as Record<string, (number | undefined)[]>;
  return {
    isStatistic,
    read: async (stat) => ({
      periodMs: MINUTE,
      points: series[stat.Metric.MetricName!].flatMap((v, i): [number, number][] => (v === undefined ? [] : [[first + i * MINUTE, v]])),
    }),
  };
}

async function evaluateRate(a: AlarmRecord, errors: (number | undefined)[], invocations: (number | undefined)[]) {
  const from = windowStart({ Period: 60, EvaluationPeriods: a.EvaluationPeriods }, NOW) - MINUTE;
  const points = await mathAlarmDatapoints(a.Metrics!, from, NOW + 1, source(errors, invocations));
  return evaluateDatapoints(a, points, { period: 60 }, NOW);
}

test('the error rate breaches in every period: ALARM, with reason data that names no statistic', async () => {
  const result = await evaluateRate(alarm(), [1, 2, 5], [4, 4, 10]);
  assert.equal(result.state, 'ALARM');
  assert.match(result.reason, /^Threshold Crossed: 3 out of the last 3 datapoints \[50\.0 \(27\/11\/26 08:30:00\), 50\.0 \(27\/11\/26 08:29:00\), 25\.0 \(27\/11\/26 08:28:00\)\] were greater than the threshold \(10\.0\)/);
  const data = JSON.parse(result.reasonData);
  assert.equal('statistic' in data, false);
  assert.equal(data.period, 60);
  assert.deepEqual(data.recentDatapoints, [50, 50, 25]);
  assert.deepEqual(data.evaluatedDatapoints[0], { timestamp: '2026-11-27T08:30:00.000+0000', value: 50 });
});

test('M of N over the expression, and periods without invocations (division by zero) count as missing', async () => {
  assert.equal((await evaluateRate(alarm({ DatapointsToAlarm: 2 }), [0, 3, 4], [5, 5, 5])).state, 'ALARM');
  assert.equal((await evaluateRate(alarm({ DatapointsToAlarm: 2 }), [0, 0, 4], [5, 5, 5])).state, 'OK');
  // 0 / 0 is dropped: no datapoints at all.
  assert.equal((await evaluateRate(alarm(), [0, 0, 0], [0, 0, 0])).state, 'INSUFFICIENT_DATA');
  assert.equal((await evaluateRate(alarm({ TreatMissingData: 'notBreaching' }), [0, 0, 0], [0, 0, 0])).state, 'OK');
  assert.equal((await evaluateRate(alarm({ TreatMissingData: 'breaching' }), [undefined, 1, undefined], [undefined, 2, undefined])).state, 'ALARM');
  const ignored = await evaluateRate(alarm({ TreatMissingData: 'ignore', StateValue: 'ALARM' }), [undefined, undefined, undefined], [undefined, undefined, undefined]);
  assert.equal(ignored.state, 'ALARM');
});
