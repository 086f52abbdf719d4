// CloudWatch Logs metric filters end to end: a filter on a function's log group counts its ERROR
// lines into a custom metric that GetMetricStatistics reads and an alarm fires on; values and
// dimensions from JSON events put with PutLogEvents; describe, delete and limits; and the AWS CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteMetricFilterCommand, DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand, PutLogEventsCommand, PutMetricFilterCommand, TestMetricFilterCommand, type DescribeMetricFiltersCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
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

const errorCount = (group: string, name = 'errors') => ({
  logGroupName: group, filterName: name, filterPattern: 'ERROR',
  metricTransformations: [{ metricName: 'ErrorCount', metricNamespace: 'MyApp', metricValue: '1', defaultValue: 0, unit: 'Count' as const }],
});

async function statistics(namespace: string, metricName: string, dimensions: { Name: string; Value: string }[] = []) {
  const now = Date.now();
  const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: metricName, Dimensions: dimensions, StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000),
    Period: 3600, Statistics: ['Sum', 'SampleCount', 'Maximum'],
  }));
  return Datapoints?.[0];
}

test("a metric filter counts a function's ERROR lines; GetMetricStatistics shows them and an alarm on them fires", { timeout: 60_000 }, async () => {
  const fn = 'mf-errors';
  const group = `/aws/lambda/${fn}`;
  await createNodeFunction(env.lambda, fn, 'exports.handler = async (e) => { for (let i = 0; i < e.errors; i++) console.log("ERROR failed to process item " + i); console.log("done"); return 1; };\n');
  await expectAwsError(env.logs.send(new PutMetricFilterCommand(errorCount(group))), 'ResourceNotFoundException', 'The specified log group does not exist.');
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await expectAwsError(env.logs.send(new PutMetricFilterCommand({ ...errorCount(group), filterPattern: '{ $.level = }' })), 'InvalidParameterException', 'Invalid filter pattern');
  await env.logs.send(new PutMetricFilterCommand(errorCount(group)));
  const { logGroups } = await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  assert.equal(logGroups![0].metricFilterCount, 1);

  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'mf-errors-alarm', Namespace: 'MyApp', MetricName: 'ErrorCount', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
  }));
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"errors":3}') }));
  assert.equal(invoked.FunctionError, undefined);

  const point = await waitFor('the ErrorCount datapoint', async () => {
    const p = await statistics('MyApp', 'ErrorCount');
    return p && p.Sum === 3 ? p : undefined;
  }, 15_000);
  assert.equal(point.Maximum, 1);
  assert.equal(point.Unit, 'Count');
  // defaultValue 0 is given for every other line of the invocation (START, done, END, REPORT).
  assert.ok(point.SampleCount! >= 7, `samples: ${point.SampleCount}`);
  const alarm = await waitFor('the alarm to fire', async () => {
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['mf-errors-alarm'] }))).MetricAlarms![0];
    return a.StateValue === 'ALARM' ? a : undefined;
  }, 15_000);
  assert.match(alarm.StateReason!, /^Threshold Crossed: 1 datapoint \[3\.0 /);
});

test('values and dimensions come from fields of JSON events; describe, delete and the group take filters with them', { timeout: 60_000 }, async () => {
  const group = '/app/requests';
  const stream = 's';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  await env.logs.send(new PutMetricFilterCommand({
    logGroupName: group, filterName: 'latency', filterPattern: '{ $.latency > 0 }',
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'MyApp', metricValue: '$.latency', dimensions: { Route: '$.route' }, unit: 'Milliseconds' }],
  }));
  await expectAwsError(env.logs.send(new PutMetricFilterCommand({
    logGroupName: group, filterName: 'bad', filterPattern: '{ $.latency > 0 }',
    metricTransformations: [{ metricName: 'L', metricNamespace: 'MyApp', metricValue: '$.latency', dimensions: { Route: '$.route' }, defaultValue: 0 }],
  })), 'InvalidParameterException');
  await expectAwsError(env.logs.send(new PutMetricFilterCommand({
    logGroupName: group, filterName: 'bad', filterPattern: '[ip, status]',
    metricTransformations: [{ metricName: 'L', metricNamespace: 'MyApp', metricValue: '$bytes' }],
  })), 'InvalidParameterException');
  const t = Date.now() - 1000;
  await env.logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream, logEvents: [
      { timestamp: t, message: JSON.stringify({ route: '/a', latency: 120 }) },
      { timestamp: t, message: JSON.stringify({ route: '/a', latency: 80 }) },
      { timestamp: t, message: JSON.stringify({ route: '/b', latency: 5 }) },
      { timestamp: t, message: 'not json' },
    ],
  }));
  const a = await waitFor('the /a datapoint', async () => {
    const p = await statistics('MyApp', 'Latency', [{ Name: 'Route', Value: '/a' }]);
    return p?.SampleCount === 2 ? p : undefined;
  }, 15_000);
  assert.equal(a.Sum, 200);
  assert.equal(a.Maximum, 120);
  assert.equal(a.Unit, 'Milliseconds');
  assert.equal((await statistics('MyApp', 'Latency', [{ Name: 'Route', Value: '/b' }]))?.Sum, 5);

  await env.logs.send(new PutMetricFilterCommand({ ...errorCount(group, 'errors-1') }));
  await env.logs.send(new PutMetricFilterCommand({ ...errorCount(group, 'errors-2') }));
  const names = async (input: DescribeMetricFiltersCommandInput) =>
    (await env.logs.send(new DescribeMetricFiltersCommand(input))).metricFilters!.map((f) => f.filterName);
  assert.deepEqual(await names({ logGroupName: group }), ['errors-1', 'errors-2', 'latency']);
  assert.deepEqual(await names({ logGroupName: group, filterNamePrefix: 'errors' }), ['errors-1', 'errors-2']);
  assert.deepEqual(await names({ metricName: 'Latency', metricNamespace: 'MyApp' }), ['latency']);
  const first = await env.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 2 }));
  assert.deepEqual(first.metricFilters!.map((f) => f.filterName), ['errors-1', 'errors-2']);
  assert.deepEqual(await names({ logGroupName: group, limit: 2, nextToken: first.nextToken }), ['latency']);
  const [latency] = (await env.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: 'lat' }))).metricFilters!;
  assert.equal(latency.logGroupName, group);
  assert.equal(latency.filterPattern, '{ $.latency > 0 }');
  assert.ok(latency.creationTime! > 0);
  assert.deepEqual(latency.metricTransformations, [{ metricName: 'Latency', metricNamespace: 'MyApp', metricValue: '$.latency', dimensions: { Route: '$.route' }, unit: 'Milliseconds' }]);

  await env.logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'errors-1' }));
  await expectAwsError(env.logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'errors-1' })), 'ResourceNotFoundException', 'The specified metric filter does not exist.');
  await env.logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  assert.deepEqual(await names({ logGroupName: group }), []);
});

