// AWS/Lambda metrics of asynchronous invocations, provisioned concurrency, account concurrency and
// extensions, produced by real invocations and read back with GetMetricStatistics (SDK v3 and the
// AWS CLI): an Event invocation that fails, is retried and dropped with an undeliverable dead-letter
// queue and destination; an alias with provisioned concurrency invoked beyond its allocation;
// ConcurrentExecutions of an alias and a version invoked at once; an extension that works after the
// response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetMetricStatisticsCommand, type CloudWatchClient, type Datapoint, type Statistic } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand, CreateFunctionCommand, GetProvisionedConcurrencyConfigCommand, InvokeCommand, PublishLayerVersionCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand, PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { waitFor } from '../src/testing/wait.js';
import { makeZip } from '../src/testing/zip.js';
import { EXTENSION } from '../src/runtime/testing.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer({ args: ['--cloudwatch-interval', '200', '--async-retry-delays', '100,100'] });
let cw: CloudWatchClient;
const window = () => ({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) });
const byName = (name: string) => [{ Name: 'FunctionName', Value: name }];
const byResource = (name: string, qualifier: string) => [...byName(name), { Name: 'Resource', Value: `${name}:${qualifier}` }];

env.setup(async () => {
  cw = cloudWatchClient(env.url);
});

async function points(MetricName: string, Dimensions: { Name: string; Value: string }[], Statistics: Statistic[] = ['Sum', 'SampleCount', 'Maximum']): Promise<Datapoint[]> {
  const out = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName, Dimensions, Period: 3600, Statistics, ...window() }));
  return out.Datapoints ?? [];
}
const total = (ps: Datapoint[], stat: 'Sum' | 'SampleCount') => ps.reduce((n, p) => n + (p[stat] ?? 0), 0);
const peak = (ps: Datapoint[]) => ps.reduce((n, p) => Math.max(n, p.Maximum ?? -Infinity), -Infinity);

