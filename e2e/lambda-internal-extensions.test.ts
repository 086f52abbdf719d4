// Internal extensions end to end: code in the runtime process registers with the Extensions API
// during init (Node.js: a layer's /opt/internal.js loaded with NODE_OPTIONS=--require; Python: the
// handler module's own init, with a thread), gets each INVOKE with the invocation's request id,
// holds the Invoke phase open while it works after the response (REPORT Duration), subscribes to
// the Telemetry API with a listener in the runtime process, may not register for SHUTDOWN nor after
// init, and gives the runtime a 500 ms Shutdown phase (SIGTERM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand, PublishLayerVersionCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { EXTENSION } from '../src/runtime/testing.js';

const env = useServer();
let layerArn = '';
let externalLayerArn = '';

/**
 * Loaded before the runtime (NODE_OPTIONS=--require /opt/internal.js): tries SHUTDOWN (refused),
 * registers "internal-ext" for INVOKE, then records every event in globalThis.internalExtension.seen.
 * With POST_MS, it works that long after each INVOKE (then prints `[internal-ext] done <id>`).
 */
const INTERNAL = `
// NODE_OPTIONS reaches external extensions written in Node.js too: only the runtime registers this one.
if (!/\\/extensions\\//.test(process.argv[1] || '')) {
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2020-01-01/extension';
const seen = [];
const telemetry = [];
const register = (name, events) => fetch(base + '/register', { method: 'POST', headers: { 'Lambda-Extension-Name': name }, body: JSON.stringify({ events }) });
const ready = (async () => {
  const refused = await register('internal-ext', ['INVOKE', 'SHUTDOWN']);
  const shutdown = { status: refused.status, body: await refused.json() };
  const r = await register('internal-ext', ['INVOKE']);
  const id = r.headers.get('lambda-extension-identifier');
  const registered = { status: r.status, body: await r.json() };
  if (process.env.TELEMETRY) {
    // A listener in the runtime process itself, subscribed to the platform events.
    const http = require('http');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { telemetry.push(...JSON.parse(body)); res.end(); });
    });
    await new Promise((res) => server.listen(0, '127.0.0.1', res));
    server.unref();
    const destination = { protocol: 'HTTP', URI: 'http://127.0.0.1:' + server.address().port + '/' };
    await fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2022-07-01/telemetry', { method: 'PUT', headers: { 'Lambda-Extension-Identifier': id },
      body: JSON.stringify({ schemaVersion: '2022-12-13', destination, types: ['platform'], buffering: { timeoutMs: 25 } }) });
  }
  (async () => {
    for (;;) {
      const ev = await (await fetch(base + '/event/next', { headers: { 'Lambda-Extension-Identifier': id } })).json();
      seen.push(ev);
      if (process.env.POST_MS) {
        await new Promise((res) => setTimeout(res, Number(process.env.POST_MS)));
        console.log('[internal-ext] done ' + ev.requestId);
      }
    }
  })();
  return { shutdown, registered };
})();
globalThis.internalExtension = { seen, telemetry, ready };
}
`;

/** Waits for the registration (top-level await: before the runtime asks for its first invocation), answers with what the extension saw. */
const HANDLER = `
const { shutdown, registered } = await globalThis.internalExtension.ready;
// At shutdown: exit at once, or (HOLD) say every 50 ms that it still lives, until it is killed.
process.on('SIGTERM', () => {
  const at = Date.now();
  console.log('[runtime] SIGTERM at ' + at);
  if (!process.env.HOLD) process.exit(0);
  setInterval(() => console.log('[runtime] alive ' + (Date.now() - at)), 50);
});
export const handler = async (event) => {
  let late;
  if (event.late) {
    const r = await fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2020-01-01/extension/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'late' }, body: '{"events":["INVOKE"]}' });
    late = { status: r.status, body: await r.json() };
  }
  const { seen, telemetry } = globalThis.internalExtension;
  return { shutdown, registered, seen, late, telemetry: telemetry.map((e) => e.type === 'platform.extension' ? e.type + ' ' + e.record.name + ' ' + e.record.events : e.type) };
};
`;

env.setup(async () => {
  const zip = await makeZip([{ name: 'internal.js', content: INTERNAL }]);
  layerArn = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'internal-extension', Content: { ZipFile: zip } }))).LayerVersionArn!;
  const external = await makeZip([{ name: 'extensions/my-ext', content: EXTENSION, mode: 0o100755 }]);
  externalLayerArn = (await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'external-extension', Content: { ZipFile: external } }))).LayerVersionArn!;
});

async function create(name: string, input: Partial<CreateFunctionCommandInput>, files: Record<string, string>): Promise<void> {
  await env.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: testFunctionRole, MemorySize: 256, Code: { ZipFile: await makeZip(files) }, ...input } as CreateFunctionCommandInput));
}

