// The HTTP Runtime API as custom runtimes (provided*) and AWS's runtime clients use it, and our
// Node.js bootstrap over HTTP instead of the private channel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentPool } from './environment-pool.js';
import { TempDirs, json, request, specFor } from './testing.js';

const dirs = new TempDirs();
let pool: EnvironmentPool;

before(async () => {
  pool = new EnvironmentPool({ maxEnvironments: 8, idleMs: 60_000, sandbox: 'auto', workDir: await dirs.make(), privateChannel: false });
  await pool.start();
});

after(async () => {
  await pool.close();
  await dirs.cleanup();
});

/** A custom runtime: a `bootstrap` executable speaking the Runtime API with plain HTTP. */
const CUSTOM_BOOTSTRAP = `#!${process.execPath}
const http = require('http');
const [hostPort, ...prefix] = process.env.AWS_LAMBDA_RUNTIME_API.split('/');
const [host, port] = hostPort.split(':');
const base = (prefix.length ? '/' + prefix.join('/') : '') + '/2018-06-01/runtime';
const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, path: base + path, method, headers }, (res) => {
    const chunks = []; res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
  });
  req.on('error', reject); req.end(body);
});
const id = Math.random().toString(36).slice(2);
(async () => {
  if (process.env.FAIL_INIT) {
    console.log('init failing');
    await call('POST', '/init/error', JSON.stringify({ errorMessage: 'no config', errorType: 'Custom.InitFailed' }), { 'Lambda-Runtime-Function-Error-Type': 'Custom.InitFailed' });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const rid = next.headers['lambda-runtime-aws-request-id'];
    const event = JSON.parse(next.body);
    console.log('handling ' + rid);
    if (event.fail) {
      await call('POST', '/invocation/' + rid + '/error', JSON.stringify({ errorMessage: 'custom failure', errorType: 'Custom.Error', stackTrace: ['at here'] }), { 'Lambda-Runtime-Function-Error-Type': 'Custom.Error' });
    } else if (event.crash) {
      process.exit(2);
    } else {
      const wrong = await call('POST', '/invocation/not-my-request/response', '"x"');
      const r = await call('POST', '/invocation/' + rid + '/response', JSON.stringify({
        id, event, wrongStatus: wrong.status, wrongBody: JSON.parse(wrong.body),
        headers: { deadline: next.headers['lambda-runtime-deadline-ms'], arn: next.headers['lambda-runtime-invoked-function-arn'],
          trace: next.headers['lambda-runtime-trace-id'], cc: next.headers['lambda-runtime-client-context'] },
        execEnv: process.env.AWS_EXECUTION_ENV ?? null, handler: process.env._HANDLER }));
      if (r.status !== 202) throw new Error('response refused: ' + r.status);
    }
  }
})();
`;

describe('HTTP Runtime API with a custom runtime', () => {
  it('serves next/response with the invocation headers, and keeps the environment warm', async () => {
    const spec = specFor(await dirs.code({ bootstrap: CUSTOM_BOOTSTRAP }), { runtime: 'provided.al2023', handler: 'my.handler' });
    const cc = Buffer.from('{"custom":{"a":1}}').toString('base64');
    const before = Date.now();
    const r1 = await pool.invoke(spec, request({ n: 1 }, { requestId: 'custom-1', clientContext: cc }));
    const p1 = json(r1.payload);
    assert.deepEqual(p1.event, { n: 1 });
    assert.equal(p1.wrongStatus, 400);
    assert.deepEqual(p1.wrongBody, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    assert.ok(Number(p1.headers.deadline) >= before + 3000 && Number(p1.headers.deadline) <= Date.now() + 3000);
    assert.equal(p1.headers.arn, 'arn:aws:lambda:us-east-1:000000000000:function:test-fn');
    assert.match(p1.headers.trace, /^Root=1-/);
    assert.equal(p1.headers.cc, '{"custom":{"a":1}}');
    assert.equal(p1.execEnv, null, 'AWS sets no AWS_EXECUTION_ENV for custom runtimes');
    assert.equal(p1.handler, 'my.handler');
    assert.ok(r1.logLines.includes('handling custom-1\n'));
    assert.match(r1.logLines[0], /^INIT_START Runtime Version: provided:al2023\.v\d+/);

    const r2 = await pool.invoke(spec, request({ n: 2 }));
    assert.equal(json(r2.payload).id, p1.id);
  });

  it('passes /error bodies through as the function error', async () => {
    const spec = specFor(await dirs.code({ bootstrap: CUSTOM_BOOTSTRAP }), { runtime: 'provided' });
    const r = await pool.invoke(spec, request({ fail: true }));
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(json(r.payload), { errorMessage: 'custom failure', errorType: 'Custom.Error', stackTrace: ['at here'] });
  });

  it('reports /init/error as the invocation result', async () => {
    const spec = specFor(await dirs.code({ bootstrap: CUSTOM_BOOTSTRAP }), { runtime: 'provided.al2', environment: { FAIL_INIT: '1' } });
    const r = await pool.invoke(spec, request({}));
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(json(r.payload), { errorMessage: 'no config', errorType: 'Custom.InitFailed' });
    assert.ok(r.logLines.includes('init failing\n'));
    assert.ok(r.logLines.some((l) => l.startsWith('INIT_REPORT') && l.endsWith('Error Type: Custom.InitFailed\n')));
  });

  it('reports a crash as Runtime.ExitError', async () => {
    const spec = specFor(await dirs.code({ bootstrap: CUSTOM_BOOTSTRAP }), { runtime: 'provided.al2' });
    const r = await pool.invoke(spec, request({ crash: true }, { requestId: 'crash-1' }));
    assert.deepEqual(json(r.payload), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: crash-1 Error: Runtime exited with error: exit status 2' });
  });

  it('reports a missing bootstrap as Runtime.InvalidEntrypoint', async () => {
    const spec = specFor(await dirs.code({ 'README': 'no bootstrap here' }), { runtime: 'provided.al2023' });
    const r = await pool.invoke(spec, request({}, { requestId: 'nobootstrap' }));
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(json(r.payload), {
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: "RequestId: nobootstrap Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
    });
  });
});

describe('Node.js bootstrap over the HTTP Runtime API', () => {
  it('runs handlers, errors and logs the same way', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'const id = Math.random(); exports.handler = async (e) => { console.log("got", e.n); if (e.fail) throw new Error("bad"); return id; };' }));
    const a = await pool.invoke(spec, request({ n: 1 }));
    const b = await pool.invoke(spec, request({ n: 2 }));
    assert.equal(json(a.payload), json(b.payload));
    assert.ok(b.logLines.some((l) => l.endsWith('\tINFO\tgot 2\n')));
    const c = await pool.invoke(spec, request({ n: 3, fail: true }));
    assert.equal(c.functionError, 'Unhandled');
    assert.equal(json(c.payload).errorMessage, 'bad');
    const big = await pool.invoke(specFor(await dirs.code({ 'index.js': 'exports.handler = async () => "x".repeat(7e6);' })), request({}));
    assert.equal(json(big.payload).errorType, 'Function.ResponseSizeTooLarge');
  });
});
