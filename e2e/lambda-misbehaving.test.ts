// Functions that break their own runtime, through the Lambda API with the SDK: the caller gets an
// AWS-shaped answer by the function's timeout at the latest, and the next invocation works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

const invoke = async (name: string, payload: object = {}) => {
  const started = Date.now();
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  return { ms: Date.now() - started, error: res.FunctionError, body: JSON.parse(Buffer.from(res.Payload ?? []).toString('utf8')) };
};

/** A custom runtime that answers "hi", then sleeps for good ("hang") or exits after half a second ("quit") without asking for more. */
const CUSTOM_BOOTSTRAP = `#!/bin/sh
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  ID=$(curl -s -D - -o /tmp/event "$API/invocation/next" | tr -d '\\r' | sed -n 's/^[Ll]ambda-[Rr]untime-[Aa]ws-[Rr]equest-[Ii]d: //p')
  curl -s -X POST -d '"hi"' "$API/invocation/$ID/response" >/dev/null
  if grep -q hang /tmp/event; then sleep 300; fi
  if grep -q quit /tmp/event; then sleep 0.5; exit 0; fi
done
`;

test('a runtime that exits after answering does not take the next invocation down with it', async () => {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'quitter', Runtime: 'provided.al2023', Handler: 'none', Role: testFunctionRole, Timeout: 3,
    Code: { ZipFile: await makeZip([{ name: 'bootstrap', content: CUSTOM_BOOTSTRAP, mode: 0o755 }]) },
  }));
  assert.deepEqual(await invoke('quitter', { k: 'quit' }).then((r) => [r.error, r.body]), [undefined, 'hi']);
  // Sent while the runtime is still alive but will never ask for it: it runs in a new environment.
  assert.deepEqual(await invoke('quitter').then((r) => [r.error, r.body]), [undefined, 'hi']);
});

test('a runtime that never asks for the next invocation times out at the function timeout', async () => {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'hanger', Runtime: 'provided.al2023', Handler: 'none', Role: testFunctionRole, Timeout: 1,
    Code: { ZipFile: await makeZip([{ name: 'bootstrap', content: CUSTOM_BOOTSTRAP, mode: 0o755 }]) },
  }));
  assert.equal((await invoke('hanger', { k: 'hang' })).body, 'hi');
  const stuck = await invoke('hanger');
  assert.equal(stuck.error, 'Unhandled');
  assert.equal(stuck.body.errorType, 'Sandbox.Timedout');
  assert.match(stuck.body.errorMessage, /^RequestId: \S+ Error: Task timed out after 1\.\d\d seconds$/);
  assert.ok(stuck.ms < 5000, `answered after ${stuck.ms} ms`);
  assert.equal((await invoke('hanger')).body, 'hi', 'a new environment took over');
});

test('an uncaught exception or unhandled rejection fails its own invocation only', async () => {
  await createNodeFunction(env.lambda, 'crasher', `exports.handler = async (e) => {
    if (e.k === 'uncaught') setTimeout(() => { throw 'late'; }, 0);
    if (e.k === 'rejection') Promise.reject(Symbol('z'));
    // Still running when the process-level handler reports and exits.
    await new Promise((r) => setTimeout(r, 50));
    return 'fine';
  };`);
  const uncaught = await invoke('crasher', { k: 'uncaught' });
  assert.deepEqual([uncaught.error, uncaught.body], ['Unhandled', { errorType: 'string', errorMessage: 'late', trace: [] }]);
  assert.deepEqual(await invoke('crasher').then((r) => [r.error, r.body]), [undefined, 'fine']);
  const rejection = await invoke('crasher', { k: 'rejection' });
  assert.equal(rejection.body.errorType, 'Runtime.UnhandledPromiseRejection');
  assert.equal(rejection.body.errorMessage, 'Symbol(z)');
  assert.deepEqual(await invoke('crasher').then((r) => [r.error, r.body]), [undefined, 'fine']);
});

