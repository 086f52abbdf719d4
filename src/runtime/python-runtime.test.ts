// The python3.* runtimes end to end (skipped where the host has no python3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentPool } from './environment-pool.js';
import { describeRuntime } from './runtimes.js';
import { TempDirs, json, request, specFor } from './testing.js';

const dirs = new TempDirs();
const pools: EnvironmentPool[] = [];
const available = describeRuntime('python3.12') !== undefined;

async function newPool(privateChannel: boolean): Promise<EnvironmentPool> {
  const pool = new EnvironmentPool({ maxEnvironments: 8, idleMs: 60_000, sandbox: 'auto', workDir: await dirs.make(), privateChannel });
  await pool.start();
  pools.push(pool);
  return pool;
}

let pool: EnvironmentPool;
before(async () => {
  pool = await newPool(true);
});
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await dirs.cleanup();
});

const python = (files: Record<string, string>, overrides: Parameters<typeof specFor>[1] = {}) =>
  dirs.code(files).then((code) => specFor(code, { runtime: 'python3.12', handler: 'lambda_function.lambda_handler', ...overrides }));

const APP = `
import json, logging, os, random
logger = logging.getLogger()
logger.setLevel(logging.INFO)
ID = random.random()
print("init print")

def lambda_handler(event, context):
    print("hello", event.get("n"))
    logger.info("via logging %s", "ok")
    if event.get("fail"):
        raise ValueError("bad value")
    if event.get("exit"):
        os._exit(4)
    if event.get("unmarshalable"):
        return {1, 2}
    if event.get("decimal"):
        import decimal
        return {"d": decimal.Decimal("1.5")}
    return {
        "id": ID, "event": event,
        "ctx": {"function_name": context.function_name, "function_version": context.function_version,
                "memory_limit_in_mb": context.memory_limit_in_mb, "aws_request_id": context.aws_request_id,
                "invoked_function_arn": context.invoked_function_arn, "log_group_name": context.log_group_name,
                "log_stream_name": context.log_stream_name, "remaining": context.get_remaining_time_in_millis(),
                "custom": context.client_context.custom if context.client_context else None},
        "env": {k: os.environ.get(k) for k in ["AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "_HANDLER", "LAMBDA_TASK_ROOT", "_STAGECRAFT_OUT_FD"]},
    }
`;

