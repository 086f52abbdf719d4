// GetMetricData with metric math against a real server: a canary's error rate per executed
// version (`100 * errors / invocations` over AWS/Lambda metrics recorded by real invocations
// through a weighted alias), METRICS() over the request, paging with MaxDatapoints through SDK
// v3's paginator, expression errors on both wires, and the AWS CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetMetricDataCommand, PutMetricDataCommand, paginateGetMetricData, type CloudWatchClient, type MetricDataQuery, type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, InvokeCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
const fn = 'cw-math-canary';
const window = () => ({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) });
/** What the invocations through `live` did, per executed version, as Lambda answered them. */
const invoked: Record<string, { invocations: number; errors: number }> = {};

env.setup(async () => {
  cw = cloudWatchClient(env.url);
  await createNodeFunction(env.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: await nodeHandlerZip("exports.handler = async () => { throw new Error('v2 is broken'); };\n") }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: fn });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.5 } } }));
  for (let i = 0; i < 24; i++) {
    const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live', Payload: Buffer.from(JSON.stringify({ fail: i % 4 === 0 })) }));
    const row = (invoked[out.ExecutedVersion!] ??= { invocations: 0, errors: 0 });
    row.invocations++;
    if (out.FunctionError) row.errors++;
  }
  assert.ok(invoked['1']?.invocations && invoked['2']?.invocations, `both versions ran: ${JSON.stringify(invoked)}`);
});

const lambdaMetric = (Id: string, MetricName: string, version: string): MetricDataQuery => ({
  Id,
  ReturnData: false,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/Lambda', MetricName,
      Dimensions: [{ Name: 'FunctionName', Value: fn }, { Name: 'Resource', Value: `${fn}:live` }, { Name: 'ExecutedVersion', Value: version }],
    },
    Period: 3600, Stat: 'Sum',
  },
});
const canaryQueries = (): MetricDataQuery[] => ['1', '2'].flatMap((v) => [
  lambdaMetric(`invocations_v${v}`, 'Invocations', v),
  lambdaMetric(`errors_v${v}`, 'Errors', v),
  { Id: `rate_v${v}`, Label: `error rate v${v}`, Expression: `100 * errors_v${v} / invocations_v${v}` },
]);
const total = (r: MetricDataResult | undefined) => (r?.Values ?? []).reduce((a, b) => a + b, 0);

test('SDK v3: the canary error rate per executed version, and the overall rate over METRICS()', async () => {
  const queries = canaryQueries();
  queries.push({ Id: 'overall', Expression: '100 * SUM(METRICS("errors")) / SUM(METRICS("invocations"))' });
  queries.push({ Id: 'count', Expression: 'METRICS("invocations")', Label: 'calls' });
  // The per-version sums, returned too, to check the rate datapoint by datapoint (an hour boundary may split them).
  queries.push({ ...lambdaMetric('inv1', 'Invocations', '1'), ReturnData: true }, { ...lambdaMetric('err1', 'Errors', '1'), ReturnData: true });
  const out = await cw.send(new GetMetricDataCommand({ ...window(), MetricDataQueries: queries, ScanBy: 'TimestampAscending' }));
  const byId = (id: string) => out.MetricDataResults!.filter((r) => r.Id === id);
  const [rate1] = byId('rate_v1');
  const [rate2] = byId('rate_v2');
  const [overall] = byId('overall');
  assert.equal(rate1.Label, 'error rate v1');
  assert.equal(rate1.StatusCode, 'Complete');
  assert.equal(overall.Label, 'overall');
  // Version 2 always throws; version 1 throws when asked to.
  assert.ok(rate2.Values!.length >= 1);
  assert.ok(rate2.Values!.every((v) => v === 100), JSON.stringify(rate2));
  const [inv1] = byId('inv1');
  const [err1] = byId('err1');
  assert.equal(total(inv1), invoked['1'].invocations);
  assert.equal(total(err1), invoked['1'].errors);
  assert.deepEqual(rate1.Timestamps, inv1.Timestamps);
  rate1.Values!.forEach((v, i) => assert.equal(v, (100 * err1.Values![i]) / inv1.Values![i]));
  if (overall.Values!.length === 1) {
    const all = invoked['1'].invocations + invoked['2'].invocations;
    assert.equal(overall.Values![0], (100 * (invoked['1'].errors + invoked['2'].errors)) / all);
  }
  const count = byId('count');
  // METRICS("invocations") names the metrics whose Id holds the string (not inv1).
  assert.deepEqual(count.map((r) => r.Label), ['calls Invocations', 'calls Invocations']);
  assert.deepEqual(count.map(total), [invoked['1'].invocations, invoked['2'].invocations]);
  assert.deepEqual(out.Messages, []);
});

