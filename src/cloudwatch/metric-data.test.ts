// GetMetricData over a fixed metric source: the query checks and their messages, labels,
// ReturnData, ScanBy, the ArithmeticError message, and paging with MaxDatapoints/NextToken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetMetricDataInput, MetricDataQuery } from '../aws/generated/cloudwatch.js';
import { getMetricData, type MetricSource } from './metric-data.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 27, 8, 0);
/** Per metric name, the Sum per minute after T0. */
const SUMS: Record<string, number[]> = { Errors: [1, 0, 2], Invocations: [4, 0, 8] };

const source: MetricSource = {
  isStatistic: (s) => ['Sum', 'Average'].includes(s),
  async read(stat, start) {
    const sums = SUMS[stat.Metric.MetricName!] ?? [];
    return { periodMs: stat.Period * 1000, points: sums.map((v, i): [number, number] => [start.getTime() + i * MIN, v]) };
  },
};
const metric = (Id: string, MetricName: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery =>
  ({ Id, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName }, Period: 60, Stat: 'Sum' }, ...extra });
const request = (MetricDataQueries: MetricDataQuery[], extra: Partial<GetMetricDataInput> = {}): GetMetricDataInput =>
  ({ MetricDataQueries, StartTime: new Date(T0), EndTime: new Date(T0 + 3 * MIN), ...extra });

async function rejects(input: GetMetricDataInput, message: string): Promise<void> {
  await assert.rejects(getMetricData(input, source), (e: any) => {
    assert.equal(e.code ?? e.name, 'ValidationError');
    assert.equal(e.message, message);
    return true;
  });
}

test('the canary error rate: ids, default labels, ReturnData, ScanBy, the ArithmeticError message', async () => {
  const queries = [
    metric('errors', 'Errors', { ReturnData: false }),
    metric('invocations', 'Invocations', { ReturnData: false }),
    { Id: 'rate', Expression: '100 * errors / invocations' },
    { Id: 'total', Expression: 'errors + invocations', Label: 'All' },
    metric('inv', 'Invocations'),
  ];
  const out = await getMetricData(request(queries, { ScanBy: 'TimestampAscending' }), source);
  assert.deepEqual(out.MetricDataResults!.map((r) => [r.Id, r.Label, r.Values, r.StatusCode]), [
    ['rate', 'rate', [25, 25], 'Complete'],
    ['total', 'All', [5, 0, 10], 'Complete'],
    ['inv', 'Invocations', [4, 0, 8], 'Complete'],
  ]);
  assert.deepEqual(out.MetricDataResults![0].Messages, [{ Code: 'ArithmeticError', Value: 'One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)' }]);
  assert.deepEqual(out.MetricDataResults![1].Messages, []);
  assert.deepEqual(out.MetricDataResults![0].Timestamps, [new Date(T0), new Date(T0 + 2 * MIN)]);
  const newestFirst = await getMetricData(request(queries), source);
  assert.deepEqual(newestFirst.MetricDataResults![1].Values, [10, 0, 5]);
  assert.deepEqual(newestFirst.MetricDataResults![1].Timestamps![0], new Date(T0 + 2 * MIN));
});

test('an expression giving an array answers one result per series, labelled "<label> <metric label>"', async () => {
  const queries = [metric('m1', 'Errors', { ReturnData: false }), metric('m2', 'Invocations', { ReturnData: false, Label: 'calls' })];
  const plain = await getMetricData(request([...queries, { Id: 'e1', Expression: 'METRICS() * 2' }]), source);
  assert.deepEqual(plain.MetricDataResults!.map((r) => [r.Id, r.Label]), [['e1', 'Errors'], ['e1', 'calls']]);
  const labelled = await getMetricData(request([...queries, { Id: 'e1', Expression: 'FILL(METRICS(), 0)', Label: 'Filled' }]), source);
  assert.deepEqual(labelled.MetricDataResults!.map((r) => r.Label), ['Filled Errors', 'Filled calls']);
});