describe('python runtime', { skip: !available && 'no python3 on this host' }, () => {
  it('runs a handler with context, logs and warm reuse', async () => {
    const spec = await python({ 'lambda_function.py': APP });
    const cc = Buffer.from('{"custom":{"k":"v"}}').toString('base64');
    const r = await pool.invoke(spec, request({ n: 1 }, { requestId: 'py-1', clientContext: cc }));
    assert.equal(r.functionError, undefined, r.payload.toString());
    const p = json(r.payload);
    assert.deepEqual(p.event, { n: 1 });
    assert.equal(p.ctx.function_name, 'test-fn');
    assert.equal(p.ctx.memory_limit_in_mb, '128');
    assert.equal(p.ctx.aws_request_id, 'py-1');
    assert.equal(p.ctx.log_stream_name, r.logStreamName);
    assert.deepEqual(p.ctx.custom, { k: 'v' });
    assert.ok(p.ctx.remaining > 2000 && p.ctx.remaining <= 3000);
    assert.equal(p.env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
    assert.equal(p.env._HANDLER, 'lambda_function.lambda_handler');
    assert.equal(p.env._STAGECRAFT_OUT_FD, null);
    assert.ok(r.logLines.includes('init print\n'));
    assert.ok(r.logLines.includes('hello 1\n'));
    assert.ok(r.logLines.some((l) => /^\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tpy-1\tvia logging ok\n$/.test(l)), r.logLines.join('\n'));
    assert.match(r.logLines[0], /^INIT_START Runtime Version: python:3\.12\.v\d+/);

    const again = await pool.invoke(spec, request({ n: 2 }));
    assert.equal(json(again.payload).id, p.id);
  });

  it('reports exceptions, marshal errors and crashes as AWS does', async () => {
    const spec = await python({ 'lambda_function.py': APP });
    const failed = await pool.invoke(spec, request({ fail: true }, { requestId: 'py-fail' }));
    assert.equal(failed.functionError, 'Unhandled');
    const p = json(failed.payload);
    assert.deepEqual([p.errorType, p.errorMessage, p.requestId], ['ValueError', 'bad value', 'py-fail']);
    assert.match(p.stackTrace[0], /^ {2}File ".*lambda_function\.py", line \d+, in lambda_handler\n {4}raise ValueError\("bad value"\)\n$/);
    // AWS's record: trace lines indented with no-break spaces.
    assert.ok(failed.logLines.some((l) => /^\[ERROR\] ValueError: bad value\nTraceback \(most recent call last\):\n\u00a0{2}File ".*lambda_function\.py", line \d+, in lambda_handler\n\u00a0{4}raise ValueError\("bad value"\)\n$/.test(l)),
      failed.logLines.join('\n'));

    assert.deepEqual(json((await pool.invoke(spec, request({ decimal: true }))).payload), { d: 1.5 }, 'Decimals become numbers, as on AWS');
    const marshal = json((await pool.invoke(spec, request({ unmarshalable: true }))).payload);
    assert.equal(marshal.errorType, 'Runtime.MarshalError');
    assert.match(marshal.errorMessage, /^Unable to marshal response: /);

    const crash = await pool.invoke(spec, request({ exit: true }, { requestId: 'py-exit' }));
    assert.deepEqual(json(crash.payload), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: py-exit Error: Runtime exited with error: exit status 4' });
  });

  it('reports import, syntax and handler errors with AWS messages', async () => {
    const missingResult = await pool.invoke(await python({ 'other.py': '' }), request({}));
    const missing = json(missingResult.payload);
    assert.equal(missing.errorType, 'Runtime.ImportModuleError');
    assert.equal(missing.errorMessage, "Unable to import module 'lambda_function': No module named 'lambda_function'");
    // AWS logs the Traceback header even for an empty trace.
    assert.ok(missingResult.logLines.includes("[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'lambda_function'\nTraceback (most recent call last):\n"),
      missingResult.logLines.join('\n'));

    const syntax = json((await pool.invoke(await python({ 'lambda_function.py': 'def lambda_handler(e, c)\n  return 1\n' }), request({}))).payload);
    assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(syntax.errorMessage, /^Syntax error in module 'lambda_function': /);

    const notFound = json((await pool.invoke(await python({ 'lambda_function.py': 'x = 1\n' }), request({}))).payload);
    assert.deepEqual([notFound.errorType, notFound.errorMessage], ['Runtime.HandlerNotFound', "Handler 'lambda_handler' missing on module 'lambda_function'"]);

    const malformed = json((await pool.invoke(await python({ 'lambda_function.py': '' }, { handler: 'nodot' }), request({}))).payload);
    assert.equal(malformed.errorType, 'Runtime.MalformedHandlerName');

    const nested = await pool.invoke(await python({ 'pkg/mod.py': 'def h(e, c):\n    return "nested"\n' }, { handler: 'pkg/mod.h' }), request({}));
    assert.equal(json(nested.payload), 'nested');
  });

  it('sets the trace id in os.environ for each invocation without handing it to the C library (which keeps every value)', async () => {
    const spec = await python({
      'lambda_function.py': [
        'import ctypes, os',
        'def lambda_handler(event, context):',
        '    c = ctypes.CDLL(None).getenv',
        '    c.restype = ctypes.c_char_p',
        '    return {"trace": os.environ.get("_X_AMZN_TRACE_ID"), "c": c(b"_X_AMZN_TRACE_ID") and c(b"_X_AMZN_TRACE_ID").decode()}',
        '',
      ].join('\n'),
    });
    const a = json((await pool.invoke(spec, request({}))).payload);
    const b = json((await pool.invoke(spec, request({}))).payload);
    assert.match(a.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    assert.notEqual(a.trace, b.trace);
    assert.equal(b.c, null);
  });

  it('speaks the HTTP Runtime API too', async () => {
    const httpPool = await newPool(false);
    const spec = await python({ 'lambda_function.py': APP });
    const a = json((await httpPool.invoke(spec, request({ n: 1 }))).payload);
    const b = json((await httpPool.invoke(spec, request({ n: 2 }))).payload);
    assert.equal(a.id, b.id);
    const failed = json((await httpPool.invoke(spec, request({ fail: true }))).payload);
    assert.equal(failed.errorType, 'ValueError');
  });
});