async function createNode(name: string, variables: Record<string, string> = {}, layers = [layerArn]): Promise<void> {
  await create(name, { Runtime: 'nodejs20.x', Handler: 'index.handler', Layers: layers, Environment: { Variables: { NODE_OPTIONS: '--require /opt/internal.js', ...variables } } }, { 'index.mjs': HANDLER });
}

async function invoke(name: string, event: unknown = {}): Promise<{ requestId: string; payload: any; error: string | undefined }> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  return { requestId: out.$metadata.requestId!, payload: JSON.parse(Buffer.from(out.Payload!).toString()), error: out.FunctionError };
}

/** The function's log messages, once one starts with `until` (or after ~4 s). */
async function logUntil(name: string, until: (m: string) => boolean): Promise<string[]> {
  let messages: string[] = [];
  for (let i = 0; i < 40 && !messages.some(until); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}` })).catch(() => ({ events: [] }));
    messages = (out.events ?? []).map((e) => e.message ?? '');
  }
  return messages;
}

test('a Node.js internal extension (NODE_OPTIONS=--require from a layer) registers for INVOKE and gets each invocation; SHUTDOWN and late registrations are refused', async () => {
  await createNode('int-node');
  const first = await invoke('int-node');
  assert.equal(first.error, undefined, JSON.stringify(first.payload));
  assert.deepEqual(first.payload.registered, { status: 200, body: { functionName: 'int-node', functionVersion: '$LATEST', handler: 'index.handler' } });
  assert.deepEqual(first.payload.shutdown, { status: 403, body: { errorMessage: 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension', errorType: 'Extension.InvalidEventType' } });

  // The environment is free again only once the extension has polled after its INVOKE, as on AWS
  // (an invocation arriving before that would start another environment): give it that moment.
  await new Promise((r) => setTimeout(r, 100));
  const second = await invoke('int-node', { late: true });
  assert.deepEqual(second.payload.late, { status: 403, body: { errorMessage: 'Extension registration closed already', errorType: 'Extension.RegistrationClosed' } });
  await new Promise((r) => setTimeout(r, 100));
  const third = await invoke('int-node');
  const seen = third.payload.seen as { eventType: string; requestId: string; invokedFunctionArn: string }[];
  assert.deepEqual(seen.slice(0, 2).map((e) => [e.eventType, e.requestId]), [['INVOKE', first.requestId], ['INVOKE', second.requestId]]);
  assert.match(seen[0].invokedFunctionArn, /:function:int-node$/);

  const messages = await logUntil('int-node', (m) => m.startsWith('EXTENSION'));
  assert.ok(messages.some((m) => m.startsWith('EXTENSION\tName: internal-ext\tState: Ready\tEvents: [INVOKE]')), messages.join(''));
});

test('an internal extension working 300 ms after the response: its line comes before END, REPORT Duration includes its time', async () => {
  await createNode('int-post', { POST_MS: '300' });
  await invoke('int-post'); // init out of the way
  await new Promise((r) => setTimeout(r, 400));
  const started = Date.now();
  const r = await invoke('int-post');
  assert.equal(r.error, undefined, JSON.stringify(r.payload));
  assert.ok(Date.now() - started < 300, 'the response does not wait for the extension');
  const messages = await logUntil('int-post', (m) => m.startsWith(`REPORT RequestId: ${r.requestId}`));
  // The extension's console.log is the runtime's: the line has the Node.js runtime's timestamp and request id first.
  const at = (text: string): number => messages.findIndex((m) => m.includes(text));
  assert.ok(at(`[internal-ext] done ${r.requestId}`) >= 0 && at(`[internal-ext] done ${r.requestId}`) < at(`END RequestId: ${r.requestId}`), messages.join(''));
  const report = messages[at(`REPORT RequestId: ${r.requestId}`)]!;
  assert.ok(Number(/\tDuration: ([\d.]+) ms/.exec(report)![1]) >= 300, report);
});

test('an internal extension subscribes to the Telemetry API from the runtime process: platform.initStart, its platform.extension, platform.start', async () => {
  await createNode('int-telemetry', { TELEMETRY: '1' });
  assert.equal((await invoke('int-telemetry')).error, undefined);
  // Batches go out within timeoutMs (25 ms), once the environment's relay has started (in its own
  // network namespace; ~50 ms, more on a busy machine): ask until they are in.
  let types: string[] = [];
  for (let i = 0; i < 30 && !types.includes('platform.start'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    types = (await invoke('int-telemetry')).payload.telemetry as string[];
  }
  for (const t of ['platform.initStart', 'platform.telemetrySubscription', 'platform.initRuntimeDone', 'platform.extension internal-ext INVOKE', 'platform.initReport', 'platform.start']) {
    assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
  }
  assert.ok(types.indexOf('platform.initStart') < types.indexOf('platform.extension internal-ext INVOKE'), types.join(', '));
});

test('with an internal extension, the runtime gets SIGTERM at shutdown (AWS: a 500 ms Shutdown phase)', async () => {
  await createNode('int-sigterm');
  assert.equal((await invoke('int-sigterm')).error, undefined);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'int-sigterm' }));
  const messages = await logUntil('int-sigterm', (m) => m.includes('[runtime] SIGTERM'));
  assert.ok(messages.some((m) => m.includes('[runtime] SIGTERM')), messages.join(''));

  // A runtime that does not exit is killed 500 ms after its SIGTERM.
  await createNode('int-hold', { HOLD: '1' });
  assert.equal((await invoke('int-hold')).error, undefined);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'int-hold' }));
  await new Promise((r) => setTimeout(r, 1000));
  const held = await logUntil('int-hold', (m) => m.includes('[runtime] alive'));
  const alive = held.flatMap((m) => /\[runtime\] alive (\d+)/.exec(m)?.[1] ?? []).map(Number);
  assert.ok(alive.length > 0 && Math.max(...alive) >= 350 && Math.max(...alive) < 650, `lived ${alive.join(', ')} ms after SIGTERM`);
});

test('internal and external extensions together: both get INVOKE; at shutdown the runtime has 500 ms, the external extension SHUTDOWN with the 2 s deadline', async () => {
  await createNode('int-mixed', { HOLD: '1' }, [externalLayerArn, layerArn]);
  const first = await invoke('int-mixed');
  assert.equal(first.error, undefined, JSON.stringify(first.payload));
  assert.equal(first.payload.registered.status, 200);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await invoke('int-mixed')).payload.seen[0].requestId, first.requestId);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'int-mixed' }));
  const messages = await logUntil('int-mixed', (m) => m.includes('[my-ext] SHUTDOWN'));
  assert.ok(messages.some((m) => m.startsWith('EXTENSION\tName: my-ext\tState: Ready\tEvents: [INVOKE,SHUTDOWN]')), messages.join(''));
  assert.ok(messages.some((m) => m.startsWith('EXTENSION\tName: internal-ext\tState: Ready\tEvents: [INVOKE]')), messages.join(''));
  assert.ok(messages.some((m) => m.includes(`[my-ext] INVOKE ${first.requestId}`)), messages.join(''));
  const alive = messages.flatMap((m) => /\[runtime\] alive (\d+)/.exec(m)?.[1] ?? []).map(Number);
  assert.ok(alive.length > 0 && Math.max(...alive) >= 350 && Math.max(...alive) < 650, `the runtime lived ${alive.join(', ')} ms after SIGTERM`);
  const sigterm = Number(/\[runtime\] SIGTERM at (\d+)/.exec(messages.find((m) => m.includes('[runtime] SIGTERM at')) ?? '')?.[1]);
  const [, received, deadline] = (/\[my-ext\] SHUTDOWN spindown at (\d+) deadline (\d+)/.exec(messages.find((m) => m.includes('[my-ext] SHUTDOWN')) ?? '') ?? []).map(Number);
  assert.ok(received - sigterm >= 450, `SHUTDOWN came after the runtime's 500 ms: ${received - sigterm} ms after its SIGTERM`);
  assert.ok(Math.abs(deadline - (sigterm + 2000)) < 100, `deadlineMs ends the 2,000 ms phase: ${deadline - sigterm} ms after the SIGTERM`);
});

