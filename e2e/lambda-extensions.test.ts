// External extensions end to end: a layer ships extensions/my-ext; functions using it (Node.js,
// Python, a provided.al2023 custom runtime) see the INVOKE events their extension received, the
// extension's output lands in the function's log stream, an extension crashing during init fails
// the invocation with Extension.Crash, DeleteFunction sends the runtime SIGTERM and then the
// extension SHUTDOWN, an extension's work after the response is in REPORT Duration, a cold start
// from a pre-started cell that starts the extension; and the AWS CLI walkthrough
// (create-function --layers, invoke --log-type Tail).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { EXTENSION, eventsBootstrap } from '../src/runtime/testing.js';

/** Events extensions POST here (EXT_NOTIFY), from inside their sandbox over loopback (a host port their network namespace is given). */
const notified: { eventType: string; shutdownReason?: string; requestId?: string }[] = [];
const listener = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    notified.push(JSON.parse(Buffer.concat(chunks).toString()));
    res.end();
  });
});
await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
const notifyPort = (listener.address() as AddressInfo).port;
const notifyUrl = `http://127.0.0.1:${notifyPort}/`;

const env = useServer({ args: ['--function-host-ports', String(notifyPort)] });
let layerArn = '';

env.setup(async () => {
  const zip = await makeZip([{ name: 'extensions/my-ext', content: EXTENSION, mode: 0o100755 }]);
  layerArn = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'my-extension', Content: { ZipFile: zip } }))).LayerVersionArn!;
});
after(() => listener.close());

async function create(name: string, input: Partial<CreateFunctionCommandInput>, files: Record<string, string>): Promise<void> {
  const entries = Object.entries(files).map(([n, content]) => ({ name: n, content, mode: n === 'bootstrap' ? 0o100755 : 0o100644 }));
  await env.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Role: testFunctionRole, Layers: [layerArn], MemorySize: 512, Code: { ZipFile: await makeZip(entries) }, ...input } as CreateFunctionCommandInput),
  );
}

async function invoke(name: string): Promise<{ requestId: string; payload: any; error: string | undefined }> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  return { requestId: out.$metadata.requestId!, payload: JSON.parse(Buffer.from(out.Payload!).toString()), error: out.FunctionError };
}

/** Two calls: the second reads what the extension wrote about the first. */
async function eventsSeenAfterOne(name: string): Promise<{ first: string; events: { eventType?: string; requestId?: string; registered?: unknown }[] }> {
  const first = await invoke(name);
  assert.equal(first.error, undefined, JSON.stringify(first.payload));
  await new Promise((r) => setTimeout(r, 300)); // the answer may come before the extension is done with it
  const second = await invoke(name);
  assert.equal(second.error, undefined, JSON.stringify(second.payload));
  return { first: first.requestId, events: second.payload };
}

const NODE_HANDLER = `
const fs = require('fs'), os = require('os');
exports.handler = async () => fs.readFileSync(os.tmpdir() + '/events-my-ext.jsonl', 'utf8').trim().split('\\n').map(JSON.parse);`;

test('a Node.js function: its extension registers and receives INVOKE with the request id; its output is in the log stream', async () => {
  await create('ext-node', { Runtime: 'nodejs20.x', Handler: 'index.handler' }, { 'index.js': NODE_HANDLER });
  const { first, events } = await eventsSeenAfterOne('ext-node');
  assert.deepEqual(events[0], { registered: { functionName: 'ext-node', functionVersion: '$LATEST', handler: 'index.handler', accountId: '000000000000' }, status: 200 });
  assert.equal(events[1].eventType, 'INVOKE');
  assert.equal(events[1].requestId, first);
  let messages: string[] = [];
  for (let i = 0; i < 40 && !messages.some((m) => m.includes(`[my-ext] INVOKE ${first}`)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ext-node' })).catch(() => ({ events: [] }));
    messages = (out.events ?? []).map((e) => e.message ?? '');
  }
  assert.ok(messages.some((m) => m.includes(`[my-ext] INVOKE ${first}`)), messages.join(''));
  assert.ok(messages.some((m) => m.startsWith('EXTENSION\tName: my-ext\tState: Ready\tEvents: [INVOKE,SHUTDOWN]')), messages.join(''));
});

test('an extension working 300 ms after the response: its line comes before END, REPORT Duration includes its time', async () => {
  await create('ext-post', { Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { EXT_POST_MS: '300' } } }, { 'index.js': 'exports.handler = async () => "ok";' });
  await invoke('ext-post'); // init out of the way
  await new Promise((r) => setTimeout(r, 400));
  const started = Date.now();
  const r = await invoke('ext-post');
  assert.ok(Date.now() - started < 300, 'the response does not wait for the extension');
  let messages: string[] = [];
  for (let i = 0; i < 40 && !messages.some((m) => m.startsWith(`REPORT RequestId: ${r.requestId}`)); i++) {
    await new Promise((res) => setTimeout(res, 100));
    const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ext-post' })).catch(() => ({ events: [] }));
    messages = (out.events ?? []).map((e) => e.message ?? '');
  }
  const at = (prefix: string): number => messages.findIndex((m) => m.startsWith(prefix));
  assert.ok(at(`[my-ext] done ${r.requestId}`) >= 0 && at(`[my-ext] done ${r.requestId}`) < at(`END RequestId: ${r.requestId}`), messages.join(''));
  const report = messages[at(`REPORT RequestId: ${r.requestId}`)]!;
  assert.ok(Number(/\tDuration: ([\d.]+) ms/.exec(report)![1]) >= 300, report);
});