test('thrown values that are not errors are reported as the Node.js runtime reports them', async () => {
  await createNodeFunction(env.lambda, 'odd-throws', `exports.handler = async (e) => {
    switch (e.k) {
      case 'null': throw null;
      case 'symbol': throw Symbol('s');
      case 'circular': { const o = { a: 1 }; o.self = o; throw o; }
      case 'proxy': throw new Proxy({}, { get() { throw new Error('trap'); } });
    }
  };`);
  const handled = 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';
  const cases: [string, object][] = [
    ['null', { errorType: 'string', errorMessage: 'handled', trace: [] }],
    ['symbol', { errorType: 'symbol', errorMessage: 'Symbol(s)', trace: [] }],
    ['circular', { errorType: 'object', errorMessage: '[object Object]', trace: [] }],
    ['proxy', { errorType: 'handled', errorMessage: handled, trace: [] }],
  ];
  for (const [k, expected] of cases) {
    const res = await invoke('odd-throws', { k });
    assert.deepEqual([res.error, res.body], ['Unhandled', expected], k);
  }
});

test('a function that closes the runtime\'s channel fails at once, not at its timeout', async () => {
  await createNodeFunction(env.lambda, 'fd-closer', `const fs = require('fs');
    exports.handler = async (e) => {
      if (e.close) { fs.closeSync(e.close); await new Promise((r) => setTimeout(r, 1000)); }
      if (e.garbage) fs.writeSync(3, 'garbage\\n');
      return 'ok';
    };`, { Timeout: 10 });
  assert.equal((await invoke('fd-closer', { garbage: true })).body, 'ok', 'what it writes to fd 3 is dropped');
  const broken = await invoke('fd-closer', { close: 3 });
  assert.equal(broken.error, 'Unhandled');
  assert.equal(broken.body.errorType, 'Runtime.ExitError');
  assert.ok(broken.ms < 1000, `answered after ${broken.ms} ms`);
  const next = await invoke('fd-closer');
  assert.deepEqual([next.error, next.body], [undefined, 'ok']);
  assert.ok(next.ms < 3000);
});

test('a Python function cannot write outside /tmp, signal the server or break more than its own environment', async () => {
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'py-misbehaves', Runtime: 'python3.12', Handler: 'index.handler', Role: testFunctionRole, Timeout: 10,
    Code: { ZipFile: await makeZip({ 'index.py': `import os, errno
def attempt(f):
    try:
        f()
        return 'done'
    except OSError as e:
        return errno.errorcode[e.errno]
def write(path):
    with open(path, 'w') as f:
        f.write('x')
def handler(event, context):
    if event.get('close'):
        os.close(event['close'])
        return 'closed'
    return [attempt(lambda: write('/var/task/x')), attempt(lambda: write('/opt/x')), attempt(lambda: write('/tmp/x')),
            attempt(lambda: os.kill(event['pid'], 9))]
` }) },
  }));
  assert.deepEqual((await invoke('py-misbehaves', { pid: env.server.child.pid })).body, ['EROFS', 'EROFS', 'done', 'ESRCH']);
  for (const fd of [3, 4]) {
    const broken = await invoke('py-misbehaves', { close: fd });
    assert.equal(broken.body.errorType, 'Runtime.ExitError', `closing fd ${fd}`);
    assert.ok(broken.ms < 2000, `answered after ${broken.ms} ms`);
    assert.deepEqual((await invoke('py-misbehaves', { pid: env.server.child.pid })).body, ['EROFS', 'EROFS', 'done', 'ESRCH']);
  }
});

test('what a function leaves running between invocations is held to its memory size', async () => {
  await createNodeFunction(env.lambda, 'idle-hog', `const { execSync } = require('child_process');
    let calls = 0;
    exports.handler = async (e) => {
      calls++;
      // Double-forked: re-parented to the sandbox's PID 1, it outlives the invocation and grows while the environment is idle.
      if (e.hog) execSync('(' + process.execPath + ' -e "setTimeout(() => { globalThis.a = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => {}, 60000); }, 200)" >/dev/null 2>&1 &)');
      return calls;
    };`);
  assert.equal((await invoke('idle-hog', { hog: true })).body, 1);
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal((await invoke('idle-hog')).body, 1, 'the environment was stopped while idle; a new one answered');
});
