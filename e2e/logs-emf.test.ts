// Embedded metric format end to end: Node.js and Python functions print EMF documents in the shape
// Powertools for AWS Lambda emits; CloudWatch reads the metrics with their dimension sets, values
// arrays, units and an alarm on them; invalid documents stay in the log unextracted and count in
// AWS/Logs; events put with PutLogEvents are read with or without the `x-amzn-logs-format` header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, type CloudWatchClient, type Dimension,
} from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient, logsClient } from '../src/testing/aws.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

async function statistics(namespace: string, metricName: string, dimensions: Dimension[] = []) {
  const now = Date.now();
  const { Datapoints } = await cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: metricName, Dimensions: dimensions, StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000),
    Period: 3600, Statistics: ['Sum', 'SampleCount', 'Minimum', 'Maximum'],
  }));
  return Datapoints?.[0];
}

const waitForSamples = (namespace: string, metricName: string, dimensions: Dimension[], samples: number) =>
  waitFor(`${samples} samples of ${namespace}/${metricName}`, async () => {
    const p = await statistics(namespace, metricName, dimensions);
    return p?.SampleCount === samples ? p : undefined;
  }, 15_000);

const listed = async (namespace: string) =>
  ((await cw.send(new ListMetricsCommand({ Namespace: namespace }))).Metrics ?? [])
    .map((m) => `${m.MetricName}[${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort().join(',')}]`).sort();

// What Powertools' Metrics utility writes (one JSON document on a line of its own).
const NODE_HANDLER = `
const emf = (extra) => JSON.stringify({
  _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [['service'], ['service', 'route'], []],
    Metrics: [{ Name: 'Latency', Unit: 'Milliseconds', StorageResolution: 1 }, { Name: 'Orders', Unit: 'Count', StorageResolution: 60 }] }] },
  service: 'orders', route: '/buy', function_request_id: 'r-1', ...extra,
});
exports.handler = async () => {
  process.stdout.write(emf({ Latency: [10, 20, 30], Orders: 1 }) + '\\n');
  // console.log puts the runtime's text prefix before the document: CloudWatch still reads it.
  console.log(emf({ Latency: 40, Orders: [2, 3] }));
  console.log('plain text with "_aws" in it');
  process.stdout.write(emf({ Latency: 'slow', Orders: 1 }) + '\\n');
  process.stdout.write(emf({ Orders: 1 }) + '\\n');
  const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => ['d' + i, 'v']));
  process.stdout.write(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [Object.keys(many)], Metrics: [{ Name: 'Wide' }] }] }, ...many, Wide: 1 }) + '\\n');
  process.stdout.write('{"_aws": {"Timestamp": \\n');
  return 'ok';
};
`;

test('a Node.js function\'s EMF lines become metrics with their dimension sets, values arrays and units; invalid ones stay in the log', { timeout: 60_000 }, async () => {
  const fn = 'emf-node';
  await createNodeFunction(env.lambda, fn, NODE_HANDLER);
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'emf-latency', Namespace: 'Shop', MetricName: 'Latency', Dimensions: [{ Name: 'service', Value: 'orders' }],
    Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 35, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  // Invoked at least 12 s into a minute, so a 10-second bucket and the minute's start differ (below).
  const intoMinute = Date.now() % 60_000;
  if (intoMinute < 12_000) await new Promise((r) => setTimeout(r, 12_500 - intoMinute));
  const invokedAt = Date.now();
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: fn }));
  assert.equal(invoked.FunctionError, undefined, Buffer.from(invoked.Payload ?? []).toString());

  const service = [{ Name: 'service', Value: 'orders' }];
  const latency = await waitForSamples('Shop', 'Latency', service, 4);
  assert.deepEqual([latency.Sum, latency.Minimum, latency.Maximum, latency.Unit], [100, 10, 40, 'Milliseconds']);
  const orders = await waitForSamples('Shop', 'Orders', [...service, { Name: 'route', Value: '/buy' }], 3);
  assert.deepEqual([orders.Sum, orders.Unit], [6, 'Count']);
  // The empty dimension set: the metric without dimensions.
  assert.equal((await statistics('Shop', 'Latency'))?.Sum, 100);
  assert.deepEqual(await listed('Shop'), [
    'Latency[]', 'Latency[route=/buy,service=orders]', 'Latency[service=orders]', 'Orders[]', 'Orders[route=/buy,service=orders]', 'Orders[service=orders]',
  ]);
  const now = Date.now();
  const data = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000),
    MetricDataQueries: [{ Id: 'n', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Latency', Dimensions: service }, Period: 3600, Stat: 'SampleCount' } }],
  }));
  assert.deepEqual(data.MetricDataResults![0].Values, [4]);
  // StorageResolution 1 (Latency) keeps seconds: a 10-second period reads them; Orders (60) has none.
  const tenSeconds = async (name: string, dimensions: typeof service) => (await cw.send(new GetMetricDataCommand({
    StartTime: new Date(now - 600_000), EndTime: new Date(now + 60_000),
    MetricDataQueries: [{ Id: 'n', MetricStat: { Metric: { Namespace: 'Shop', MetricName: name, Dimensions: dimensions }, Period: 10, Stat: 'SampleCount' } }],
  }))).MetricDataResults![0];
  const secondsOfLatency = await tenSeconds('Latency', service);
  assert.deepEqual(secondsOfLatency.Values, [4]);
  assert.ok(secondsOfLatency.Timestamps![0].getTime() >= Math.floor(invokedAt / 10_000) * 10_000, `a 10-second bucket, not the minute: ${secondsOfLatency.Timestamps![0].toISOString()}`);
  const minuteOfOrders = await tenSeconds('Orders', [...service, { Name: 'route', Value: '/buy' }]);
  assert.equal(minuteOfOrders.Timestamps![0].getTime() % 60_000, 0);

  // Wrong types, a missing value, 31 dimensions, broken JSON: nothing extracted, the lines kept.
  const group = `/aws/lambda/${fn}`;
  const validation = await waitForSamples('AWS/Logs', 'EMFValidationErrors', [{ Name: 'LogGroupName', Value: group }], 3);
  assert.equal(validation.Sum, 3);
  assert.equal((await statistics('AWS/Logs', 'EMFParsingErrors', [{ Name: 'LogGroupName', Value: group }]))?.Sum, 1);
  const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"_aws"' }));
  assert.equal(events?.length, 7, events?.map((e) => e.message).join('\n'));

  const alarm = await waitFor('the alarm on the EMF metric to fire', async () => {
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['emf-latency'] }))).MetricAlarms![0];
    return a.StateValue === 'ALARM' ? a : undefined;
  }, 20_000);
  assert.match(alarm.StateReason!, /^Threshold Crossed: 1 datapoint \[40\.0 /);
});

