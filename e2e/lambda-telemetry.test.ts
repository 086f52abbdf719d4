// The Telemetry API end to end: a layer ships extensions/telemetry-ext, which listens on
// sandbox.localdomain:<port>, registers, subscribes to platform and function telemetry, and writes
// every event it is sent to /tmp; the function returns what the extension got (platform events,
// the function's lines, the extension's own lines). Also: the
// subscription answers (200 OK, 400 ValidationError, the Logs API's 202).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, type Runtime } from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { freePort } from '../src/testing/ports.js';
import { testFunctionRole } from '../src/testing/functions.js';

const env = useServer();
let layerArn = '';

/** An extension with a Telemetry API listener; what it is answered and sent goes to /tmp/telemetry.jsonl. */
const TELEMETRY_EXTENSION = `#!/usr/bin/env node
const http = require('http'), fs = require('fs'), path = require('path');
const out = path.join(require('os').tmpdir(), 'telemetry.jsonl');
const write = (o) => fs.appendFileSync(out, JSON.stringify(o) + '\\n');
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API;
const port = Number(process.env.TELEMETRY_PORT);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    write({ batch: JSON.parse(Buffer.concat(chunks).toString()) });
    res.end();
  });
});
const put = async (p, id, body) => {
  const r = await fetch(base + p, { method: 'PUT', headers: { 'Lambda-Extension-Identifier': id, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.text() };
};
server.listen(port, 'sandbox.localdomain', async () => {
  const r = await fetch(base + '/2020-01-01/extension/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'telemetry-ext' }, body: JSON.stringify({ events: ['INVOKE'] }) });
  const id = r.headers.get('lambda-extension-identifier');
  const destination = { protocol: 'HTTP', URI: 'http://sandbox.localdomain:' + port + '/telemetry' };
  write({ invalid: await put('/2022-07-01/telemetry', id, { schemaVersion: '2022-12-13', destination, types: ['platform'], buffering: { maxItems: 5 } }) });
  write({ logs: await put('/2020-08-15/logs', id, { schemaVersion: '2021-03-18', destination, types: ['platform'] }) });
  write({ subscribed: await put('/2022-07-01/telemetry', id, { schemaVersion: '2022-12-13', destination, types: ['platform', 'function', 'extension'], buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 } }) });
  for (;;) {
    const ev = await (await fetch(base + '/2020-01-01/extension/event/next', { headers: { 'Lambda-Extension-Identifier': id } })).json();
    write({ event: ev.eventType });
    console.log('[telemetry-ext] ' + ev.eventType + ' ' + ev.requestId);
  }
});
`;

const HANDLER = `
const fs = require('fs'), os = require('os');
exports.handler = async (event, context) => {
  console.log('hello from ' + context.awsRequestId);
  return fs.readFileSync(os.tmpdir() + '/telemetry.jsonl', 'utf8').trim().split('\\n').map(JSON.parse);
};`;

env.setup(async () => {
  const zip = await makeZip([{ name: 'extensions/telemetry-ext', content: TELEMETRY_EXTENSION, mode: 0o100755 }]);
  layerArn = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'telemetry', Content: { ZipFile: zip } }))).LayerVersionArn!;
});

type Seen = { invalid?: { status: number; body: string }; logs?: { status: number; body: string }; subscribed?: { status: number; body: string }; batch?: { time: string; type: string; record: any }[] };

/** Creates the function with the telemetry layer, invokes it twice: the first request id, and what the extension had seen by the second. */
async function seenAfterOne(name: string, input: { Runtime: Runtime; Handler: string; MemorySize?: number }, files: Record<string, string>): Promise<{ firstId: string; seen: Seen[] }> {
  await env.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: testFunctionRole,
      Layers: [layerArn],
      Environment: { Variables: { TELEMETRY_PORT: String(await freePort()) } },
      Code: { ZipFile: await makeZip(files) },
      ...input,
    }),
  );
  const first = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  assert.equal(first.FunctionError, undefined, Buffer.from(first.Payload!).toString());
  await new Promise((r) => setTimeout(r, 300)); // the report goes out after the answer, within timeoutMs (25 ms)
  const second = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  assert.equal(second.FunctionError, undefined, Buffer.from(second.Payload!).toString());
  return { firstId: first.$metadata.requestId!, seen: JSON.parse(Buffer.from(second.Payload!).toString()) as Seen[] };
}

