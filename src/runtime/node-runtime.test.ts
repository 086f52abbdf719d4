// The nodejs* runtimes end to end: real processes, real sandbox (when this host has one), through
// the pool's public API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentPool } from './environment-pool.js';
import { TempDirs, json, request, sleep, specFor } from './testing.js';
import type { InvokeResult } from './types.js';

const dirs = new TempDirs();
let pool: EnvironmentPool;

before(async () => {
  pool = new EnvironmentPool({ maxEnvironments: 16, idleMs: 60_000, sandbox: 'auto', workDir: await dirs.make() });
  await pool.start();
});

after(async () => {
  await pool.close();
  await dirs.cleanup();
});

async function run(files: Record<string, string>, event: unknown = {}, overrides: Parameters<typeof specFor>[1] = {}): Promise<InvokeResult> {
  const spec = specFor(await dirs.code(files), overrides);
  return pool.invoke(spec, request(event));
}

const between = (lines: string[], from: RegExp, to: RegExp): string[] => {
  const a = lines.findIndex((l) => from.test(l));
  const b = lines.findIndex((l) => to.test(l));
  return lines.slice(a + 1, b);
};

describe('handler loading', () => {
  it('runs a CommonJS async handler and passes the event', async () => {
    const r = await run({ 'index.js': 'exports.handler = async (event) => ({ got: event, type: typeof require });' }, { a: 1 });
    assert.equal(r.functionError, undefined);
    assert.deepEqual(json(r.payload), { got: { a: 1 }, type: 'function' });
  });

  it('loads .js as ESM when the nearest package.json says "type": "module"', async () => {
    const r = await run({
      'package.json': '{"type":"module"}',
      'index.js': 'export const handler = async () => typeof require;',
    });
    assert.equal(json(r.payload), 'undefined');
  });

  it('loads .mjs and .cjs handlers', async () => {
    const mjs = await run({ 'app.mjs': 'export const handler = async () => "mjs:" + import.meta.url;' }, {}, { handler: 'app.handler' });
    assert.match(json(mjs.payload), /^mjs:file:\/\/.*app\.mjs$/);
    const cjs = await run({ 'app.cjs': 'module.exports.handler = async () => "cjs:" + __filename;' }, {}, { handler: 'app.handler' });
    assert.match(json(cjs.payload), /^cjs:.*app\.cjs$/);
  });

  it('resolves handlers in subdirectories and nested exports', async () => {
    const r = await run({ 'src/lib/app.js': 'exports.api = { v1: { handler: async () => "nested" } };' }, {}, { handler: 'src/lib/app.api.v1.handler' });
    assert.equal(json(r.payload), 'nested');
  });

  it('reports a missing module as Runtime.ImportModuleError, as AWS words it', async () => {
    const r = await run({ 'other.js': '' });
    assert.equal(r.functionError, 'Unhandled');
    const p = json(r.payload);
    assert.equal(p.errorType, 'Runtime.ImportModuleError');
    assert.match(p.errorMessage, /^Error: Cannot find module 'index'\nRequire stack:\n- \/.*index\.mjs$/);
    assert.ok(Array.isArray(p.trace));
    assert.ok(r.logLines.some((l) => /\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Runtime.ImportModuleError"/.test(l)));
    assert.ok(r.logLines.some((l) => /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n$/.test(l)));
    assert.match(r.logLines.at(-1)!, /^REPORT RequestId: .*\tStatus: error\tError Type: Runtime.ImportModuleError\t\n$/);
  });

  it('reports a dependency the handler imports but lacks as Runtime.ImportModuleError', async () => {
    const r = await run({ 'index.mjs': 'import "no-such-package"; export const handler = async () => 1;' });
    const p = json(r.payload);
    assert.equal(p.errorType, 'Runtime.ImportModuleError');
    assert.match(p.errorMessage, /no-such-package/);
  });

  it('reports syntax errors as Runtime.UserCodeSyntaxError', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => { return 1;;; }}' });
    const p = json(r.payload);
    assert.equal(p.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(p.errorMessage, /^SyntaxError: /);
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const r = await run({ 'index.js': 'exports.other = () => 1;' });
    assert.deepEqual(
      { type: json(r.payload).errorType, message: json(r.payload).errorMessage },
      { type: 'Runtime.HandlerNotFound', message: 'index.handler is undefined or not exported' },
    );
    const notFn = await run({ 'index.js': 'exports.handler = 42;' });
    assert.equal(json(notFn.payload).errorMessage, 'index.handler is not a function');
  });

  it('reports malformed handler names as Runtime.MalformedHandlerName', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => 1;' }, {}, { handler: 'index' });
    assert.deepEqual([json(r.payload).errorType, json(r.payload).errorMessage], ['Runtime.MalformedHandlerName', 'Bad handler']);
    const up = await run({ 'index.js': '' }, {}, { handler: '../index.handler' });
    assert.equal(json(up.payload).errorType, 'Runtime.MalformedHandlerName');
  });

  it('reports an error thrown while the module loads as the error itself', async () => {
    const r = await run({ 'index.js': 'throw new TypeError("bad config");' });
    const p = json(r.payload);
    assert.equal(p.errorType, 'TypeError');
    assert.equal(p.errorMessage, 'bad config');
  });
});