test('an Event invocation that fails every attempt: received, its age at each attempt, dropped, and its undeliverable DLQ and destination', async () => {
  const fn = 'metrics-async-fails';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => { throw new Error("intentional failure"); };', {
    DeadLetterConfig: { TargetArn: `arn:aws:sqs:${testRegion}:${testAccount}:dead-letters` },
  });
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: fn, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:${testRegion}:${testAccount}:failures` } },
  }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from('{}') }));
  assert.equal(out.StatusCode, 202);
  const dropped = await waitFor('the event to be dropped', async () => {
    const ps = await points('AsyncEventsDropped', byName(fn));
    return total(ps, 'Sum') > 0 ? ps : undefined;
  });
  assert.equal(total(dropped, 'Sum'), 1);
  assert.equal(dropped[0].Unit, 'Count');
  assert.equal(total(await points('AsyncEventsReceived', byName(fn)), 'Sum'), 1);
  const age = await points('AsyncEventAge', byName(fn));
  assert.equal(total(age, 'SampleCount'), 2, 'the first attempt and its retry');
  assert.equal(age[0].Unit, 'Milliseconds');
  assert.ok(peak(age) >= 100, `the retry waited 100 ms: ${JSON.stringify(age)}`);
  assert.equal(total(await points('DeadLetterErrors', byName(fn)), 'Sum'), 1, 'the dead-letter queue does not exist');
  assert.equal(total(await points('DestinationDeliveryFailures', byName(fn)), 'Sum'), 1);
  assert.ok(total(await points('DestinationDeliveryFailures', []), 'Sum') >= 1, 'also for the whole account');
  assert.equal(total(await points('Invocations', byName(fn)), 'Sum'), 2);
  assert.equal(total(await points('Errors', byName(fn)), 'Sum'), 2);
  assert.equal((await points('AsyncEventsReceived', [])).length, 0, 'no account-wide series');

  const { StartTime, EndTime } = window();
  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'AsyncEventsDropped',
    '--dimensions', `Name=FunctionName,Value=${fn}`, '--period', '3600', '--statistics', 'Sum', '--start-time', StartTime.toISOString(), '--end-time', EndTime.toISOString()]);
  assert.equal(cli.code, 0, cli.stderr);
  const body = cli.json();
  assert.equal(body.Label, 'AsyncEventsDropped');
  assert.equal(body.Datapoints.reduce((n: number, p: { Sum: number }) => n + p.Sum, 0), 1);
});

test('an alias with provisioned concurrency invoked beyond its allocation: provisioned and spillover invocations, utilization, claimed concurrency', async () => {
  const fn = 'metrics-provisioned';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return process.env.AWS_LAMBDA_INITIALIZATION_TYPE; };');
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1' }));
  await createNodeFunction(env.lambda, 'metrics-reserved', 'exports.handler = async () => "ok";');
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'metrics-reserved', ReservedConcurrentExecutions: 5 }));
  await env.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }));
  await waitFor('provisioned concurrency to be READY', async () =>
    (await env.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: 'live' }))).Status === 'READY' || undefined);
  const answers = await Promise.all([0, 1, 2].map(() => env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live' }))));
  const kinds = answers.map((a) => JSON.parse(Buffer.from(a.Payload!).toString()) as string);
  const onProvisioned = kinds.filter((k) => k === 'provisioned-concurrency').length;
  assert.ok(onProvisioned >= 1 && onProvisioned < 3, kinds.join());

  const resource = byResource(fn, 'live');
  assert.equal(total(await points('ProvisionedConcurrencyInvocations', resource), 'Sum'), onProvisioned);
  assert.equal(total(await points('ProvisionedConcurrencySpilloverInvocations', resource), 'Sum'), 3 - onProvisioned);
  assert.equal(total(await points('ProvisionedConcurrencyInvocations', byName(fn)), 'Sum'), onProvisioned);
  assert.equal(peak(await points('ProvisionedConcurrentExecutions', resource)), 1);
  const utilization = await points('ProvisionedConcurrencyUtilization', resource);
  assert.equal(peak(utilization), 1, 'the one provisioned environment was busy');
  assert.equal(utilization[0].Unit, 'None');
  assert.equal((await points('ProvisionedConcurrencyUtilization', byName(fn))).length, 0, 'only by Resource');
  assert.equal(total(await points('Invocations', resource), 'Sum'), 3);
  const unreserved = peak(await points('UnreservedConcurrentExecutions', []));
  assert.ok(unreserved >= 3, 'three at once, none with reserved concurrency');
  assert.equal(peak(await points('ClaimedAccountConcurrency', [])), unreserved + 5 + 1, 'plus 5 reserved and 1 provisioned');
  assert.equal((await points('UnreservedConcurrentExecutions', byName(fn))).length, 0, 'account-wide only');
});

test('concurrent invocations of an alias and a version: ConcurrentExecutions by FunctionName+Resource, each qualifier its own', async () => {
  const fn = 'metrics-concurrent';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "ok"; };');
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1' }));
  const invoke = (Qualifier?: string) => env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier }));
  await Promise.all([invoke('live'), invoke('live'), invoke('live'), invoke('1'), invoke()]);

  assert.equal(peak(await points('ConcurrentExecutions', byResource(fn, 'live'))), 3);
  assert.equal(total(await points('ConcurrentExecutions', byResource(fn, 'live')), 'SampleCount'), 3, 'one sample per invocation');
  assert.equal(peak(await points('ConcurrentExecutions', byResource(fn, '1'))), 1, 'the alias\'s invocations are not the version\'s');
  assert.equal(peak(await points('ConcurrentExecutions', byName(fn))), 5);
  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'ConcurrentExecutions',
    '--dimensions', `Name=FunctionName,Value=${fn}`, `Name=Resource,Value=${fn}:live`, '--statistics', 'Maximum', '--period', '3600',
    '--start-time', window().StartTime.toISOString(), '--end-time', window().EndTime.toISOString()]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(Math.max(...cli.json().Datapoints.map((p: Datapoint) => p.Maximum)), 3);
});

test('an extension working 300 ms after the response: PostRuntimeExtensionsDuration', async () => {
  const fn = 'metrics-extension';
  const layer = await env.lambda.send(new PublishLayerVersionCommand({
    LayerName: 'metrics-extension', Content: { ZipFile: await makeZip([{ name: 'extensions/my-ext', content: EXTENSION, mode: 0o100755 }]) },
  }));
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: fn, Role: testFunctionRole, Runtime: 'nodejs20.x', Handler: 'index.handler', Layers: [layer.LayerVersionArn!],
    Environment: { Variables: { EXT_POST_MS: '300' } },
    Code: { ZipFile: await makeZip([{ name: 'index.js', content: 'exports.handler = async () => "ok";' }]) },
  }));
  for (let i = 0; i < 2; i++) await env.lambda.send(new InvokeCommand({ FunctionName: fn }));
  const post = await waitFor('both invocations to report their extensions\' time', async () => {
    const ps = await points('PostRuntimeExtensionsDuration', byName(fn), ['SampleCount', 'Minimum', 'Maximum']);
    return total(ps, 'SampleCount') >= 2 ? ps : undefined;
  });
  assert.equal(total(post, 'SampleCount'), 2);
  assert.equal(post[0].Unit, 'Milliseconds');
  assert.ok(post[0].Minimum! >= 290 && post[0].Maximum! < 3000, JSON.stringify(post));
  assert.equal((await points('PostRuntimeExtensionsDuration', byName('metrics-provisioned'))).length, 0, 'a function without extensions has none');
});