test('a Python function and a provided.al2023 custom runtime get the same extension', async () => {
  await create(
    'ext-python',
    { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' },
    { 'lambda_function.py': 'import json, tempfile\n\ndef lambda_handler(event, context):\n    with open(tempfile.gettempdir() + "/events-my-ext.jsonl") as f:\n        return [json.loads(l) for l in f]\n' },
  );
  const py = await eventsSeenAfterOne('ext-python');
  assert.equal(py.events[1].requestId, py.first);

  const bootstrap = eventsBootstrap('my-ext');
  await create('ext-custom', { Runtime: 'provided.al2023', Handler: 'unused' }, { bootstrap });
  const custom = await eventsSeenAfterOne('ext-custom');
  assert.equal(custom.events[1].eventType, 'INVOKE');
  assert.equal(custom.events[1].requestId, custom.first);
});

test('an extension crashing during init fails the invocation with Extension.Crash', async () => {
  await create('ext-crash', { Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { EXT_MODE: 'crash' } } }, { 'index.js': NODE_HANDLER });
  const r = await invoke('ext-crash');
  assert.equal(r.error, 'Unhandled');
  assert.equal(r.payload.errorType, 'Extension.Crash');
  assert.match(r.payload.errorMessage, /^RequestId: \S+ Error: exit status 3$/);
});

test('DeleteFunction sends the extension SHUTDOWN', async () => {
  await create('ext-shutdown', { Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { EXT_NOTIFY: notifyUrl } } }, { 'index.js': NODE_HANDLER });
  const r = await invoke('ext-shutdown');
  assert.equal(r.error, undefined);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ext-shutdown' }));
  for (let i = 0; i < 60 && !notified.some((e) => e.eventType === 'SHUTDOWN'); i++) await new Promise((res) => setTimeout(res, 50));
  assert.ok(notified.some((e) => e.eventType === 'INVOKE' && e.requestId === r.requestId), JSON.stringify(notified));
  assert.equal(notified.find((e) => e.eventType === 'SHUTDOWN')?.shutdownReason, 'spindown');
});

test('at shutdown the runtime gets SIGTERM first, then the extension SHUTDOWN (deadline: 2 s after the SIGTERM); what they print is in the log stream', async () => {
  const handler = `process.on("SIGTERM", () => {
    console.log("[runtime] SIGTERM at " + Date.now());
    setTimeout(() => { console.log("[runtime] exiting"); process.exit(0); }, 100);
  });
  exports.handler = async () => "ok";`;
  await create('ext-sigterm', { Runtime: 'nodejs20.x', Handler: 'index.handler' }, { 'index.js': handler });
  assert.equal((await invoke('ext-sigterm')).error, undefined);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ext-sigterm' }));
  let messages: string[] = [];
  for (let i = 0; i < 60 && !messages.some((m) => m.includes('[my-ext] SHUTDOWN')); i++) {
    await new Promise((res) => setTimeout(res, 100));
    const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ext-sigterm' })).catch(() => ({ events: [] }));
    messages = (out.events ?? []).map((e) => e.message ?? '');
  }
  const at = (text: string): number => messages.findIndex((m) => m.includes(text));
  assert.ok(at('[runtime] SIGTERM at') >= 0 && at('[runtime] SIGTERM at') < at('[runtime] exiting') && at('[runtime] exiting') < at('[my-ext] SHUTDOWN spindown'), messages.join(''));
  const sigterm = Number(/\[runtime\] SIGTERM at (\d+)/.exec(messages[at('[runtime] SIGTERM at')])![1]);
  const [, received, deadline] = /\[my-ext\] SHUTDOWN spindown at (\d+) deadline (\d+)/.exec(messages[at('[my-ext] SHUTDOWN')])!.map(Number);
  assert.ok(received - sigterm >= 100, `the extension's SHUTDOWN came once the runtime had exited: ${received - sigterm} ms after its SIGTERM`);
  assert.ok(Math.abs(deadline - (sigterm + 2000)) < 100, `deadlineMs ends AWS's 2,000 ms phase: ${deadline - sigterm} ms after the SIGTERM`);
});