test('with LogFormat JSON, a document written straight to stdout (as Powertools does) is still read', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'emf-json-logs', `exports.handler = async () => {
  process.stdout.write(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'JsonLogs', Dimensions: [['service']], Metrics: [{ Name: 'Hits' }] }] }, service: 's', Hits: 3 }) + '\\n');
  return 'ok';
};
`, { LoggingConfig: { LogFormat: 'JSON' } });
  await env.lambda.send(new InvokeCommand({ FunctionName: 'emf-json-logs' }));
  const point = await waitForSamples('JsonLogs', 'Hits', [{ Name: 'service', Value: 's' }], 1);
  assert.deepEqual([point.Sum, point.Unit], [3, 'None']);
});

test('a Python function printing EMF as Powertools does', { timeout: 60_000 }, async () => {
  const code = [
    'import json, time',
    'def lambda_handler(event, context):',
    '    print(json.dumps({"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{"Namespace": "Booking", "Dimensions": [["service"]],',
    '        "Metrics": [{"Name": "SuccessfulBooking", "Unit": "Count"}]}]}, "service": "booking", "SuccessfulBooking": [1.0, 1.0]}))',
    '    return "ok"',
  ].join('\n');
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'emf-python', Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler', Role: testFunctionRole,
    Code: { ZipFile: await makeZip({ 'lambda_function.py': code }) },
  }));
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: 'emf-python' }));
  assert.equal(invoked.FunctionError, undefined, Buffer.from(invoked.Payload ?? []).toString());
  const point = await waitForSamples('Booking', 'SuccessfulBooking', [{ Name: 'service', Value: 'booking' }], 2);
  assert.deepEqual([point.Sum, point.Unit], [2, 'Count']);
});

test('PutLogEvents: EMF is read with and without the x-amzn-logs-format header; a Timestamp out of the window is not', { timeout: 60_000 }, async () => {
  const group = '/app/emf';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const doc = (value: number, Timestamp = Date.now()) => JSON.stringify({
    _aws: { Timestamp, CloudWatchMetrics: [{ Namespace: 'Manual', Dimensions: [['Env']], Metrics: [{ Name: 'Jobs', Unit: 'Count' }] }] }, Env: 'prod', Jobs: value,
  });
  const withHeader = logsClient(env.url);
  withHeader.middlewareStack.add((next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers['x-amzn-logs-format'] = 'json/emf';
    return next(args);
  }, { step: 'build' });
  const t = Date.now();
  await withHeader.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: t, message: doc(5) }] }));
  await env.logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: 's', logEvents: [
      { timestamp: t, message: doc(7) },
      { timestamp: t, message: doc(100, t - 15 * 24 * 3_600_000) },
      { timestamp: t, message: `prefix ${doc(100)}` },
    ],
  }));
  const point = await waitForSamples('Manual', 'Jobs', [{ Name: 'Env', Value: 'prod' }], 2);
  assert.equal(point.Sum, 12);
  assert.equal((await statistics('AWS/Logs', 'EMFValidationErrors', [{ Name: 'LogGroupName', Value: group }]))?.Sum, 1);
});