describe('handler styles', () => {
  it('answers with the first of callback/succeed/fail/done', async () => {
    const r = await run({ 'index.js': 'exports.handler = (e, ctx, cb) => { cb(null, "first"); cb(null, "second"); ctx.succeed("third"); };' });
    assert.equal(json(r.payload), 'first');
  });

  it('waits for the event loop to empty before answering a callback, unless told not to', async () => {
    const waits = await run({
      'index.js': 'let n = 0; exports.handler = (e, ctx, cb) => { setTimeout(() => { n++; console.log("timer ran"); }, 100); cb(null, "done"); };',
    });
    assert.equal(json(waits.payload), 'done');
    assert.ok(waits.durationMs >= 90, `duration ${waits.durationMs}`);
    assert.ok(waits.logLines.some((l) => l.endsWith('\tINFO\ttimer ran\n')));

    const noWait = await run({
      'index.js': 'exports.handler = (e, ctx, cb) => { ctx.callbackWaitsForEmptyEventLoop = false; setTimeout(() => {}, 1000); cb(null, "now"); };',
    });
    assert.equal(json(noWait.payload), 'now');
    assert.ok(noWait.durationMs < 900, `duration ${noWait.durationMs}`);
  });

  it('supports context.succeed, context.fail and context.done', async () => {
    const ok = await run({ 'index.js': 'exports.handler = (e, ctx) => { ctx.done(null, { ok: true }); };' });
    assert.deepEqual(json(ok.payload), { ok: true });
    const fail = await run({ 'index.js': 'exports.handler = (e, ctx) => { ctx.fail(new Error("nope")); };' });
    assert.equal(fail.functionError, 'Unhandled');
    assert.equal(json(fail.payload).errorMessage, 'nope');
  });

  it('answers null for a synchronous handler that never calls back', async () => {
    const r = await run({ 'index.js': 'exports.handler = () => {};' });
    assert.equal(r.payload.toString(), 'null');
  });

  it('fails an async handler whose promise never settles once the event loop is empty', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => new Promise(() => {});' });
    assert.equal(json(r.payload).errorType, 'Runtime.NodeJsExit');
  });

  it('buffers the body of streaming handlers (awslambda.streamifyResponse)', async () => {
    const r = await run({
      'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
        responseStream.setContentType('text/plain');
        responseStream.write('hello ');
        await new Promise((r) => setTimeout(r, 10));
        responseStream.write(context.functionName);
        responseStream.end();
      });`,
    });
    assert.equal(r.functionError, undefined);
    assert.equal(r.payload.toString(), 'hello test-fn');
  });

  it('rejects callback handlers on nodejs24.x, as AWS does', async () => {
    const r = await run({ 'index.js': 'exports.handler = (e, ctx, cb) => cb(null, 1);' }, {}, { runtime: 'nodejs24.x' });
    assert.equal(json(r.payload).errorType, 'Runtime.CallbackHandlerDeprecated');
  });
});

describe('context and environment', () => {
  it("takes the context's names from process.env as it is when each invocation begins", async () => {
    const spec = specFor(
      await dirs.code({
        'index.js': `exports.handler = async (e, ctx) => {
          const seen = { name: ctx.functionName, stream: ctx.logStreamName };
          if (e.rename) process.env.AWS_LAMBDA_FUNCTION_NAME = e.rename;
          if (e.forget) delete process.env.AWS_LAMBDA_LOG_STREAM_NAME;
          return seen;
        };`,
      }),
      { functionName: 'named-fn' },
    );
    const first = json((await pool.invoke(spec, request({ rename: 'renamed-fn' }))).payload);
    assert.equal(first.name, 'named-fn');
    assert.ok(first.stream);
    assert.equal(json((await pool.invoke(spec, request({ forget: true }))).payload).name, 'renamed-fn', 'as AWS reads it: afresh each invocation');
    assert.equal(json((await pool.invoke(spec, request({}))).payload).stream, '', 'a deleted variable reads as empty');
  });

  it('fills the context object and the standard environment variables', async () => {
    const r = await pool.invoke(
      specFor(
        await dirs.code({
          'index.js': `exports.handler = async (e, ctx) => ({
            ctx: { ...ctx, remaining: ctx.getRemainingTimeInMillis() },
            env: process.env, cwd: process.cwd() });`,
        }),
        { functionName: 'ctx-fn', memorySize: 256, timeout: 7, runtime: 'nodejs22.x', environment: { MY_VAR: 'mine', AWS_REGION: 'evil-1', TZ: 'Europe/Paris' } },
      ),
      request({}, { requestId: 'req-ctx-1', clientContext: Buffer.from(JSON.stringify({ custom: { who: 'me' }, env: { os: 'x' } })).toString('base64') }),
    );
    const { ctx, env, cwd } = json(r.payload);
    assert.equal(ctx.functionName, 'ctx-fn');
    assert.equal(ctx.functionVersion, '$LATEST');
    assert.equal(ctx.memoryLimitInMB, '256');
    assert.equal(ctx.awsRequestId, 'req-ctx-1');
    assert.equal(ctx.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:test-fn');
    assert.equal(ctx.logGroupName, '/aws/lambda/ctx-fn');
    assert.equal(ctx.logStreamName, r.logStreamName);
    assert.match(r.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.deepEqual(ctx.clientContext, { custom: { who: 'me' }, env: { os: 'x' } });
    assert.equal(ctx.callbackWaitsForEmptyEventLoop, true);
    assert.ok(ctx.remaining > 6000 && ctx.remaining <= 7000, `remaining ${ctx.remaining}`);

    assert.equal(env.MY_VAR, 'mine');
    assert.equal(env.AWS_REGION, 'us-east-1', 'reserved variables are not overridden');
    assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.equal(env.TZ, 'Europe/Paris', 'TZ is not reserved');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'ctx-fn');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/ctx-fn');
    assert.equal(env.AWS_LAMBDA_LOG_STREAM_NAME, r.logStreamName);
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
    assert.equal(env._HANDLER, 'index.handler');
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+\/[\w-]+$/);
    assert.match(env._X_AMZN_TRACE_ID, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.ok(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN);
    assert.ok(env.LANG && env.PATH && env.NODE_PATH);
    assert.equal(env._STAGECRAFT_OUT_FD, undefined, 'private variables are not visible to the function');
    assert.equal(env.HOME, undefined, "the platform's own environment does not leak");
    assert.equal(env.LAMBDA_TASK_ROOT, pool.sandboxStatus().mode === 'bubblewrap' ? '/var/task' : env.LAMBDA_TASK_ROOT);
    assert.equal(cwd, env.LAMBDA_TASK_ROOT);
  });

  it('shows each invocation its own trace id in process.env and child processes, without setenv (which keeps every value)', async () => {
    const spec = specFor(await dirs.code({
      'index.js': [
        "const { execFileSync } = require('node:child_process');",
        'exports.handler = async () => ({',
        '  trace: process.env._X_AMZN_TRACE_ID,',
        "  listed: Object.keys(process.env).includes('_X_AMZN_TRACE_ID') && '_X_AMZN_TRACE_ID' in process.env,",
        "  child: execFileSync('/bin/sh', ['-c', 'echo $_X_AMZN_TRACE_ID']).toString().trim(),",
        '  libc: process.report.getReport().environmentVariables._X_AMZN_TRACE_ID ?? null,',
        '});',
      ].join('\n'),
    }));
    const a = json((await pool.invoke(spec, request({}))).payload);
    const b = json((await pool.invoke(spec, request({}))).payload);
    assert.match(a.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    assert.notEqual(a.trace, b.trace);
    assert.deepEqual([b.listed, b.child], [true, b.trace]);
    assert.equal(b.libc, null, "the C library's environment never held the trace id");
  });
});

describe('logs', () => {
  it('writes START, the function output, END and REPORT in AWS formats; Init Duration only when cold', async () => {
    const spec = specFor(
      await dirs.code({
        'index.js': `console.log("loading");
          exports.handler = async (e) => {
            console.log("info", { n: e.n }); console.info("i"); console.warn("w"); console.error("multi\\nline");
            console.debug("d"); process.stdout.write("raw stdout\\n"); process.stderr.write("raw stderr\\n");
            return e.n; };`,
      }),
    );
    const first = await pool.invoke(spec, request({ n: 1 }, { requestId: 'log-req-1' }));
    const lines = first.logLines;
    assert.match(lines[0], /^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/);
    assert.match(lines[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tundefined\tINFO\tloading\n$/);
    assert.equal(lines[2], 'START RequestId: log-req-1 Version: $LATEST\n');
    const body = between(lines, /^START /, /^END /);
    const records = body.filter((l) => /^\d{4}-/.test(l)).map((l) => l.split('\t').slice(1).join('\t'));
    assert.deepEqual(records, ['log-req-1\tINFO\tinfo { n: 1 }\n', 'log-req-1\tINFO\ti\n', 'log-req-1\tWARN\tw\n', 'log-req-1\tERROR\tmulti\nline\n', 'log-req-1\tDEBUG\td\n']);
    assert.ok(body.includes('raw stdout\n'));
    assert.ok(body.includes('raw stderr\n'));
    assert.equal(lines.at(-2), 'END RequestId: log-req-1\n');
    assert.match(
      lines.at(-1)!,
      /^REPORT RequestId: log-req-1\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\n$/,
    );
    assert.ok(first.initDurationMs! > 0);
    const billed = Number(/Billed Duration: (\d+) ms/.exec(lines.at(-1)!)![1]);
    assert.equal(billed, Math.ceil(first.durationMs + first.initDurationMs!), 'a cold start bills its init phase too');

    const second = await pool.invoke(spec, request({ n: 2 }, { requestId: 'log-req-2' }));
    assert.equal(second.logLines[0], 'START RequestId: log-req-2 Version: $LATEST\n');
    assert.match(second.logLines.at(-1)!, /^REPORT RequestId: log-req-2\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t\n$/);
    assert.equal(second.initDurationMs, undefined);
    assert.equal(second.logStreamName, first.logStreamName);
  });

  it('keeps at most 10 MB of output per invocation', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => { const line = "y".repeat(100 * 1024); for (let i = 0; i < 200; i++) console.log(line); return "done"; };' });
    assert.equal(json(r.payload), 'done');
    const body = between(r.logLines, /^START /, /^END /);
    assert.ok(body.length < 110, `${body.length} lines kept`);
    assert.equal(body.at(-1), '[stagecraft] log output truncated: too much output in one invocation\n');
  });

  it('calls stdout and stderr write callbacks, with or without an encoding, for strings and bytes', async () => {
    const r = await run({
      'index.js': `exports.handler = async () => {
        const called = [];
        const ok = process.stdout.write("a\\n", () => called.push("a"));
        process.stdout.write("620a", "hex", () => called.push("b"));
        process.stderr.write(new Uint8Array([99, 10]), (err) => called.push(err ? "error" : "c"));
        await new Promise((resolve) => setImmediate(resolve));
        return { ok, called };
      };`,
    });
    assert.deepEqual(json(r.payload), { ok: true, called: ['a', 'b', 'c'] });
    assert.deepEqual(between(r.logLines, /^START /, /^END /), ['a\n', 'b\n', 'c\n']);
  });

  it('survives garbage on stdout and stderr', async () => {
    const r = await run({
      'index.js': `exports.handler = async () => {
        process.stdout.write(Buffer.from([0, 0xff, 0xfe, 10, 0x1b, 0x5b, 0x32, 0x4a]));
        process.stderr.write("x".repeat(300 * 1024) + "\\n");
        process.stdout.write("no newline at the end");
        return "fine"; };`,
    });
    assert.equal(json(r.payload), 'fine');
    assert.ok(r.logLines.some((l) => l.endsWith('\x1b[2Jno newline at the end')), 'a half line at the end is kept');
    assert.ok(r.logLines.some((l) => l.startsWith('xxxx') && l.length === 256 * 1024 + 1 && l.endsWith('x\n')), 'long lines are cut at 256 KB');
  });
});

describe('failures', () => {
  it('survives a function that writes garbage into the runtime channel', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async (e) => { if (e.junk) require("fs").writeSync(4, "not a frame\\n"); return "ok"; };' }));
    const r = await pool.invoke(spec, request({ junk: true }, { requestId: 'junk-1' }));
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(json(r.payload).errorType, 'Runtime.ExitError');
    assert.ok(r.logLines.some((l) => l.includes('runtime channel protocol error')));
    assert.equal(json((await pool.invoke(spec, request({}))).payload), 'ok');
  });

  it('ignores begin and withdrawn frames a function forges for invocations that do not exist', async () => {
    const spec = specFor(await dirs.code({ 'index.js': `exports.handler = async () => {
      const fs = require("fs");
      fs.writeSync(4, 'B 0 {"id":"no-such-invocation"}\\n');
      fs.writeSync(4, 'K 0 {"id":"no-such-invocation"}\\n');
      return "ok";
    };` }));
    const r = await pool.invoke(spec, request({}));
    assert.equal(r.functionError, undefined, r.payload.toString());
    assert.equal(json(r.payload), 'ok');
    assert.equal(json((await pool.invoke(spec, request({}))).payload), 'ok', 'the environment stays usable');
  });

  it('returns a thrown error as AWS does, and logs it', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => { const e = new RangeError("out of range"); e.code = "E1"; throw e; };' });
    assert.equal(r.functionError, 'Unhandled');
    const p = json(r.payload);
    assert.deepEqual(Object.keys(p), ['errorType', 'errorMessage', 'trace']);
    assert.equal(p.errorType, 'RangeError');
    assert.equal(p.errorMessage, 'out of range');
    assert.equal(p.trace[0], 'RangeError: out of range');
    assert.match(p.trace[1], /^ {4}at /);
    assert.ok(r.logLines.some((l) => /\tERROR\tInvoke Error \t\{"errorType":"RangeError","errorMessage":"out of range","code":"E1",/.test(l)));
  });

  it('returns non-Error throws with their type', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => { throw "just a string"; };' });
    assert.deepEqual(json(r.payload), { errorType: 'string', errorMessage: 'just a string', trace: [] });
  });

  it('reports a process exit mid-invocation as Runtime.ExitError and starts fresh next time', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'const id = Math.random(); exports.handler = async (e) => { if (e.exit) process.exit(3); return id; };' }));
    const before = await pool.invoke(spec, request({}));
    const r = await pool.invoke(spec, request({ exit: true }, { requestId: 'exit-req' }));
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(json(r.payload), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-req Error: Runtime exited with error: exit status 3' });
    assert.ok(r.logLines.includes('RequestId: exit-req Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n'));
    assert.match(r.logLines.at(-1)!, /\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
    const after = await pool.invoke(spec, request({}));
    assert.notEqual(json(after.payload), json(before.payload));
    assert.ok(after.initDurationMs !== undefined, 'a new environment was started');
  });

  it('reports uncaught exceptions and unhandled rejections, then replaces the environment', async () => {
    const uncaught = await run({ 'index.js': 'exports.handler = async () => { setTimeout(() => { throw new Error("later"); }, 1); return new Promise(() => {}); };' });
    assert.equal(json(uncaught.payload).errorType, 'Error');
    assert.equal(json(uncaught.payload).errorMessage, 'later');
    assert.ok(uncaught.logLines.some((l) => l.includes('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"later"')));

    const rejected = await run({ 'index.js': 'exports.handler = async () => { Promise.reject(new Error("nobody listens")); return new Promise(() => setTimeout(() => {}, 1000)); };' });
    const p = json(rejected.payload);
    assert.equal(p.errorType, 'Runtime.UnhandledPromiseRejection');
    assert.equal(p.errorMessage, 'Error: nobody listens');
  });

  it('stops an invocation at its timeout and replaces the environment', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'const id = Math.random(); exports.handler = async (e) => { if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return id; };' }), {
      timeout: 1,
    });
    const first = json((await pool.invoke(spec, request({}))).payload);
    const started = Date.now();
    const r = await pool.invoke(spec, request({ hang: true }, { requestId: 'slow-req' }));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1000 && elapsed < 2500, `took ${elapsed} ms`);
    assert.equal(r.functionError, 'Unhandled');
    const p = json(r.payload);
    assert.equal(p.errorType, 'Sandbox.Timedout');
    assert.match(p.errorMessage, /^RequestId: slow-req Error: Task timed out after 1\.\d\d seconds$/);
    assert.ok(r.logLines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z slow-req Task timed out after 1\.\d\d seconds\n$/.test(l)));
    assert.match(r.logLines.at(-1)!, /^REPORT RequestId: slow-req\tDuration: 1\d{3}\.\d\d ms\t.*\tStatus: timeout\t\n$/);
    const next = json((await pool.invoke(spec, request({}))).payload);
    assert.notEqual(next, first, 'the timed out environment was replaced');
  });

  it('honours a shorter deadline given by the caller', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));' }), { timeout: 30 });
    const started = Date.now();
    const t = await pool.invoke(spec, request({}, { deadlineMs: 300 }));
    assert.equal(json(t.payload).errorType, 'Sandbox.Timedout');
    assert.ok(Date.now() - started < 2000);
  });

  it('refuses responses above 6 MB with Function.ResponseSizeTooLarge', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => "x".repeat(6.5 * 1024 * 1024);' });
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(json(r.payload), {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    const fits = await run({ 'index.js': 'exports.handler = async () => "x".repeat(6 * 1024 * 1024 - 10);' });
    assert.equal(fits.functionError, undefined);
    assert.equal(fits.payload.length, 6 * 1024 * 1024 - 8);
  });

  it('stops a function that uses more memory than its memory size (Runtime.OutOfMemory)', async () => {
    const r = await run(
      {
        'index.js': `exports.handler = async () => { const keep = [];
          for (let i = 0; i < 100; i++) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 20)); }
          return keep.length; };`,
      },
      {},
      { memorySize: 128, timeout: 10 },
    );
    assert.equal(r.functionError, 'Unhandled');
    const p = json(r.payload);
    assert.equal(p.errorType, 'Runtime.OutOfMemory');
    assert.match(p.errorMessage, /^RequestId: .* Error: Runtime exited with error: signal: killed$/);
    assert.equal(r.maxMemoryUsedMb, 128);
  });
});

describe('environments', () => {
  const idCode = { 'index.js': 'const id = Math.random().toString(36).slice(2); exports.handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, e.wait)); return id; };' };

  it('reuses a warm environment for the same function', async () => {
    const spec = specFor(await dirs.code(idCode));
    const a = await pool.invoke(spec, request({}));
    const b = await pool.invoke(spec, request({}));
    assert.equal(json(a.payload), json(b.payload));
    assert.ok(a.initDurationMs !== undefined && b.initDurationMs === undefined);
  });

  it('gives parallel invocations separate environments', async () => {
    const spec = specFor(await dirs.code(idCode));
    const results = await Promise.all([1, 2, 3].map(() => pool.invoke(spec, request({ wait: 300 }))));
    assert.equal(new Set(results.map((r) => json(r.payload))).size, 3);
    const again = await Promise.all([1, 2, 3].map(() => pool.invoke(spec, request({ wait: 100 }))));
    assert.deepEqual(new Set(again.map((r) => json(r.payload))), new Set(results.map((r) => json(r.payload))), 'all three were reused');
  });

  it('keeps environments of different functions apart', async () => {
    const code = await dirs.code(idCode);
    const a = await pool.invoke(specFor(code), request({}));
    const b = await pool.invoke(specFor(code), request({}));
    assert.notEqual(json(a.payload), json(b.payload));
  });

  it('shows output written between invocations in the next one, after START', async () => {
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = (e, ctx, cb) => { ctx.callbackWaitsForEmptyEventLoop = false; setTimeout(() => console.log("late", e.n), 50); cb(null, e.n); };' }));
    const first = await pool.invoke(spec, request({ n: 1 }));
    assert.ok(!first.logLines.some((l) => l.endsWith('\tlate 1\n')));
    await sleep(500);
    const second = await pool.invoke(spec, request({ n: 2 }, { requestId: 'after-late' }));
    const start = second.logLines.indexOf('START RequestId: after-late Version: $LATEST\n');
    const late = second.logLines.findIndex((l) => l.endsWith('\tINFO\tlate 1\n'));
    assert.ok(start !== -1 && late > start, second.logLines.join('\n'));
  });

  it('attributes output to the invocation it happened in', async () => {
    const spec = specFor(
      await dirs.code({ 'index.js': 'exports.handler = async (e) => { for (let i = 0; i < 50; i++) { console.log(e.tag, i); process.stdout.write(e.tag + " raw " + i + "\\n"); } return e.tag; };' }),
    );
    const rs = await Promise.all(['a', 'b'].map((tag) => pool.invoke(spec, request({ tag }))));
    for (const [i, tag] of ['a', 'b'].entries()) {
      const body = between(rs[i].logLines, /^START /, /^END /);
      assert.equal(body.length, 100);
      assert.ok(body.every((l) => l.includes(`INFO\t${tag} `) || l.startsWith(`${tag} raw `)), `all lines belong to ${tag}`);
    }
    const warm = await pool.invoke(spec, request({ tag: 'c' }));
    assert.equal(between(warm.logLines, /^START /, /^END /).length, 100);
  });
});
