// InvokeWithResponseStream through SDK v3, as applications read it: an event stream of
// PayloadChunk events and a closing InvokeComplete (with the error, or the log tail when asked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, InvokeCommand, InvokeWithResponseStreamCommand, PublishVersionCommand, type InvokeWithResponseStreamCommandOutput } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';

const env = useServer();

async function read(out: InvokeWithResponseStreamCommandOutput): Promise<{ payload: string; complete: Record<string, unknown>[] }> {
  const chunks: Buffer[] = [];
  const complete: Record<string, unknown>[] = [];
  for await (const event of out.EventStream!) {
    if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload));
    if (event.InvokeComplete) complete.push({ ...event.InvokeComplete });
  }
  return { payload: Buffer.concat(chunks).toString(), complete };
}

test("a streaming handler's writes arrive as payload chunks, then InvokeComplete; the log tail when asked", async () => {
  await createNodeFunction(env.lambda, 'rs-stream', `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.setContentType('text/plain');
  for (const part of ['a', 'b', 'c']) stream.write(part + event.n);
  console.log('streamed');
  stream.end();
});`);
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-stream', Payload: Buffer.from('{"n":1}'), LogType: 'Tail' }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.ExecutedVersion, '$LATEST');
  const { payload, complete } = await read(out);
  assert.equal(payload, 'a1b1c1');
  assert.equal(complete.length, 1);
  assert.equal(complete[0].ErrorCode, undefined);
  const log = Buffer.from(String(complete[0].LogResult), 'base64').toString();
  assert.match(log, /streamed/);
  assert.match(log, /REPORT RequestId/);
});

test("an ordinary handler's result is the payload; an alias reports the version it ran", async () => {
  await createNodeFunction(env.lambda, 'rs-plain', 'exports.handler = async (e) => ({ got: e });');
  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'rs-plain' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'rs-plain', Name: 'live', FunctionVersion: '1' }));
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-plain', Qualifier: 'live', Payload: Buffer.from('[1,2]') }));
  assert.equal(out.ExecutedVersion, '1');
  const { payload, complete } = await read(out);
  assert.deepEqual(JSON.parse(payload), { got: [1, 2] });
  assert.deepEqual(complete, [{}]);
});

test('a function error ends the stream with its type and message; unknown functions are AWS errors', async () => {
  await createNodeFunction(env.lambda, 'rs-fails', 'exports.handler = async () => { throw new TypeError("bad input"); };');
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-fails' }));
  const { payload, complete } = await read(out);
  assert.equal(payload, '');
  assert.equal(complete[0].ErrorCode, 'TypeError');
  assert.equal(complete[0].ErrorDetails, 'bad input');
  await assert.rejects(env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-nobody' })), (e: Error) => e.name === 'ResourceNotFoundException');
});

// Writes one part, then another a while later: a caller that streams has the first long before the end.
const SLOW_STREAM = `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.write('first;');
  await new Promise((r) => setTimeout(r, 1500));
  stream.write('second');
  if (event.fail) throw new Error('failed mid-stream');
  stream.end();
});`;

test('chunks are sent as the handler writes them, not when it finishes; Invoke of the same function gets the whole body', async () => {
  await createNodeFunction(env.lambda, 'rs-slow', SLOW_STREAM, { Timeout: 10 });
  const started = Date.now();
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-slow', Payload: Buffer.from('{}') }));
  const seen: { what: string; at: number }[] = [];
  for await (const event of out.EventStream!) {
    if (event.PayloadChunk?.Payload) seen.push({ what: Buffer.from(event.PayloadChunk.Payload).toString(), at: Date.now() - started });
    if (event.InvokeComplete) seen.push({ what: 'complete', at: Date.now() - started });
  }
  assert.deepEqual(seen.map((s) => s.what), ['first;', 'second', 'complete']);
  assert.ok(seen[1].at - seen[0].at >= 1000, `the first chunk came ${seen[1].at - seen[0].at} ms before the second: ${JSON.stringify(seen)}`);

  const whole = await env.lambda.send(new InvokeCommand({ FunctionName: 'rs-slow', Payload: Buffer.from('{}') }));
  assert.equal(Buffer.from(whole.Payload!).toString(), 'first;second');
});

test('a handler that fails after streaming part ends the stream with its error, after the part it wrote', async () => {
  await createNodeFunction(env.lambda, 'rs-slow-fails', SLOW_STREAM, { Timeout: 10 });
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-slow-fails', Payload: Buffer.from('{"fail":true}') }));
  const { payload, complete } = await read(out);
  assert.equal(payload, 'first;second');
  assert.equal(complete.length, 1);
  assert.equal(complete[0].ErrorCode, 'Error');
  assert.equal(complete[0].ErrorDetails, 'failed mid-stream');
});

test('a streamed response may pass the 6 MB limit of buffered ones; Invoke of the same function fails with the size error', async () => {
  await createNodeFunction(env.lambda, 'rs-big', `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  const part = Buffer.alloc(1024 * 1024, 'x');
  for (let i = 0; i < 8; i++) stream.write(part);
  stream.end();
});`, { Timeout: 30, MemorySize: 512 });
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-big' }));
  const { payload, complete } = await read(out);
  assert.equal(payload.length, 8 * 1024 * 1024);
  assert.deepEqual(complete, [{}]);

  const buffered = await env.lambda.send(new InvokeCommand({ FunctionName: 'rs-big' }));
  assert.equal(buffered.FunctionError, 'Unhandled');
  const error = JSON.parse(Buffer.from(buffered.Payload!).toString());
  assert.equal(error.errorType, 'Function.ResponseSizeTooLarge');
  assert.equal(error.errorMessage, 'Response payload size exceeded maximum allowed payload size (6291556 bytes).');
});