test('checks: every problem of the request, one per line, as a ValidationError', async () => {
  await rejects(request([metric('M1', 'Errors'), { Id: 'e1', Label: 'x' }, metric('m3', 'Errors', { MetricStat: { Metric: { Namespace: 'N' }, Period: 90, Stat: 'p99' } })]),
    'The value M1 for parameter MetricDataQueries.member.1.Id is not valid. It must start with a lowercase letter and contain only letters, numbers and underscores.\n'
    + 'The parameter MetricDataQueries.member.2.MetricStat is required.\n'
    + 'The parameter MetricDataQueries.member.3.MetricStat.Metric.MetricName is required.\n'
    + 'The value p99 for parameter MetricDataQueries.member.3.MetricStat.Stat is not a valid statistic.\n'
    + 'The parameter MetricDataQueries.member.3.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.\n');
  await rejects(request([metric('m1', 'Errors'), metric('m1', 'Errors')]), 'The values for parameter id in MetricDataQueries are not unique.\n');
  await rejects(request([{ ...metric('m1', 'Errors'), Expression: 'm1' }]),
    'The parameters MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression are mutually exclusive and you have specified both.\n');
  await rejects(request([metric('m1', 'Errors'), { Id: 'e1', Expression: 'm1 +' }]), 'Error in expression e1: Unexpected end of expression.\n');
  await rejects(request([metric('m1', 'Errors'), { Id: 'e1', Expression: 'm1 + m9' }]), "Error in expression e1: Unrecognized metric id 'm9'.\n");
  await rejects(request([{ Id: 'e1', Expression: 'e2 * 2' }, { Id: 'e2', Expression: 'e1 + 1' }]), 'Error in expression e1: Circular reference (e1 -> e2 -> e1).\n');
  await rejects(request([metric('m1', 'Errors', { ReturnData: false })]), 'At least one of the MetricDataQueries must have ReturnData set to true.\n');
  await rejects(request([metric('m1', 'Errors'), { Id: 'e1', Expression: 'AVG(m1)' }]),
    'Error in expression e1: The expression must return a time series or an array of time series, not a number.\n');
  await rejects(request([metric('m1', 'Errors'), { Id: 'e1', Expression: 'ABS(3)' }]),
    'Error in expression e1: ABS takes a time series or an array of time series, not a number.\n');
  await rejects(request([metric('m1', 'Errors')], { MaxDatapoints: 0 }), 'The value 0 for parameter MaxDatapoints is not valid. It must be greater than 0.');
});

test('an intermediate expression may be a number; TIME_SERIES and Period on expressions', async () => {
  const out = await getMetricData(request([
    metric('m1', 'Invocations', { ReturnData: false }),
    { Id: 'avg', Expression: 'AVG(m1)', ReturnData: false },
    { Id: 'above', Expression: 'm1 - avg' },
    { Id: 'flat', Expression: 'TIME_SERIES(avg)', Period: 120 },
  ], { ScanBy: 'TimestampAscending' }), source);
  assert.deepEqual(out.MetricDataResults!.map((r) => r.Values), [[0, -4, 4], [4, 4]]);
});

test('paging: MaxDatapoints across results, PartialData, NextToken resumes; a foreign token is refused', async () => {
  const queries = [metric('a', 'Errors'), metric('b', 'Invocations'), { Id: 'c', Expression: 'a + b' }];
  const pages: [string, number[], string][][] = [];
  let NextToken: string | undefined;
  do {
    const out = await getMetricData(request(queries, { MaxDatapoints: 4, NextToken, ScanBy: 'TimestampAscending' }), source);
    pages.push(out.MetricDataResults!.map((r) => [r.Id!, r.Values!, r.StatusCode!]));
    NextToken = out.NextToken;
  } while (NextToken);
  assert.deepEqual(pages, [
    [['a', [1, 0, 2], 'Complete'], ['b', [4], 'PartialData']],
    [['b', [0, 8], 'Complete'], ['c', [5, 0], 'PartialData']],
    [['c', [10], 'Complete']],
  ]);
  const first = await getMetricData(request(queries, { MaxDatapoints: 3 }), source);
  assert.ok(first.NextToken);
  assert.equal(first.MetricDataResults!.length, 1);
  await assert.rejects(getMetricData(request([metric('a', 'Errors')], { NextToken: first.NextToken }), source), (e: any) => e.code === 'InvalidNextToken');
  await assert.rejects(getMetricData(request(queries, { NextToken: 'bm9wZQ==' }), source), (e: any) => e.code === 'InvalidNextToken');
});