test('a new version cold-starts from a pre-started cell that starts its extension: registration, INVOKE, /tmp, INIT and EXTENSION lines as from a fresh process', async () => {
  const handler = `
const fs = require('fs'), os = require('os');
const read = () => { try { return fs.readFileSync(os.tmpdir() + '/events-my-ext.jsonl', 'utf8'); } catch { return ''; } };
exports.handler = async (event, context) => {
  for (let i = 0; i < 200 && !read().includes(context.awsRequestId); i++) await new Promise((r) => setTimeout(r, 10));
  return { uptime: process.uptime(), events: read().trim().split('\\n').map(JSON.parse).map((e) => e.requestId === context.awsRequestId ? { ...e, requestId: 'this one' } : e) };
};`;
  await create('ext-cell', { Runtime: 'nodejs20.x', Handler: 'index.handler' }, { 'index.js': handler });
  const run = async (qualifier: string) => {
    const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'ext-cell', Qualifier: qualifier, LogType: 'Tail' }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload!).toString());
    const log = Buffer.from(out.LogResult!, 'base64').toString().split('\n');
    return { result: JSON.parse(Buffer.from(out.Payload!).toString()), log };
  };
  const first = await run('$LATEST');
  // A cold start that wants a cell of its kind (for functions with extensions): one starts for the next.
  await run((await env.lambda.send(new PublishVersionCommand({ FunctionName: 'ext-cell' }))).Version!);
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ext-cell', Description: 'next' }));
  const version = (await env.lambda.send(new PublishVersionCommand({ FunctionName: 'ext-cell' }))).Version!;
  await new Promise((r) => setTimeout(r, 1000));
  const cold = await run(version);
  // The runtime had started before this version's first invocation: a cell, specialised for it.
  assert.ok(cold.result.uptime >= 0.5, `uptime ${cold.result.uptime}`);
  const expected = (v: string) => [{ registered: { functionName: 'ext-cell', functionVersion: v, handler: 'index.handler', accountId: '000000000000' }, status: 200 }];
  assert.deepEqual(cold.result.events.slice(0, 1), expected(version));
  assert.deepEqual(first.result.events.slice(0, 1), expected('$LATEST'));
  for (const { result } of [first, cold]) assert.equal(result.events.find((e: { requestId?: string }) => e.requestId === 'this one')?.eventType, 'INVOKE');
  // The same lines, in the same order, as a fresh start's (their values aside).
  const shape = (log: string[]) => log.filter((l) => l !== '' && !l.startsWith('[my-ext]')).map((l) => l.replace(/:\s[^\t]*/g, ':'));
  assert.deepEqual(shape(cold.log), shape(first.log));
  assert.match(cold.log.join('\n'), /EXTENSION\tName: my-ext\tState: Ready\tEvents: \[INVOKE,SHUTDOWN\]\n/);
  assert.match(cold.log.join('\n'), /\tInit Duration: [\d.]+ ms/);
});

test('AWS CLI: create-function --layers with an extension, invoke --log-type Tail shows the extension in the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cli-ext-'));
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': NODE_HANDLER }));
  const created = await cli('lambda', 'create-function', '--function-name', 'ext-cli', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--memory-size', '512', '--zip-file', 'fileb://function.zip', '--layers', layerArn);
  assert.equal(created.code, 0, created.stderr);
  const out = join(dir, 'out.json');
  const invoked = await cli('lambda', 'invoke', '--function-name', 'ext-cli', '--log-type', 'Tail', out);
  assert.equal(invoked.code, 0, invoked.stderr);
  assert.equal(invoked.json().FunctionError, undefined, readFileSync(out, 'utf8'));
  const log = Buffer.from(invoked.json().LogResult, 'base64').toString();
  assert.match(log, /EXTENSION\tName: my-ext\tState: Ready\tEvents: \[INVOKE,SHUTDOWN\]/);
  assert.equal(JSON.parse(readFileSync(out, 'utf8'))[0].registered.functionName, 'ext-cli');
});
