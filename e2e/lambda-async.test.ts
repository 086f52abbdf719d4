// Asynchronous (Event) invocations as users drive them with the AWS SDK: durable across kill -9,
// retried and given up as AWS does (short retry delays for the test), invocation records sent to
// OnSuccess/OnFailure destination functions, InvokeAsync (AWS CLI too), and the FunctionEventInvokeConfig API with AWS's
// answers (messages as recorded on AWS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvokeCommand, InvokeAsyncCommand, PutFunctionEventInvokeConfigCommand, UpdateFunctionEventInvokeConfigCommand, GetFunctionEventInvokeConfigCommand,
  DeleteFunctionEventInvokeConfigCommand, ListFunctionEventInvokeConfigsCommand, PublishVersionCommand, CreateAliasCommand,
  PutFunctionConcurrencyCommand, DeleteFunctionConcurrencyCommand, DeleteFunctionCommand, type LambdaClient,
  type PutFunctionEventInvokeConfigCommandInput,
} from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { useServer, TestServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { waitFor } from '../src/testing/wait.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { runCli } from '../src/cli/testing.js';
import { awsCli } from '../src/testing/aws.js';

const RETRY_DELAYS = '250,500';
const env = useServer({ args: ['--async-retry-delays', RETRY_DELAYS] });

const arn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Logs `RECORD <event>`: the destination that receives invocation records. */
const RECORDER = 'exports.handler = async (event) => { console.log("RECORD " + JSON.stringify(event)); return "recorded"; };';
/** Logs each attempt with its request id, then fails. */
const FAILS = 'exports.handler = async (event, context) => { console.log("ATTEMPT " + context.awsRequestId + " " + event.tag); throw new Error("intentional failure"); };';

interface Line { message: string; timestamp: number }

/** The function's log lines that contain `marker`, oldest first, with what follows the marker. */
async function logLines(logs: CloudWatchLogsClient, fn: string, marker: string): Promise<Line[]> {
  const lines: Line[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, nextToken })).catch(() => undefined);
    if (!page) return lines;
    for (const e of page.events ?? []) {
      const at = e.message!.indexOf(marker);
      if (at >= 0) lines.push({ message: e.message!.slice(at + marker.length).trim(), timestamp: e.timestamp! });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return lines.sort((a, b) => a.timestamp - b.timestamp);
}

/** The invocation record the recorder received for the event tagged `tag`. */
function recordFor(logs: CloudWatchLogsClient, recorder: string, tag: string): Promise<any> {
  return waitFor(`the invocation record of ${tag}`, async () =>
    (await logLines(logs, recorder, 'RECORD ')).map((l) => JSON.parse(l.message)).find((r) => r.requestPayload?.tag === tag));
}

const invokeEvent = (lambda: LambdaClient, name: string, payload: unknown) =>
  lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: json(payload) }));

async function health(url: string): Promise<{ asyncInvocations: { queued: number; running: number } }> {
  return (await fetch(`${url}/_stagecraft/health`)).json() as Promise<{ asyncInvocations: { queued: number; running: number } }>;
}

env.setup(async () => {
  await createNodeFunction(env.lambda, 'recorder', RECORDER);
  await createNodeFunction(env.lambda, 'always-fails', FAILS);
});

test('an Event invocation is answered 202 once queued, runs in the background and leaves the queue', async () => {
  await createNodeFunction(env.lambda, 'async-echo', 'exports.handler = async (event) => { console.log("RAN " + JSON.stringify(event)); };');
  const res = await invokeEvent(env.lambda, 'async-echo', { n: 1 });
  assert.equal(res.StatusCode, 202);
  await waitFor('the event to run', async () => (await logLines(env.logs, 'async-echo', 'RAN ')).find((l) => l.message === '{"n":1}'));
  await waitFor('the queue to empty', async () => ((await health(env.url)).asyncInvocations.queued === 0 ? true : undefined));
  await expectAwsError(invokeEvent(env.lambda, 'no-such-function', {}), 'ResourceNotFoundException', `Function not found: ${arn('no-such-function')}:$LATEST`, 404);
});

