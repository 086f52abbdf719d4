// Invoking functions through the Lambda API with the SDK: qualifiers, alias weights, errors,
// timeouts, log tails, async and dry-run invocations, reserved concurrency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvokeCommand, PublishVersionCommand, CreateAliasCommand, UpdateAliasCommand, UpdateFunctionCodeCommand,
  PutFunctionConcurrencyCommand, type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { makeZip } from '../src/testing/zip.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

const text = (b?: Uint8Array) => Buffer.from(b ?? []).toString('utf8');

const deploy = (name: string, source: string, extra?: Partial<CreateFunctionCommandInput>) => createNodeFunction(env.lambda, name, source, extra);

test('RequestResponse returns the payload and the executed version; qualifiers in the name, ARN or parameter', async () => {
  await deploy('echo', 'exports.handler = async (event, context) => ({ event, version: context.functionVersion, arn: context.invokedFunctionArn });');
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }));
  assert.equal(res.StatusCode, 200);
  assert.equal(res.ExecutedVersion, '$LATEST');
  assert.equal(res.FunctionError, undefined);
  const body = JSON.parse(text(res.Payload));
  assert.deepEqual(body.event, { hello: 'world' });
  assert.equal(body.arn, 'arn:aws:lambda:us-east-1:000000000000:function:echo');

  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'echo' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'echo', Name: 'prod', FunctionVersion: '1' }));
  for (const call of [
    { FunctionName: 'echo:prod' },
    { FunctionName: 'echo', Qualifier: 'prod' },
    { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo:prod' },
  ]) {
    const r = await env.lambda.send(new InvokeCommand({ ...call, Payload: Buffer.from('{}') }));
    assert.equal(r.ExecutedVersion, '1');
    const b = JSON.parse(text(r.Payload));
    assert.equal(b.version, '1');
    assert.equal(b.arn, 'arn:aws:lambda:us-east-1:000000000000:function:echo:prod', 'invokedFunctionArn keeps the qualifier the caller used');
  }
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'echo:nope' })), (e: any) =>
    e.name === 'ResourceNotFoundException' && e.message === 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:echo:nope');
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'echo:prod', Qualifier: '1' })), (e: any) => e.name === 'InvalidParameterValueException');
});

test('function errors come back as 200 with X-Amz-Function-Error and AWS error payloads', async () => {
  await deploy('thrower', 'exports.handler = async () => { const e = new TypeError("bad input"); throw e; };');
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: 'thrower' }));
  assert.equal(res.StatusCode, 200);
  assert.equal(res.FunctionError, 'Unhandled');
  const err = JSON.parse(text(res.Payload));
  assert.equal(err.errorType, 'TypeError');
  assert.equal(err.errorMessage, 'bad input');
  assert.ok(Array.isArray(err.trace));

  await deploy('no-handler', 'exports.other = async () => 1;');
  const nh = JSON.parse(text((await env.lambda.send(new InvokeCommand({ FunctionName: 'no-handler' }))).Payload));
  assert.equal(nh.errorType, 'Runtime.HandlerNotFound');

  await deploy('exits', 'exports.handler = async () => { process.exit(3); };');
  const ex = await env.lambda.send(new InvokeCommand({ FunctionName: 'exits' }));
  assert.equal(ex.FunctionError, 'Unhandled');
  assert.equal(JSON.parse(text(ex.Payload)).errorType, 'Runtime.ExitError');
});