test('a Python internal extension: the handler module registers during init and polls in a thread', async () => {
  const code = `import json, os, threading, urllib.request

BASE = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2020-01-01/extension"
seen = []

def _request(path, headers, body=None):
    req = urllib.request.Request(BASE + path, data=body, headers=headers, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(req) as r:
        return r.headers, json.loads(r.read())

headers, registered = _request("/register", {"Lambda-Extension-Name": "py-internal"}, json.dumps({"events": ["INVOKE"]}).encode())
ext_id = headers["Lambda-Extension-Identifier"]

def _poll():
    while True:
        seen.append(_request("/event/next", {"Lambda-Extension-Identifier": ext_id})[1])

threading.Thread(target=_poll, daemon=True).start()

def lambda_handler(event, context):
    return {"registered": registered, "seen": seen}
`;
  await create('int-python', { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' }, { 'lambda_function.py': code });
  const first = await invoke('int-python');
  assert.equal(first.error, undefined, JSON.stringify(first.payload));
  assert.deepEqual(first.payload.registered, { functionName: 'int-python', functionVersion: '$LATEST', handler: 'lambda_function.lambda_handler' });
  await new Promise((r) => setTimeout(r, 200));
  const second = await invoke('int-python');
  assert.equal(second.payload.seen[0].requestId, first.requestId, JSON.stringify(second.payload));
});
