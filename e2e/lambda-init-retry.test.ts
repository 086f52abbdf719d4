// An init that fails or outruns its limit runs again with the invocation waiting for it, as AWS's
// "suppressed init" does, through the Lambda API with the SDK. The server's init limit is 1 s here
// (--init-timeout; AWS: 10 s), so that the tests take seconds.
import { test, after } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { freePort } from '../src/testing/ports.js';

const invoke = async (name: string) => {
  const started = Date.now();
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}'), LogType: 'Tail' }));
  return {
    ms: Date.now() - started,
    error: res.FunctionError,
    body: JSON.parse(Buffer.from(res.Payload ?? []).toString('utf8')),
    log: Buffer.from(res.LogResult ?? '', 'base64').toString('utf8'),
  };
};

/**
 * Counts the requests for each path: an init that asks it how many times it has run fails only the
 * first time (a sandboxed re-run starts with an empty /tmp); environments reach it on the host's
 * loopback through --function-host-ports.
 */
const attempts = new Map<string, number>();
const counter = createServer((req, res) => {
  const n = (attempts.get(req.url!) ?? 0) + 1;
  attempts.set(req.url!, n);
  res.end(String(n));
});
await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
const counterPort = (counter.address() as AddressInfo).port;
const counterUrl = Promise.resolve(`http://127.0.0.1:${counterPort}`);
const env = useServer({ env: { STAGECRAFT_INIT_TIMEOUT: '1000' }, args: ['--function-host-ports', String(counterPort)] });
after(() => counter.close());

/** The log's lines with the Node.js runtime's timestamp and request id prefix taken off. */
const plain = (log: string): string[] => log.trimEnd().split('\n').map((l) => l.replace(/^\d{4}-\d\d-\d\dT\S+Z\t\S+\t\w+\t/, ''));

/** Index.js whose init busy-waits `ms` before the handler exists (a blocked event loop, as a slow import). */
const slowInit = (ms: number) => `console.log('init begins');
const end = Date.now() + ${ms};
while (Date.now() < end);
exports.handler = async () => 'ready';`;