test('a function that runs past its timeout is stopped with AWS message and the next call still works', async () => {
  await deploy('sleepy', 'let calls = 0; exports.handler = async (e) => { calls++; if (e.sleep) await new Promise((r) => setTimeout(r, 5000)); return calls; };', { Timeout: 1 });
  const started = Date.now();
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: 'sleepy', Payload: Buffer.from('{"sleep":true}') }));
  assert.ok(Date.now() - started < 4000, 'stopped near the 1 s timeout');
  assert.equal(res.FunctionError, 'Unhandled');
  const err = JSON.parse(text(res.Payload));
  assert.match(err.errorMessage, /Task timed out after 1\.\d\d seconds/);
  const next = await env.lambda.send(new InvokeCommand({ FunctionName: 'sleepy', Payload: Buffer.from('{}') }));
  assert.equal(next.FunctionError, undefined);
  assert.equal(JSON.parse(text(next.Payload)), 1, 'a fresh environment replaced the killed one');
});

test('LogType=Tail returns the last 4 KB of the log; lines land in /aws/lambda/<name>', async () => {
  await deploy('logger', 'exports.handler = async () => { console.log("hello from the log"); return "ok"; };');
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: 'logger', LogType: 'Tail' }));
  const tail = Buffer.from(res.LogResult!, 'base64').toString();
  assert.match(tail, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
  assert.match(tail, /\tINFO\thello from the log/);
  assert.match(tail, /END RequestId: /);
  assert.match(tail, /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);
  let events: string[] = [];
  for (let i = 0; i < 50 && !events.some((e) => e.includes('hello from the log')); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const streams = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logger' })).catch(() => undefined);
    const name = streams?.logStreams?.[0]?.logStreamName;
    if (!name) continue;
    const got = await env.logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/logger', logStreamName: name, startFromHead: true }));
    events = got.events!.map((e) => e.message!);
  }
  assert.ok(events.some((e) => e.includes('hello from the log')), 'function output stored in CloudWatch Logs');
  assert.ok(events.some((e) => e.startsWith('REPORT RequestId:')));
});

test('Event invocations answer 202 and run in the background; DryRun answers 204', async () => {
  await deploy('async-fn', 'exports.handler = async (e) => { console.log("async ran " + e.n); return 1; };');
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: 'async-fn', InvocationType: 'Event', Payload: Buffer.from('{"n":42}') }));
  assert.equal(res.StatusCode, 202);
  const dry = await env.lambda.send(new InvokeCommand({ FunctionName: 'async-fn', InvocationType: 'DryRun' }));
  assert.equal(dry.StatusCode, 204);
  let found = false;
  for (let i = 0; i < 50 && !found; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const streams = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/async-fn' })).catch(() => undefined);
    for (const s of streams?.logStreams ?? []) {
      const got = await env.logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/async-fn', logStreamName: s.logStreamName!, startFromHead: true }));
      found ||= got.events!.some((e) => e.message!.includes('async ran 42'));
    }
  }
  assert.ok(found, 'the event was processed');
});

test('payloads: invalid JSON and oversized requests are refused as AWS does', async () => {
  await deploy('payloads', 'exports.handler = async (e) => e;');
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'payloads', Payload: Buffer.from('not json') })), (e: any) =>
    e.name === 'InvalidRequestContentException' && /^Could not parse request body into json: Could not parse payload into json: /.test(e.message));
  const big = Buffer.from(JSON.stringify({ data: 'x'.repeat(6_300_000) }));
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'payloads', Payload: big })), (e: any) =>
    e.name === 'RequestEntityTooLargeException' && e.$metadata.httpStatusCode === 413);
  const asyncBig = Buffer.from(JSON.stringify({ data: 'x'.repeat(1_100_000) }));
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'payloads', InvocationType: 'Event', Payload: asyncBig })), (e: any) =>
    e.name === 'RequestEntityTooLargeException');
  const empty = await env.lambda.send(new InvokeCommand({ FunctionName: 'payloads' }));
  assert.deepEqual(JSON.parse(text(empty.Payload)), {});
  // Bytes that are not UTF-8 are refused, not handed on as U+FFFD.
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'payloads', Payload: Buffer.from([0x22, 0xff, 0x22]) })), (e: any) =>
    e.name === 'InvalidRequestContentException' && /^Could not parse request body into json: Could not parse payload into json: /.test(e.message));
});