test('InvokeAsync (deprecated by AWS) queues an event as Invoke with InvocationType Event does: SDK and AWS CLI', async () => {
  await createNodeFunction(env.lambda, 'async-legacy', 'exports.handler = async (event) => { console.log("LEGACY " + JSON.stringify(event)); };');
  const res = await env.lambda.send(new InvokeAsyncCommand({ FunctionName: 'async-legacy', InvokeArgs: json({ via: 'sdk' }) }));
  assert.equal(res.Status, 202);
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-invoke-async-'));
  try {
    writeFileSync(join(dir, 'args.json'), JSON.stringify({ via: 'cli' }));
    const cli = await awsCli(env.url, ['lambda', 'invoke-async', '--function-name', arn('async-legacy'), '--invoke-args', 'args.json'], { cwd: dir });
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json(), { Status: 202 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await waitFor('both events to run', async () => {
    const seen = (await logLines(env.logs, 'async-legacy', 'LEGACY ')).map((l) => l.message).sort();
    return seen.length === 2 ? assert.deepEqual(seen, ['{"via":"cli"}', '{"via":"sdk"}']) ?? true : undefined;
  });
  await expectAwsError(env.lambda.send(new InvokeAsyncCommand({ FunctionName: 'no-such-function', InvokeArgs: json({}) })), 'ResourceNotFoundException', `Function not found: ${arn('no-such-function')}:$LATEST`, 404);
});

test('a burst of events is queued and every event runs', async () => {
  await createNodeFunction(env.lambda, 'burst', 'exports.handler = async (event) => { console.log("BURST " + event.i); };');
  const sent = await Promise.all(Array.from({ length: 40 }, (_, i) => invokeEvent(env.lambda, 'burst', { i })));
  assert.ok(sent.every((r) => r.StatusCode === 202));
  const seen = await waitFor('every event to run', async () => {
    const got = new Set((await logLines(env.logs, 'burst', 'BURST ')).map((l) => l.message));
    return got.size === 40 ? got : undefined;
  }, 60_000);
  assert.equal(seen.size, 40);
});

test('a failing function is retried twice after the configured delays, with one request id, then OnFailure gets the record', async () => {
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'always-fails', DestinationConfig: { OnFailure: { Destination: arn('recorder') } } }));
  const res = await invokeEvent(env.lambda, 'always-fails', { tag: 'retries' });
  const record = await recordFor(env.logs, 'recorder', 'retries');
  const requestId = res.$metadata.requestId;
  assert.deepEqual(record.requestContext, { requestId, functionArn: `${arn('always-fails')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 });
  assert.equal(record.version, '1.0');
  assert.ok(!Number.isNaN(Date.parse(record.timestamp)));
  assert.deepEqual(record.requestPayload, { tag: 'retries' });
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.equal(record.responsePayload.errorMessage, 'intentional failure');
  assert.equal(record.responsePayload.errorType, 'Error');
  assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);

  const attempts = (await logLines(env.logs, 'always-fails', 'ATTEMPT ')).filter((l) => l.message.endsWith(' retries'));
  assert.equal(attempts.length, 3, 'the first attempt and two retries');
  assert.ok(attempts.every((a) => a.message === `${requestId} retries`), 'every attempt keeps the request id');
  const [first, second] = RETRY_DELAYS.split(',').map(Number);
  assert.ok(attempts[1].timestamp - attempts[0].timestamp >= first - 50, 'the first retry waits the first delay');
  assert.ok(attempts[2].timestamp - attempts[1].timestamp >= second - 50, 'the second retry waits the second delay');
});

test('settings are per qualifier: an alias with MaximumRetryAttempts 0 gives up after one attempt', async () => {
  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'always-fails' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'always-fails', Name: 'live', FunctionVersion: '1' }));
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: 'always-fails', Qualifier: 'live', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: arn('recorder') } },
  }));
  await invokeEvent(env.lambda, 'always-fails:live', { tag: 'no-retries' });
  const record = await recordFor(env.logs, 'recorder', 'no-retries');
  assert.equal(record.requestContext.condition, 'RetriesExhausted');
  assert.equal(record.requestContext.approximateInvokeCount, 1);
  assert.equal(record.requestContext.functionArn, `${arn('always-fails')}:live`);
  assert.equal(record.responseContext.executedVersion, '1');
  const attempts = (await logLines(env.logs, 'always-fails', 'ATTEMPT ')).filter((l) => l.message.endsWith(' no-retries'));
  assert.equal(attempts.length, 1);
});

test('OnSuccess gets the record of a successful event; a destination queue that does not exist is reported as not delivered', async () => {
  await createNodeFunction(env.lambda, 'succeeds', 'exports.handler = async (event) => ({ ok: true, got: event.tag });');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', DestinationConfig: { OnSuccess: { Destination: arn('recorder') } } }));
  await invokeEvent(env.lambda, 'succeeds', { tag: 'success' });
  const record = await recordFor(env.logs, 'recorder', 'success');
  assert.equal(record.requestContext.condition, 'Success');
  assert.equal(record.requestContext.approximateInvokeCount, 1);
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  assert.deepEqual(record.responsePayload, { ok: true, got: 'success' });

  const queue = `arn:aws:sqs:${testRegion}:${testAccount}:records`;
  const stored = await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', DestinationConfig: { OnSuccess: { Destination: queue } } }));
  assert.deepEqual(stored.DestinationConfig, { OnSuccess: { Destination: queue }, OnFailure: {} });
  await invokeEvent(env.lambda, 'succeeds', { tag: 'to-sqs' });
  await waitFor('the not-delivered log line', async () => (/invocation record not delivered.*records/.test(env.server.stderr()) ? true : undefined));
});

test('throttled events wait in the queue, survive a kill -9 and run once concurrency allows', async () => {
  await createNodeFunction(env.lambda, 'held', 'exports.handler = async (event) => { console.log("HELD " + event.tag); };');
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 0 }));
  const res = await invokeEvent(env.lambda, 'held', { tag: 'waiting' });
  assert.equal(res.StatusCode, 202, 'accepted although the function cannot run now');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await logLines(env.logs, 'held', 'HELD ')).length, 0, 'throttled, so not run yet');
  assert.ok((await health(env.url)).asyncInvocations.queued >= 1);

  await env.restart({ crash: true });
  await env.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'held' }));
  const ran = await waitFor('the event to run after the restart', async () => (await logLines(env.logs, 'held', 'HELD ')).find((l) => l.message === 'waiting'));
  assert.ok(ran);
});

test('an event running during a kill -9 runs again after the restart, with its request id (at least once)', async () => {
  await createNodeFunction(env.lambda, 'slow',
    'exports.handler = async (event, context) => { await new Promise((r) => setTimeout(r, 3000)); console.log("DONE " + context.awsRequestId); };', { Timeout: 10 });
  const res = await invokeEvent(env.lambda, 'slow', {});
  await waitFor('the event to start', async () => ((await health(env.url)).asyncInvocations.running > 0 ? true : undefined));
  await env.restart({ crash: true });
  const done = await waitFor('the event to run again', async () => (await logLines(env.logs, 'slow', 'DONE ')).find((l) => l.message === res.$metadata.requestId));
  assert.ok(done);
});

test('a graceful stop lets running events finish instead of running them again', async () => {
  await createNodeFunction(env.lambda, 'finishes',
    'exports.handler = async (event, context) => { await new Promise((r) => setTimeout(r, 1500)); console.log("FINISHED " + context.awsRequestId); };');
  const res = await invokeEvent(env.lambda, 'finishes', {});
  await waitFor('the event to start', async () => ((await health(env.url)).asyncInvocations.running > 0 ? true : undefined));
  await env.restart();
  const restarted = Date.now();
  const line = await waitFor('the finished event in the log', async () => (await logLines(env.logs, 'finishes', 'FINISHED ')).find((l) => l.message === res.$metadata.requestId));
  assert.ok(line.timestamp < restarted, 'it finished while the old server stopped');
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal((await logLines(env.logs, 'finishes', 'FINISHED ')).length, 1, 'finished during the stop, so not run again');
  assert.equal((await health(env.url)).asyncInvocations.running, 0);
});

test('queued events of a deleted function are dropped with it', async () => {
  await createNodeFunction(env.lambda, 'doomed', 'exports.handler = async () => 1;');
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'doomed', ReservedConcurrentExecutions: 0 }));
  const before = (await health(env.url)).asyncInvocations.queued;
  await invokeEvent(env.lambda, 'doomed', {});
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
  await waitFor('the queue to shrink', async () => ((await health(env.url)).asyncInvocations.queued <= before ? true : undefined));
});

test('an event whose next retry would come after MaximumEventAgeInSeconds is given up at once (EventAgeExceeded)', async () => {
  // Retry delays of 0.25 s and 61 s against a 60 s age limit: the second retry would come too late.
  const server = await TestServer.start({ args: ['--async-retry-delays', '250,61000'] });
  try {
    await createNodeFunction(server.lambda, 'recorder', RECORDER);
    await createNodeFunction(server.lambda, 'always-fails', FAILS);
    await server.lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'always-fails', MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: arn('recorder') } },
    }));
    const started = Date.now();
    await invokeEvent(server.lambda, 'always-fails', { tag: 'too-old' });
    const record = await recordFor(server.logs, 'recorder', 'too-old');
    assert.ok(Date.now() - started < 30_000, 'given up without waiting for the age to run out');
    assert.equal(record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.equal(record.responseContext.functionError, 'Unhandled');
  } finally {
    await server.stop();
  }
});

test('FunctionEventInvokeConfig lifecycle: Put replaces, Update merges, per qualifier, listed and paged, deleted', async () => {
  await createNodeFunction(env.lambda, 'configured', 'exports.handler = async () => 1;');
  const put = await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 0 }));
  assert.equal(put.$metadata.httpStatusCode, 200);
  assert.equal(put.FunctionArn, `${arn('configured')}:$LATEST`);
  assert.equal(put.MaximumRetryAttempts, 0);
  assert.equal(put.MaximumEventAgeInSeconds, undefined);
  assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
  assert.ok(put.LastModified instanceof Date);

  const replaced = await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumEventAgeInSeconds: 60 }));
  assert.equal(replaced.MaximumRetryAttempts, undefined, 'Put replaces every setting');
  assert.equal(replaced.MaximumEventAgeInSeconds, 60);
  const updated = await env.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 1 }));
  assert.equal(updated.MaximumRetryAttempts, 1);
  assert.equal(updated.MaximumEventAgeInSeconds, 60, 'Update keeps what it is not given');
  const got = await env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured', Qualifier: '$LATEST' }));
  assert.equal(got.MaximumRetryAttempts, 1);
  assert.equal(got.MaximumEventAgeInSeconds, 60);

  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'configured' }));
  await expectAwsError(env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured', Qualifier: '1' })), 'ResourceNotFoundException',
    `The function ${arn('configured')}:1 doesn't have an EventInvokeConfig`, 404);
  const v1 = await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured:1', MaximumEventAgeInSeconds: 120 }));
  assert.equal(v1.FunctionArn, `${arn('configured')}:1`);

  const all = await env.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }));
  assert.deepEqual(all.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn).sort(), [`${arn('configured')}:$LATEST`, `${arn('configured')}:1`].sort());
  const page1 = await env.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured', MaxItems: 1 }));
  assert.equal(page1.FunctionEventInvokeConfigs!.length, 1);
  assert.ok(page1.NextMarker);
  const page2 = await env.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured', MaxItems: 1, Marker: page1.NextMarker }));
  assert.equal(page2.FunctionEventInvokeConfigs!.length, 1);
  assert.equal(page2.NextMarker, undefined);
  assert.notEqual(page2.FunctionEventInvokeConfigs![0].FunctionArn, page1.FunctionEventInvokeConfigs![0].FunctionArn);

  const deleted = await env.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await expectAwsError(env.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configured' })), 'ResourceNotFoundException',
    `The function ${arn('configured')}:$LATEST doesn't have an EventInvokeConfig`, 404);
  const left = await env.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }));
  assert.deepEqual(left.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn), [`${arn('configured')}:1`]);
});