test('an init that outruns the init limit runs again with the first invocation, which succeeds within the function timeout', async () => {
  const remaining = slowInit(1500).replace("async () => 'ready'", 'async (e, ctx) => ctx.getRemainingTimeInMillis()');
  await createNodeFunction(env.lambda, 'slow-init', remaining, { Timeout: 4 });
  const first = await invoke('slow-init');
  assert.equal(first.error, undefined, JSON.stringify(first.body));
  // The handler's deadline is the function timeout counted from the re-run's start.
  assert.ok(first.body > 1500 && first.body <= 2500, `${first.body} ms left of 4 s after 1.5 s of init`);
  assert.ok(first.ms >= 2400, `answered after ${first.ms} ms: 1 s of init, then 1.5 s of init again`);
  const lines = plain(first.log);
  const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  assert.match(lines[0], /^INIT_START Runtime Version: nodejs:20\.\S+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  assert.equal(lines[1], 'init begins');
  assert.match(lines[2], /^INIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: init\tStatus: timeout$/);
  // The re-run's output comes next; AWS writes no second INIT_START, and no INIT_REPORT for a re-run that succeeds.
  assert.equal(lines[3], 'init begins');
  assert.match(lines[4], /^START RequestId: \S+ Version: \$LATEST$/);
  assert.equal(lines.filter((l) => l.startsWith('INIT_')).length, 2, first.log);
  assert.ok(at('END RequestId:') > at('START'), first.log);
  // The Duration includes the re-run (the Invoke phase began with it); there is no Init Duration.
  const report = lines.at(-1)!;
  assert.match(report, /^REPORT RequestId: \S+\tDuration: (1[5-9]|[23]\d)\d\d\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB$/);

  // The environment is reused like any other.
  const second = await invoke('slow-init');
  assert.equal(second.error, undefined);
  assert.ok(second.body > 3500, `${second.body} ms left of 4 s`);
  assert.ok(second.ms < 1000, `warm invocation took ${second.ms} ms`);
  assert.ok(!second.log.includes('INIT_'), second.log);
});

test('an init that never finishes fails at the function timeout with Sandbox.Timedout', async () => {
  await createNodeFunction(env.lambda, 'endless-init', slowInit(60_000), { Timeout: 2 });
  const r = await invoke('endless-init');
  assert.equal(r.error, 'Unhandled');
  assert.equal(r.body.errorType, 'Sandbox.Timedout');
  assert.match(r.body.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 2\.0\d seconds$/);
  assert.ok(r.ms >= 2900 && r.ms < 6000, `answered after ${r.ms} ms: 1 s of init, then the 2 s timeout`);
  const lines = plain(r.log);
  const id = /^RequestId: (\S+) /.exec(r.body.errorMessage)![1];
  assert.match(lines[0], /^INIT_START /);
  assert.equal(lines[1], 'init begins');
  assert.match(lines[2], /^INIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: init\tStatus: timeout$/);
  assert.equal(lines[3], 'init begins');
  assert.match(lines[4], /^INIT_REPORT Init Duration: 20\d\d\.\d\d ms\tPhase: invoke\tStatus: timeout$/);
  assert.equal(lines[5], `START RequestId: ${id} Version: $LATEST`);
  assert.match(lines[6], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z ${id} Task timed out after 2\\.0\\d seconds$`));
  assert.equal(lines[7], `END RequestId: ${id}`);
  assert.match(lines[8], new RegExp(`^REPORT RequestId: ${id}\\tDuration: 20\\d\\d\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tStatus: timeout$`));
  assert.equal(lines.length, 9, r.log);
});

test('an init that throws the first time only: the re-run succeeds, and the first invocation gets the handler\'s answer', async () => {
  const code = `const attempt = Number(await (await fetch(process.env.COUNTER_URL)).text());
if (attempt === 1) throw new Error('first init fails');
export const handler = async () => 'second init worked';`;
  await createNodeFunction(env.lambda, 'flaky-init', await makeZip({ 'index.mjs': code }), {
    Environment: { Variables: { COUNTER_URL: `${await counterUrl}/flaky-init` } },
  });
  const r = await invoke('flaky-init');
  assert.deepEqual([r.error, r.body], [undefined, 'second init worked']);
  const lines = plain(r.log);
  assert.match(lines[0], /^INIT_START /);
  const failed = lines.findIndex((l) => l.startsWith('INIT_REPORT'));
  assert.match(lines[failed], /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: \S+$/);
  assert.ok(lines.slice(1, failed).some((l) => l.includes('first init fails')), r.log);
  assert.match(lines[failed + 1], /^START RequestId: /);
  assert.equal(lines.filter((l) => l.startsWith('INIT_')).length, 2, r.log);
  assert.doesNotMatch(lines.at(-1)!, /Init Duration|Status:/);
});

test('a Python module that raises the first time only: the re-run imports it and the handler answers', async () => {
  const code = `import os, urllib.request
if urllib.request.urlopen(os.environ['COUNTER_URL']).read() == b'1':
    raise RuntimeError('first init fails')

def lambda_handler(event, context):
    return 'second import worked'
`;
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'flaky-python', Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler', Role: testFunctionRole,
    Environment: { Variables: { COUNTER_URL: `${await counterUrl}/flaky-python` } },
    Code: { ZipFile: await makeZip({ 'lambda_function.py': code }) },
  }));
  const r = await invoke('flaky-python');
  assert.deepEqual([r.error, r.body], [undefined, 'second import worked']);
  const lines = r.log.trimEnd().split('\n');
  assert.match(lines[0], /^INIT_START Runtime Version: python:3\.12\./);
  assert.ok(lines.some((l) => l.includes('first init fails')), r.log);
  assert.equal(lines.filter((l) => /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: \S+$/.test(l)).length, 1, r.log);
  assert.equal(lines.filter((l) => l.startsWith('INIT_')).length, 2, r.log);
  assert.doesNotMatch(lines.at(-1)!, /Init Duration|Status:/);
});

test('an init that always fails is reported for both phases; the error is the second one\'s', async () => {
  await createNodeFunction(env.lambda, 'broken-init', `console.log('loading'); throw new TypeError('cannot start');`);
  const r = await invoke('broken-init');
  assert.equal(r.error, 'Unhandled');
  assert.equal(r.body.errorMessage, 'cannot start');
  const lines = plain(r.log);
  const reports = lines.filter((l) => l.startsWith('INIT_REPORT'));
  assert.equal(reports.length, 2, r.log);
  assert.match(reports[0], new RegExp(`^INIT_REPORT Init Duration: \\d+\\.\\d\\d ms\\tPhase: init\\tStatus: error\\tError Type: ${r.body.errorType}$`));
  assert.match(reports[1], new RegExp(`^INIT_REPORT Init Duration: \\d+\\.\\d\\d ms\\tPhase: invoke\\tStatus: error\\tError Type: ${r.body.errorType}$`));
  assert.equal(lines.filter((l) => l === 'loading').length, 2, r.log);
  const start = lines.findIndex((l) => l.startsWith('START'));
  assert.ok(start > lines.indexOf(reports[1]), r.log);
  // The runtime reported the error itself: nothing of the platform's between START and END.
  assert.match(lines[start + 1], /^END RequestId: /);
  assert.match(lines.at(-1)!, new RegExp(`\\tStatus: error\\tError Type: ${r.body.errorType}$`));
  assert.doesNotMatch(lines.at(-1)!, /Init Duration/);
});

test('a custom runtime without a bootstrap: Runtime.InvalidEntrypoint in both phases, the reason after START', async () => {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'no-bootstrap', Runtime: 'provided.al2023', Handler: 'none', Role: testFunctionRole,
    Code: { ZipFile: await makeZip({ 'README': 'no bootstrap here' }) },
  }));
  const r = await invoke('no-bootstrap');
  assert.equal(r.error, 'Unhandled');
  assert.equal(r.body.errorType, 'Runtime.InvalidEntrypoint');
  const lines = plain(r.log);
  assert.match(lines[0], /^INIT_START Runtime Version: provided:al2023\.\S+/);
  assert.match(lines[1], /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime.InvalidEntrypoint$/);
  assert.match(lines[2], /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: invoke\tStatus: error\tError Type: Runtime.InvalidEntrypoint$/);
  assert.match(lines[3], /^START RequestId: /);
  assert.equal(lines[4], r.body.errorMessage);
  assert.equal(lines[5], 'Runtime.InvalidEntrypoint');
  assert.match(lines[6], /^END RequestId: /);
  assert.match(lines[7], /\tStatus: error\tError Type: Runtime.InvalidEntrypoint$/);
});

/** An extension that subscribes to the Telemetry API's platform events and appends each batch to /tmp/telemetry.jsonl. */
const TELEMETRY_EXTENSION = `#!/usr/bin/env node
const http = require('http'), fs = require('fs');
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API;
const port = Number(process.env.TELEMETRY_PORT);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { fs.appendFileSync('/tmp/telemetry.jsonl', Buffer.concat(chunks).toString() + '\\n'); res.end(); });
});
server.listen(port, 'sandbox.localdomain', async () => {
  const r = await fetch(base + '/2020-01-01/extension/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'telemetry-ext' }, body: JSON.stringify({ events: ['INVOKE'] }) });
  const id = r.headers.get('lambda-extension-identifier');
  await fetch(base + '/2022-07-01/telemetry', { method: 'PUT', headers: { 'Lambda-Extension-Identifier': id }, body: JSON.stringify({ schemaVersion: '2022-12-13', destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:' + port + '/' }, types: ['platform'], buffering: { timeoutMs: 25 } }) });
  for (;;) await (await fetch(base + '/2020-01-01/extension/event/next', { headers: { 'Lambda-Extension-Identifier': id } })).json();
});
`;

test('the Telemetry API reports the re-run init with phase "invoke", and the invocation\'s report has no initDurationMs', async () => {
  const zip = await makeZip([{ name: 'extensions/telemetry-ext', content: TELEMETRY_EXTENSION, mode: 0o100755 }]);
  const layer = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'telemetry', Content: { ZipFile: zip } }))).LayerVersionArn!;
  await createNodeFunction(env.lambda, 'slow-init-telemetry', slowInit(1500).replace("'ready'", "require('fs').readFileSync('/tmp/telemetry.jsonl', 'utf8').trim().split('\\n').flatMap(JSON.parse)"), {
    Timeout: 4, MemorySize: 256, Layers: [layer], Environment: { Variables: { TELEMETRY_PORT: String(await freePort()) } },
  });
  const first = await invoke('slow-init-telemetry');
  assert.equal(first.error, undefined, JSON.stringify(first.body));
  await new Promise((r) => setTimeout(r, 300)); // the report goes out after the answer, within timeoutMs (25 ms)
  const seen = (await invoke('slow-init-telemetry')).body as { type: string; record: any }[];
  const invokePhase = seen.filter((e) => e.type.startsWith('platform.init') && e.record.phase === 'invoke');
  assert.deepEqual(invokePhase.map((e) => e.type), ['platform.initStart', 'platform.initRuntimeDone', 'platform.initReport'], JSON.stringify(seen));
  assert.equal(invokePhase[0].record.initializationType, 'on-demand');
  assert.equal(invokePhase[1].record.status, 'success');
  assert.ok(invokePhase[2].record.metrics.durationMs >= 1500, JSON.stringify(invokePhase[2]));
  const report = seen.find((e) => e.type === 'platform.report')!.record;
  assert.equal(report.status, 'success');
  assert.equal(report.metrics.initDurationMs, undefined, JSON.stringify(report));
  assert.ok(report.metrics.durationMs >= 1500, JSON.stringify(report));
});