test('a log group holds at most 100 metric filters', { timeout: 60_000 }, async () => {
  const group = '/app/many-filters';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (let i = 0; i < 100; i++) await env.logs.send(new PutMetricFilterCommand(errorCount(group, `f${String(i).padStart(3, '0')}`)));
  await expectAwsError(env.logs.send(new PutMetricFilterCommand(errorCount(group, 'one-more'))), 'LimitExceededException', undefined, 400);
  await env.logs.send(new PutMetricFilterCommand({ ...errorCount(group, 'f000'), filterPattern: 'WARN' }));
});

test('TestMetricFilter reports matches and their extracted values', async () => {
  const { matches } = await env.logs.send(new TestMetricFilterCommand({
    filterPattern: '[ip, user, status = 4*, bytes]',
    logEventMessages: ['10.0.0.1 bob 404 12', '10.0.0.2 amy 200 7', '10.0.0.3 joe 403 1'],
  }));
  assert.deepEqual(matches, [
    { eventNumber: 1, eventMessage: '10.0.0.1 bob 404 12', extractedValues: { $ip: '10.0.0.1', $user: 'bob', $status: '404', $bytes: '12' } },
    { eventNumber: 3, eventMessage: '10.0.0.3 joe 403 1', extractedValues: { $ip: '10.0.0.3', $user: 'joe', $status: '403', $bytes: '1' } },
  ]);
  await expectAwsError(env.logs.send(new TestMetricFilterCommand({ filterPattern: '[a,', logEventMessages: ['x'] })), 'InvalidParameterException', 'Invalid filter pattern');
});

test('aws logs put-metric-filter, describe-metric-filters, test-metric-filter and delete-metric-filter', async () => {
  const group = '/app/cli';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const put = await awsCli(env.url, ['logs', 'put-metric-filter', '--log-group-name', group, '--filter-name', 'cli-errors', '--filter-pattern', '?ERROR ?FATAL',
    '--metric-transformations', 'metricName=CliErrors,metricNamespace=MyApp,metricValue=1,defaultValue=0']);
  assert.equal(put.code, 0, put.stderr);
  const described = await awsCli(env.url, ['logs', 'describe-metric-filters', '--log-group-name', group]);
  assert.equal(described.code, 0, described.stderr);
  const [f] = described.json().metricFilters;
  assert.equal(f.filterName, 'cli-errors');
  assert.equal(f.filterPattern, '?ERROR ?FATAL');
  assert.deepEqual(f.metricTransformations, [{ metricName: 'CliErrors', metricNamespace: 'MyApp', metricValue: '1', defaultValue: 0 }]);
  const tested = await awsCli(env.url, ['logs', 'test-metric-filter', '--filter-pattern', '{ $.level = "ERROR" }', '--log-event-messages', '{"level":"ERROR","msg":"x"}', '{"level":"INFO"}']);
  assert.equal(tested.code, 0, tested.stderr);
  assert.deepEqual(tested.json().matches, [{ eventNumber: 1, eventMessage: '{"level":"ERROR","msg":"x"}', extractedValues: { '$.level': 'ERROR' } }]);
  const missing = await awsCli(env.url, ['logs', 'put-metric-filter', '--log-group-name', '/app/none', '--filter-name', 'x', '--filter-pattern', 'ERROR',
    '--metric-transformations', 'metricName=X,metricNamespace=MyApp,metricValue=1']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException.*The specified log group does not exist\./);
  const deleted = await awsCli(env.url, ['logs', 'delete-metric-filter', '--log-group-name', group, '--filter-name', 'cli-errors']);
  assert.equal(deleted.code, 0, deleted.stderr);
});