test('FunctionEventInvokeConfig bad input and missing resources are answered as AWS answers them', async () => {
  await createNodeFunction(env.lambda, 'strict', 'exports.handler = async () => 1;');
  const put = (input: Partial<PutFunctionEventInvokeConfigCommandInput>) =>
    env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'strict', ...input }));
  const invalid = 'InvalidParameterValueException';

  await expectAwsError(put({ FunctionName: 'doesnotexist' }), invalid, 'You must specify at least one of error handling or destination setting.', 400);
  await expectAwsError(put({ FunctionName: 'doesnotexist', MaximumRetryAttempts: 1 }), 'ResourceNotFoundException', "The function doesn't exist.", 404);
  await expectAwsError(put({ FunctionName: arn('doesnotexist'), MaximumRetryAttempts: 1 }), 'ResourceNotFoundException', "The function doesn't exist.", 404);
  await expectAwsError(put({ Qualifier: 'nosuchalias', MaximumRetryAttempts: 1 }), 'ResourceNotFoundException', "The function doesn't exist.", 404);
  await expectAwsError(put({ FunctionName: 'strict:$LATEST', Qualifier: '1', MaximumRetryAttempts: 1 }), invalid,
    'The derived qualifier from the function name does not match the specified qualifier.', 400);
  await expectAwsError(put({ MaximumRetryAttempts: 3 }), 'ValidationException',
    "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2", 400);
  await expectAwsError(put({ MaximumEventAgeInSeconds: 59 }), 'ValidationException',
    "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60", 400);

  await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: arn('doesnotexist') } } }), invalid,
    `The destination ARN ${arn('doesnotexist')} is invalid.`, 400);
  await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: arn('strict') } } }), invalid,
    "You can't specify the function as a destination for itself.", 400);
  const iam = arn('strict').replace(':lambda:', ':iam:');
  await expectAwsError(put({ DestinationConfig: { OnSuccess: { Destination: iam } } }), invalid,
    `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iam}), onFailure=null) is invalid.`, 400);
  await expectAwsError(put({ DestinationConfig: { OnFailure: { Destination: arn('strict').replace(':lambda:', ':_-/!lambda:') } } }), 'ValidationException',
    /^1 validation error detected: Value '.*' at 'destinationConfig\.onFailure\.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: /, 400);
  const empty = await put({ DestinationConfig: { OnSuccess: {} } });
  assert.deepEqual(empty.DestinationConfig, { OnSuccess: {}, OnFailure: {} });

  const missing = (fn: string) => `The function ${arn(fn)}:$LATEST doesn't have an EventInvokeConfig`;
  await expectAwsError(env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', missing('doesnotexist'), 404);
  await expectAwsError(env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'strict', Qualifier: 'doesnotexist' })), 'ResourceNotFoundException',
    `The function ${arn('strict')}:doesnotexist doesn't have an EventInvokeConfig`, 404);
  await expectAwsError(env.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', missing('doesnotexist'), 404);
  await expectAwsError(env.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', "The function doesn't exist.", 404);
  await expectAwsError(env.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist', MaximumRetryAttempts: 0 })), 'ResourceNotFoundException',
    "The function doesn't exist.", 404);
  await env.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'strict' }));
  await expectAwsError(env.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: arn('strict'), MaximumRetryAttempts: 0 })), 'ResourceNotFoundException',
    missing('strict'), 404);
});

test('stagecraft serve refuses retry delays and worker counts it cannot use', async () => {
  const delays = await runCli(['serve', '--port', '0', '--async-retry-delays', '1000']);
  assert.equal(delays.code, 2);
  assert.match(delays.stderr, /--async-retry-delays must be two whole numbers of milliseconds, e\.g\. 60000,120000, got '1000'/);
  const workers = await runCli(['serve', '--port', '0', '--async-workers', '0']);
  assert.equal(workers.code, 2);
  assert.match(workers.stderr, /--async-workers must be a whole number from 1 to 256, got '0'/);
});