test('SDK v3: MaxDatapoints pages through the paginator; PartialData, then the rest', async () => {
  const now = Date.now();
  const minute = (n: number) => new Date(now - (now % 60_000) - n * 60_000);
  await cw.send(new PutMetricDataCommand({
    Namespace: 'MathApp',
    MetricData: [1, 2, 3, 4, 5].map((n) => ({ MetricName: 'Hits', Value: n, Timestamp: minute(n) })),
  }));
  const input = {
    ...window(),
    MaxDatapoints: 4,
    MetricDataQueries: [
      { Id: 'hits', MetricStat: { Metric: { Namespace: 'MathApp', MetricName: 'Hits' }, Period: 60, Stat: 'Sum' } },
      { Id: 'doubled', Expression: 'hits * 2' },
    ],
  };
  const pages: MetricDataResult[][] = [];
  for await (const p of paginateGetMetricData({ client: cw }, input)) pages.push(p.MetricDataResults ?? []);
  assert.deepEqual(pages.map((p) => p.map((r) => [r.Id, r.Values, r.StatusCode])), [
    [['hits', [1, 2, 3, 4], 'PartialData']],
    [['hits', [5], 'Complete'], ['doubled', [2, 4, 6], 'PartialData']],
    [['doubled', [8, 10], 'Complete']],
  ]);
  const first = await cw.send(new GetMetricDataCommand({ ...input, NextToken: undefined }));
  assert.ok(first.NextToken);
  await expectAwsError(cw.send(new GetMetricDataCommand({ ...input, ScanBy: 'TimestampAscending', NextToken: first.NextToken })), 'InvalidNextToken',
    'The service cannot process the request because the NextToken is invalid.', 400);
});

// SDK v3 names CloudWatch's ValidationError (query code) ValidationException, as its model does.
test('expression errors: ValidationError naming the query', async () => {
  const base = { ...window(), MetricDataQueries: canaryQueries().slice(0, 2) };
  const bad = (Expression: string, message: string) => expectAwsError(
    cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [...base.MetricDataQueries, { Id: 'e1', Expression }] })), 'ValidationException', message, 400,
  );
  await bad('100 * errors_v1 /', 'Error in expression e1: Unexpected end of expression.\n');
  await bad('errors_v1 / nothing', "Error in expression e1: Unrecognized metric id 'nothing'.\n");
  await bad('AVG(errors_v1)', 'Error in expression e1: The expression must return a time series or an array of time series, not a number.\n');
});

test('AWS CLI (query protocol): get-metric-data with an expression; a syntax error', async () => {
  const { StartTime, EndTime } = window();
  const range = ['--start-time', StartTime.toISOString(), '--end-time', EndTime.toISOString()];
  const ok = await awsCli(env.url, ['cloudwatch', 'get-metric-data', ...range, '--scan-by', 'TimestampAscending', '--metric-data-queries', JSON.stringify(canaryQueries())]);
  assert.equal(ok.code, 0, ok.stderr);
  const results = ok.json().MetricDataResults;
  assert.deepEqual(results.map((r: MetricDataResult) => r.Id), ['rate_v1', 'rate_v2']);
  assert.ok(results[1].Values.length >= 1 && results[1].Values.every((v: number) => v === 100), JSON.stringify(results[1]));
  assert.equal(results[1].Label, 'error rate v2');

  const bad = await awsCli(env.url, ['cloudwatch', 'get-metric-data', ...range, '--metric-data-queries',
    JSON.stringify([...canaryQueries().slice(0, 2), { Id: 'e1', Expression: 'errors_v1 +* 2' }])]);
  assert.equal(bad.code, 254);
  assert.match(bad.stderr, /\(ValidationError\) when calling the GetMetricData operation.*: Error in expression e1: Unexpected '\*' at position 12\./);
});
