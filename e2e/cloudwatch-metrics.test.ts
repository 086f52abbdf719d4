// CloudWatch metrics: AWS/Lambda metrics recorded by invocations and custom metrics from
// PutMetricData, read back through SDK v3 (AWS JSON 1.0) and the AWS CLI (query protocol), and
// CloudWatch's answers to bad parameters on both wires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand, type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, PublishVersionCommand, CreateAliasCommand } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { invokeHost } from '../src/execute-api/testing.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction, putMockGet } from '../src/testing/functions.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
const fn = 'cw-metrics-fn';
const window = () => ({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) });

env.setup(async () => {
  cw = cloudWatchClient(env.url);
  await createNodeFunction(env.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1' }));
  const invoke = (qualifier: string | undefined, fail: boolean) =>
    env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify({ fail })) }));
  await invoke(undefined, false);
  await invoke(undefined, true);
  await invoke('live', false);
  await invoke('live', false);
  await invoke('live', true);
});

const sumOf = (points: { Sum?: number }[] | undefined) => (points ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);

test('SDK v3: GetMetricStatistics reads Invocations, Errors and Duration per dimension set', async () => {
  const stats = (MetricName: string, Dimensions: { Name: string; Value: string }[], Statistics = ['Sum', 'SampleCount'] as const) =>
    cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName, Dimensions, Period: 60, Statistics: [...Statistics], ...window() }));
  const byName = [{ Name: 'FunctionName', Value: fn }];
  const alias = [...byName, { Name: 'Resource', Value: `${fn}:live` }];
  assert.equal(sumOf((await stats('Invocations', byName)).Datapoints), 5);
  const errors = await stats('Errors', byName);
  assert.equal(errors.Label, 'Errors');
  assert.equal(sumOf(errors.Datapoints), 2);
  assert.equal(errors.Datapoints!.reduce((n, p) => n + (p.SampleCount ?? 0), 0), 5, 'Errors has a sample per invocation');
  assert.equal(errors.Datapoints![0].Unit, 'Count');
  assert.equal(sumOf((await stats('Invocations', alias)).Datapoints), 3);
  assert.equal(sumOf((await stats('Invocations', [...alias, { Name: 'ExecutedVersion', Value: '1' }])).Datapoints), 3);
  assert.equal(sumOf((await stats('Errors', alias)).Datapoints), 1);
  assert.equal(sumOf((await stats('Invocations', [{ Name: 'FunctionName', Value: 'nobody' }])).Datapoints), 0);
  const concurrent = await stats('ConcurrentExecutions', byName, ['Maximum', 'SampleCount'] as never);
  assert.equal(concurrent.Datapoints!.reduce((n, p) => Math.max(n, p.Maximum ?? 0), 0), 1, 'one invocation at a time');
  assert.equal(concurrent.Datapoints!.reduce((n, p) => n + (p.SampleCount ?? 0), 0), 5);
  const duration = await stats('Duration', byName, ['Minimum', 'Maximum', 'Average'] as never);
  assert.ok(duration.Datapoints!.length >= 1);
  assert.equal(duration.Datapoints![0].Unit, 'Milliseconds');
  assert.ok(duration.Datapoints![0].Maximum! >= duration.Datapoints![0].Minimum!);
});

test('SDK v3: PutMetricData, then GetMetricData and ListMetrics', async () => {
  const now = new Date();
  await cw.send(new PutMetricDataCommand({
    Namespace: 'Shop',
    MetricData: [
      { MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }], Value: 3, Unit: 'Count', Timestamp: now },
      { MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }], Values: [1, 10], Counts: [2, 1], Unit: 'Count', Timestamp: now },
      { MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'south' }], StatisticValues: { SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5 }, Unit: 'Count' },
    ],
  }));
  const data = await cw.send(new GetMetricDataCommand({
    ...window(),
    MetricDataQueries: [
      { Id: 'north', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'northMax', Label: 'peak', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'north' }] }, Period: 300, Stat: 'Maximum' } },
      { Id: 'south', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Store', Value: 'south' }] }, Period: 60, Stat: 'Average' } },
      { Id: 'hidden', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders' }, Period: 60, Stat: 'Sum' } },
    ],
  }));
  const results = Object.fromEntries(data.MetricDataResults!.map((r) => [r.Id, r]));
  assert.deepEqual(Object.keys(results), ['north', 'northMax', 'south']);
  assert.deepEqual(results.north.Values, [15]);
  assert.equal(results.north.Label, 'Orders');
  assert.equal(results.north.StatusCode, 'Complete');
  assert.equal(results.north.Timestamps![0].getTime() % 60_000, 0);
  assert.deepEqual(results.northMax.Values, [10]);
  assert.equal(results.northMax.Label, 'peak');
  assert.deepEqual(results.south.Values, [4]);

  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Shop' }));
  assert.deepEqual(listed.Metrics!.map((m) => m.Dimensions![0].Value), ['north', 'south']);
  const lambdaMetrics = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'Resource' }] }));
  assert.equal(lambdaMetrics.Metrics!.length, 2, JSON.stringify(lambdaMetrics.Metrics));
});