test('an extension subscribed to the Telemetry API gets init, start, runtimeDone, report and the function lines', async () => {
  const { firstId, seen } = await seenAfterOne('telemetry-node', { Runtime: 'nodejs20.x', Handler: 'index.handler', MemorySize: 256 }, { 'index.js': HANDLER });

  assert.equal(seen.find((s) => s.invalid)?.invalid?.status, 400);
  assert.match(seen.find((s) => s.invalid)!.invalid!.body, /"errorType":"ValidationError"/);
  assert.equal(seen.find((s) => s.logs)?.logs?.status, 202);
  assert.deepEqual(seen.find((s) => s.subscribed)?.subscribed, { status: 200, body: 'OK' });

  const events = seen.flatMap((s) => s.batch ?? []);
  const types = events.map((e) => e.type);
  for (const t of ['platform.initStart', 'platform.telemetrySubscription', 'platform.initRuntimeDone', 'platform.extension', 'platform.initReport']) assert.ok(types.includes(t), `${t} in ${types}`);
  assert.deepEqual(events.find((e) => e.type === 'platform.initStart')!.record.functionName, 'telemetry-node');
  assert.deepEqual(events.find((e) => e.type === 'platform.extension')!.record, { name: 'telemetry-ext', state: 'Ready', events: ['INVOKE'] });
  const forFirst = events.filter((e) => e.record?.requestId === firstId);
  assert.deepEqual(forFirst.map((e) => e.type), ['platform.start', 'platform.runtimeDone', 'platform.report']);
  assert.equal(forFirst[0].record.version, '$LATEST');
  assert.equal(forFirst[1].record.status, 'success');
  assert.ok(forFirst[1].record.metrics.producedBytes > 0);
  const report = forFirst[2].record;
  assert.equal(report.status, 'success');
  assert.equal(report.metrics.memorySizeMB, 256);
  assert.ok(report.metrics.durationMs >= 0 && report.metrics.billedDurationMs >= 1 && report.metrics.maxMemoryUsedMB > 0);
  assert.ok(report.metrics.initDurationMs > 0, JSON.stringify(report));
  const lines = events.filter((e) => e.type === 'function').map((e) => e.record as string);
  // Each record is the line as CloudWatch Logs stores it, newline and all.
  assert.ok(lines.some((l) => l.endsWith(`hello from ${firstId}\n`)), JSON.stringify(lines));
  // The extension's own output: `extension` events, not `function` ones.
  const extensionLines = events.filter((e) => e.type === 'extension').map((e) => e.record as string);
  assert.ok(extensionLines.includes(`[telemetry-ext] INVOKE ${firstId}\n`), JSON.stringify(extensionLines));
  assert.ok(!lines.some((l) => l.includes('[telemetry-ext]')), JSON.stringify(lines));
  for (const e of events) assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('a Python function: its print() lines and its report reach the subscribed extension', async () => {
  const handler = 'import json, tempfile\n\ndef lambda_handler(event, context):\n    print("hello from " + context.aws_request_id)\n    with open(tempfile.gettempdir() + "/telemetry.jsonl") as f:\n        return [json.loads(l) for l in f]\n';
  const { firstId, seen } = await seenAfterOne('telemetry-python', { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' }, { 'lambda_function.py': handler });
  const events = seen.flatMap((s) => s.batch ?? []);
  assert.ok(events.some((e) => e.type === 'function' && e.record === `hello from ${firstId}\n`), JSON.stringify(events));
  assert.equal(events.find((e) => e.type === 'platform.report' && e.record.requestId === firstId)?.record.status, 'success');
});