test('a ClientContext that is not base64 of a JSON object is refused as AWS refuses it; a good one reaches the function', async () => {
  await deploy('client-context', 'exports.handler = async (e, context) => context.clientContext ?? null;');
  for (const bad of ['not base64!', Buffer.from('not json').toString('base64'), Buffer.from('[1]').toString('base64'), 'e30=x']) {
    await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'client-context', ClientContext: bad })), (e: any) =>
      e.name === 'InvalidRequestContentException' && e.$metadata.httpStatusCode === 400 && e.message === 'Client context must be a valid Base64-encoded JSON object.', bad);
  }
  const good = await env.lambda.send(new InvokeCommand({ FunctionName: 'client-context', ClientContext: Buffer.from('{"custom":{"k":"v"}}').toString('base64') }));
  assert.deepEqual(JSON.parse(text(good.Payload)).custom, { k: 'v' });
  const unpadded = await env.lambda.send(new InvokeCommand({ FunctionName: 'client-context', ClientContext: 'e30' }));
  assert.equal(unpadded.StatusCode, 200);
});

test('weighted aliases split traffic between two versions and report the executed one', async () => {
  await deploy('canary', 'exports.handler = async () => "v1";', { Publish: true });
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'canary', ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => "v2";' }), Publish: true }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'canary', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
  const counts: Record<string, number> = {};
  for (let i = 0; i < 60; i++) {
    const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'canary:live' }));
    const body = JSON.parse(text(r.Payload));
    assert.equal(body, r.ExecutedVersion === '1' ? 'v1' : 'v2', 'the executed version is the one that answered');
    counts[r.ExecutedVersion!] = (counts[r.ExecutedVersion!] ?? 0) + 1;
  }
  assert.ok(counts['1'] > 5 && counts['2'] > 5, `both versions served: ${JSON.stringify(counts)}`);
  await env.lambda.send(new UpdateAliasCommand({ FunctionName: 'canary', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
  for (let i = 0; i < 5; i++) assert.equal((await env.lambda.send(new InvokeCommand({ FunctionName: 'canary:live' }))).ExecutedVersion, '2');
});

test('reserved concurrency 0 throttles with 429 TooManyRequestsException', async () => {
  await deploy('throttled', 'exports.handler = async () => 1;');
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'throttled' })), (e: any) =>
    e.name === 'TooManyRequestsException' && e.message === 'Rate Exceeded.' && e.Reason === 'ReservedFunctionConcurrentInvocationLimitExceeded' && e.$metadata.httpStatusCode === 429);
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 1 }));
  const slow = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 700)); return 1; };';
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'throttled', ZipFile: await makeZip({ 'index.js': slow }) }));
  const results = await Promise.allSettled([env.lambda.send(new InvokeCommand({ FunctionName: 'throttled' })), env.lambda.send(new InvokeCommand({ FunctionName: 'throttled' }))]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.equal(results.filter((r) => r.status === 'rejected' && (r.reason as Error).name === 'TooManyRequestsException').length, 1);
});

test('parallel invocations run in parallel environments and warm ones are reused', async () => {
  // Each environment draws its own id at start (PIDs repeat across sandboxes' PID namespaces).
  await deploy('pids', 'const id = require("crypto").randomUUID(); exports.handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, 300)); return id; };');
  const parallel = await Promise.all(Array.from({ length: 3 }, () => env.lambda.send(new InvokeCommand({ FunctionName: 'pids', Payload: Buffer.from('{"wait":true}') }))));
  const pids = parallel.map((r) => JSON.parse(text(r.Payload)));
  assert.equal(new Set(pids).size, 3, 'three environments at once');
  const again = JSON.parse(text((await env.lambda.send(new InvokeCommand({ FunctionName: 'pids', Payload: Buffer.from('{}') }))).Payload));
  assert.ok(pids.includes(again), 'a warm environment was reused');
});