test('AWS CLI (query protocol): get-metric-statistics, list-metrics, put-metric-data, get-metric-data', async () => {
  const { StartTime, EndTime } = window();
  const range = ['--start-time', StartTime.toISOString(), '--end-time', EndTime.toISOString()];
  const stats = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Invocations',
    '--dimensions', `Name=FunctionName,Value=${fn}`, '--period', '3600', '--statistics', 'Sum', 'Maximum', ...range]);
  assert.equal(stats.code, 0, stats.stderr);
  const body = stats.json();
  assert.equal(body.Label, 'Invocations');
  assert.equal(sumOf(body.Datapoints), 5);
  assert.equal(body.Datapoints[0].Maximum, 1);
  assert.equal(body.Datapoints[0].Unit, 'Count');

  const put = await awsCli(env.url, ['cloudwatch', 'put-metric-data', '--namespace', 'CliApp', '--metric-name', 'Latency', '--value', '42', '--unit', 'Milliseconds',
    '--dimensions', 'Env=dev,Tier=web']);
  assert.equal(put.code, 0, put.stderr);
  const listed = await awsCli(env.url, ['cloudwatch', 'list-metrics', '--namespace', 'CliApp']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json().Metrics, [{ Namespace: 'CliApp', MetricName: 'Latency', Dimensions: [{ Name: 'Env', Value: 'dev' }, { Name: 'Tier', Value: 'web' }] }]);
  const data = await awsCli(env.url, ['cloudwatch', 'get-metric-data', ...range, '--metric-data-queries',
    JSON.stringify([{ Id: 'lat', MetricStat: { Metric: { Namespace: 'CliApp', MetricName: 'Latency', Dimensions: [{ Name: 'Tier', Value: 'web' }, { Name: 'Env', Value: 'dev' }] }, Period: 60, Stat: 'Average' } }])]);
  assert.equal(data.code, 0, data.stderr);
  assert.deepEqual(data.json().MetricDataResults[0].Values, [42]);
});

test('AWS/ApiGateway: Count, 4XXError, 5XXError and Latency of a REST API stage, by ApiName and ApiName+Stage', async () => {
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'cw-metrics-api' }));
  await putMockGet(env.apigw, api.id!, 'ok');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }));
  for (let i = 0; i < 3; i++) assert.equal((await invokeHost(env.url, api.id!, 'dev', '/ok')).status, 200);
  assert.equal((await invokeHost(env.url, api.id!, 'dev', '/missing')).status, 403);
  const stats = async (MetricName: string, Dimensions: { Name: string; Value: string }[]) =>
    (await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ApiGateway', MetricName, Dimensions, Period: 60, Statistics: ['Sum', 'SampleCount', 'Maximum'], ...window() }))).Datapoints ?? [];
  const stage = [{ Name: 'ApiName', Value: 'cw-metrics-api' }, { Name: 'Stage', Value: 'dev' }];
  assert.equal(sumOf(await stats('Count', stage)), 4);
  assert.equal(sumOf(await stats('Count', [{ Name: 'ApiName', Value: 'cw-metrics-api' }])), 4);
  assert.equal(sumOf(await stats('4XXError', stage)), 1);
  assert.equal(sumOf(await stats('5XXError', stage)), 0);
  const latency = await stats('Latency', stage);
  assert.equal(latency.reduce((n, p) => n + (p.SampleCount ?? 0), 0), 4);
  assert.equal(latency[0].Unit, 'Milliseconds');
});

test('recorded metrics survive a restart (stored at shutdown) and a crash (stored every interval)', async () => {
  const invocations = async () => sumOf((await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: fn }], Period: 60, Statistics: ['Sum'], ...window(),
  }))).Datapoints);
  const before = await invocations();
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }));
  await env.restart();
  cw = cloudWatchClient(env.url);
  assert.equal(await invocations(), before + 1);
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }));
  await new Promise((r) => setTimeout(r, 1000)); // a few flush intervals
  await env.restart({ crash: true });
  cw = cloudWatchClient(env.url);
  assert.equal(await invocations(), before + 2);
});

test('bad parameters: CloudWatch error codes on both wires', async () => {
  const base = { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Period: 60, ...window() };
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum'], Period: 90 })), 'InvalidParameterValueException',
    'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.', 400);
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base })), 'InvalidParameterCombinationException', undefined, 400);
  const at = new Date();
  await expectAwsError(cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: ['Sum'], StartTime: at, EndTime: at })), 'InvalidParameterValueException',
    'The parameter StartTime must not equal parameter EndTime.', 400);
  await expectAwsError(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Mine', MetricData: [{ MetricName: 'x', Value: 1 }] })), 'InvalidParameterValueException',
    'The value AWS/Mine for parameter Namespace is invalid.', 400);
  await expectAwsError(cw.send(new PutMetricDataCommand({ Namespace: 'Mine', MetricData: [{ MetricName: 'x', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })),
    'InvalidParameterCombinationException', 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.', 400);
  await expectAwsError(cw.send(new PutMetricDataCommand({ Namespace: 'Mine', MetricData: [{ MetricName: 'x' }] })), 'MissingRequiredParameterException',
    'The parameter MetricData.member.1.Value is required.', 400);

  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Invocations', '--period', '60',
    '--statistics', 'Median', '--start-time', '2026-01-01T00:00:00Z', '--end-time', '2026-01-01T01:00:00Z']);
  assert.equal(cli.code, 254);
  assert.match(cli.stderr, /\(InvalidParameterValue\) when calling the GetMetricStatistics operation.*: The parameter Statistics.member.1 must be a value in the set \[ SampleCount, Average, Sum, Minimum, Maximum \]\./);
});
