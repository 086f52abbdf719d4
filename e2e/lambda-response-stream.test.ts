// InvokeWithResponseStream through SDK v3, as applications read it: an event stream of
// PayloadChunk events and a closing InvokeComplete (with the error, or the log tail when asked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, CreateFunctionCommand, InvokeCommand, InvokeWithResponseStreamCommand, PublishVersionCommand, type InvokeWithResponseStreamCommandOutput } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';

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

/** A custom runtime streaming over the HTTP Runtime API, as AWS documents it: chunked POST, errors in trailers. */
const STREAMING_BOOTSTRAP = `#!${process.execPath}
const http = require('http');
const [hostPort, ...prefix] = process.env.AWS_LAMBDA_RUNTIME_API.split('/');
const [host, port] = hostPort.split(':');
const base = (prefix.length ? '/' + prefix.join('/') : '') + '/2018-06-01/runtime';
const next = () => new Promise((resolve, reject) => {
  http.get({ host, port, path: base + '/invocation/next' }, (res) => {
    const chunks = []; res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ id: res.headers['lambda-runtime-aws-request-id'], event: JSON.parse(Buffer.concat(chunks).toString()) }));
  }).on('error', reject);
});
(async () => {
  for (;;) {
    const { id, event } = await next();
    await new Promise((resolve, reject) => {
      const req = http.request({ host, port, path: base + '/invocation/' + id + '/response', method: 'POST', headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.write('first;');
      setTimeout(() => {
        req.write('second');
        if (event.fail) req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Custom.Broken',
          'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify({ errorType: 'Custom.Broken', errorMessage: 'broke mid-stream' })).toString('base64') });
        req.end();
      }, 1500);
    });
  }
})();
`;

test('a custom runtime streams over the HTTP Runtime API: parts as they are posted, an error in the trailers ends the stream', async () => {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'rs-custom', Runtime: 'provided.al2023', Handler: 'unused', Role: testFunctionRole, Timeout: 10,
    Code: { ZipFile: await makeZip([{ name: 'bootstrap', content: STREAMING_BOOTSTRAP, mode: 0o100755 }]) },
  }));
  const started = Date.now();
  const out = await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-custom', Payload: Buffer.from('{}') }));
  const seen: { what: string; at: number }[] = [];
  for await (const event of out.EventStream!) {
    if (event.PayloadChunk?.Payload) seen.push({ what: Buffer.from(event.PayloadChunk.Payload).toString(), at: Date.now() - started });
    if (event.InvokeComplete) seen.push({ what: event.InvokeComplete.ErrorCode ?? 'complete', at: Date.now() - started });
  }
  assert.deepEqual(seen.map((s) => s.what), ['first;', 'second', 'complete']);
  assert.ok(seen[1].at - seen[0].at >= 1000, JSON.stringify(seen));

  const failed = await read(await env.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'rs-custom', Payload: Buffer.from('{"fail":true}') })));
  assert.equal(failed.payload, 'first;second');
  assert.equal(failed.complete[0].ErrorCode, 'Custom.Broken');
  assert.equal(failed.complete[0].ErrorDetails, 'broke mid-stream');

  const whole = await env.lambda.send(new InvokeCommand({ FunctionName: 'rs-custom', Payload: Buffer.from('{}') }));
  assert.equal(Buffer.from(whole.Payload!).toString(), 'first;second', 'Invoke gets the streamed response whole');
});
