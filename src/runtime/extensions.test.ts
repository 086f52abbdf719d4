// External extensions in an environment: started from /opt/extensions with the function's
// variables, registered through the Extensions API, INVOKE events with each invocation (the
// environment is free again only when they have called event/next), a crash failing init,
// SIGTERM to the runtime when the environment stops and then SHUTDOWN, END/REPORT once the extensions
// are done with an invocation; with the Node.js, Python and custom runtimes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeRuntime } from './runtimes.js';
import { EXTENSION, TempDirs, eventsBootstrap, TestPools, json, request, sleep, specFor } from './testing.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs);

after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

/** A layer tree holding the extension (as `names`) under extensions/. */
async function extensionLayer(names: string[] = ['ext-a']): Promise<string> {
  const files: Record<string, string> = {};
  for (const n of names) files[`extensions/${n}`] = EXTENSION;
  const opt = await dirs.code(files);
  for (const n of names) await chmod(path.join(opt, 'extensions', n), 0o755);
  return opt;
}

const NODE_READS_EVENTS = `
const fs = require('fs'), os = require('os'), path = require('path');
const startedBeforeRuntime = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('started-')).sort();
exports.handler = async () => {
  const out = { startedBeforeRuntime };
  for (const f of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('events-'))) out[f] = fs.readFileSync(path.join(os.tmpdir(), f), 'utf8').trim().split('\\n').map(JSON.parse);
  return out;
};`;

describe('external extensions', () => {
  it('start and register before the runtime starts, get INVOKE with each one; the environment waits for them', async () => {
    const pool = await pools.start();
    const spec = specFor(await dirs.code({ 'index.js': NODE_READS_EVENTS }), { optDir: await extensionLayer(['ext-a', 'ext-b']), memorySize: 512, environment: { EXT_DELAY_MS: '300' } });
    const first = request({}, { invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn:$LATEST' });
    const r1 = await pool.invoke(spec, first);
    assert.equal(r1.functionError, undefined, r1.payload.toString());
    const seen1 = json(r1.payload);
    assert.deepEqual(Object.keys(seen1).sort(), ['events-ext-a.jsonl', 'events-ext-b.jsonl', 'startedBeforeRuntime']);
    assert.deepEqual(seen1.startedBeforeRuntime, ['started-ext-a', 'started-ext-b'], 'the runtime starts once the extensions have registered');
    assert.deepEqual(seen1['events-ext-a.jsonl'][0], {
      registered: { functionName: 'test-fn', functionVersion: '$LATEST', handler: 'index.handler', accountId: '000000000000' },
      status: 200,
    });
    assert.ok(r1.logLines.includes('EXTENSION\tName: ext-a\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\n'), r1.logLines.join('\n'));
    assert.ok(r1.logLines.some((l) => l.startsWith('EXTENSION\tName: ext-b')));

    await sleep(300); // the answer came before the extensions were done with the invocation
    const r2 = await pool.invoke(spec, request());
    assert.equal(r2.logStreamName, r1.logStreamName, 'the same environment, warm');
    for (const file of ['events-ext-a.jsonl', 'events-ext-b.jsonl']) {
      const invoke = json(r2.payload)[file][1];
      assert.equal(invoke.eventType, 'INVOKE');
      assert.equal(invoke.requestId, first.requestId);
      assert.equal(invoke.invokedFunctionArn, first.invokedFunctionArn);
      assert.equal(invoke.tracing.type, 'X-Amzn-Trace-Id');
      assert.match(invoke.tracing.value, /^Root=1-/);
      assert.ok(invoke.deadlineMs > Date.now() - 60_000);
    }
    // What the extensions print goes to the function's log stream, in the invocation they print it in:
    // its final lines (an extension may print after the runtime has answered).
    const final1 = (await r1.finalLogLines) ?? r1.logLines;
    assert.ok(final1.some((l) => l.includes(`INVOKE ${first.requestId}`)), final1.join('\n'));
  });

  it('an extension that exits during init fails the invocation with Extension.Crash', async () => {
    const pool = await pools.start();
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => "never";' }), { memorySize: 512, optDir: await extensionLayer(), environment: { EXT_MODE: 'crash' } });
    const r = await pool.invoke(spec, request());
    assert.equal(r.functionError, 'Unhandled');
    const payload = json(r.payload);
    assert.equal(payload.errorType, 'Extension.Crash');
    assert.match(payload.errorMessage, /^RequestId: \S+ Error: exit status 3$/);
    assert.ok(r.logLines.some((l) => /^INIT_REPORT .*Status: error\tError Type: Extension\.Crash/.test(l)), r.logLines.join('\n'));
  });

  it('an extension that never calls event/next again holds the environment until the timeout, then it is reset', async () => {
    const pool = await pools.start({ scaleOut: 'eager' });
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => process.pid;' }), { memorySize: 512, optDir: await extensionLayer(), environment: { EXT_MODE: 'hang' }, timeout: 1 });
    const t0 = Date.now();
    const r1 = await pool.invoke(spec, request());
    assert.equal(r1.functionError, undefined, r1.payload.toString());
    assert.ok(Date.now() - t0 < 1000, 'the answer comes as soon as the runtime gives it');
    // The busy environment is not given the next invocation: it goes elsewhere.
    const r2 = await pool.invoke(spec, request());
    assert.notEqual(r2.logStreamName, r1.logStreamName);
    await sleep(1300);
    assert.equal(pool.stats().environments, 0, 'both held environments were reset at their deadlines');
    const lines = await r1.finalLogLines!;
    assert.ok(lines.some((l) => /Task timed out after 1\.\d\d seconds/.test(l)), lines.join('\n'));
    assert.match(lines.find((l) => l.startsWith('REPORT'))!, /\tDuration: 1\d\d\d\.\d\d ms\t.*\tStatus: timeout/);
    const r3 = await pool.invoke(spec, request());
    assert.equal(r3.functionError, undefined, r3.payload.toString());
  });

  it('SHUTDOWN reaches the extensions when their environment stops', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'stagecraft-ext-out-'));
    const pool = await pools.start({ sandbox: 'off' });
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => "ok";' }), { memorySize: 512, optDir: await extensionLayer(), environment: { EXT_OUT: out } });
    await pool.invoke(spec, request());
    pool.evict(spec.key);
    let events: { eventType?: string; shutdownReason?: string; deadlineMs?: number }[] = [];
    for (let i = 0; i < 40 && !events.some((e) => e.eventType === 'SHUTDOWN'); i++) {
      await sleep(50);
      events = (await readFile(path.join(out, 'events-ext-a.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    }
    const shutdown = events.find((e) => e.eventType === 'SHUTDOWN');
    assert.equal(shutdown?.shutdownReason, 'spindown');
    assert.ok(shutdown!.deadlineMs! > Date.now() - 5000);
  });

  it('time an extension takes after the response is in REPORT Duration, with its lines, as on AWS', async () => {
    const pool = await pools.start();
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => { console.log("handled"); return "ok"; };' }), { optDir: await extensionLayer(), memorySize: 512, environment: { EXT_POST_MS: '300' } });
    await pool.invoke(spec, request()); // init out of the way
    await sleep(400);
    const req = request();
    const started = performance.now();
    const r = await pool.invoke(spec, req);
    assert.ok(performance.now() - started < 250, 'the caller gets the response when the runtime answers');
    assert.equal(r.payload.toString(), '"ok"');
    assert.ok(r.finalLogLines, 'the final lines come once the extension is done');
    const lines = await r.finalLogLines!;
    const at = (prefix: string): number => lines.findIndex((l) => l.startsWith(prefix));
    assert.ok(at('START') < at('[ext-a] done ' + req.requestId) && at('[ext-a] done ') < at('END'), lines.join('\n'));
    const report = lines.find((l) => l.startsWith('REPORT'))!;
    const duration = Number(/\tDuration: ([\d.]+) ms/.exec(report)![1]);
    assert.ok(duration >= 300, `Duration covers the extension's 300 ms: ${report}`);
    assert.ok(r.durationMs < 250, 'the runtime\'s own time stays the result\'s durationMs');

    const plain = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => "ok";' }));
    assert.equal((await pool.invoke(plain, request())).finalLogLines, undefined, 'no extensions: the lines are final at once');
  });

  /** The Shutdown phase's lines of a function with extension ext-a whose runtime handles SIGTERM with `onSigterm`; and a function without extensions. */
  async function shutdownPhase(sandbox: 'auto' | 'off', onSigterm: string): Promise<{ lines: string[]; plainLines: number }> {
    const kept: { stream: string; lines: string[] }[] = [];
    const pool = await pools.start({ sandbox, shutdownLines: (_spec, stream, lines) => kept.push({ stream, lines }) });
    const handler = `process.on("SIGTERM", () => { ${onSigterm} });\nexports.handler = async () => "ok";`;
    const spec = specFor(await dirs.code({ 'index.js': handler }), { memorySize: 512, optDir: await extensionLayer() });
    const r = await pool.invoke(spec, request());
    const plain = specFor(await dirs.code({ 'index.js': handler }));
    const p = await pool.invoke(plain, request());
    pool.evict(spec.key);
    pool.evict(plain.key);
    for (let i = 0; i < 60 && !kept.some((k) => k.stream === r.logStreamName); i++) await sleep(50);
    await sleep(300);
    return { lines: kept.filter((k) => k.stream === r.logStreamName).flatMap((k) => k.lines), plainLines: kept.filter((k) => k.stream === p.logStreamName).length };
  }

  /** When the runtime's SIGTERM handler ran, when ext-a got SHUTDOWN and the deadline it was given (ms since the epoch). */
  function shutdownTimes(lines: string[]): { sigterm: number; shutdown: number; deadline: number } {
    const sigterm = lines.map((l) => /\[runtime\] SIGTERM at (\d+)/.exec(l)).find((m) => m);
    const shutdown = lines.map((l) => /^\[ext-a\] SHUTDOWN spindown at (\d+) deadline (\d+)/.exec(l)).find((m) => m);
    assert.ok(sigterm && shutdown, lines.join('\n'));
    return { sigterm: Number(sigterm[1]), shutdown: Number(shutdown[1]), deadline: Number(shutdown[2]) };
  }

  for (const sandbox of ['auto', 'off'] as const) {
    it(`at shutdown the runtime gets SIGTERM first, the extensions SHUTDOWN once it has exited; what they print is in the log stream (sandbox ${sandbox})`, async () => {
      const { lines, plainLines } = await shutdownPhase(sandbox, 'console.log("[runtime] SIGTERM at " + Date.now()); setTimeout(() => { console.log("[runtime] exiting"); process.exit(0); }, 100);');
      const at = (text: string): number => lines.findIndex((l) => l.includes(text));
      assert.ok(at('[runtime] SIGTERM') >= 0 && at('[runtime] SIGTERM') < at('[runtime] exiting') && at('[runtime] exiting') < at('[ext-a] SHUTDOWN'), lines.join('\n'));
      const t = shutdownTimes(lines);
      assert.ok(t.shutdown - t.sigterm >= 100 && t.shutdown - t.sigterm < 300, `SHUTDOWN once the runtime has exited: ${JSON.stringify(t)}`);
      assert.ok(Math.abs(t.deadline - (t.sigterm + 2000)) < 100, `deadlineMs: the end of the 2,000 ms phase: ${JSON.stringify(t)}`);
      assert.equal(plainLines, 0, 'no extensions: no Shutdown phase (SIGKILL at once), as on AWS');
    });
  }

  it('a runtime that does not exit on SIGTERM is killed after its 300 ms; then the extensions get SHUTDOWN', async () => {
    const { lines } = await shutdownPhase('auto', 'console.log("[runtime] SIGTERM at " + Date.now());');
    const t = shutdownTimes(lines);
    assert.ok(t.shutdown - t.sigterm >= 280 && t.shutdown - t.sigterm < 700, JSON.stringify(t));
    assert.ok(Math.abs(t.deadline - (t.sigterm + 2000)) < 100, JSON.stringify(t));
    assert.ok(!lines.some((l) => l.includes('Killed')), 'the launcher reports nothing of its own');
  });

  it('more than 10 extensions: init fails with Extension.LaunchError, nothing is started', async () => {
    const pool = await pools.start();
    const names = Array.from({ length: 11 }, (_, i) => `ext-${String(i + 1).padStart(2, '0')}`);
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async () => "ok";' }), { memorySize: 512, optDir: await extensionLayer(names) });
    const r = await pool.invoke(spec, request());
    assert.equal(r.functionError, 'Unhandled');
    const payload = json(r.payload);
    assert.equal(payload.errorType, 'Extension.LaunchError');
    assert.match(payload.errorMessage, /^RequestId: \S+ Error: Extension limit \(10\) reached$/);
    assert.ok(r.logLines.some((l) => l.startsWith('INIT_REPORT') && l.includes('Error Type: Extension.LaunchError')), r.logLines.join('\n'));
    assert.ok(!r.logLines.some((l) => l.includes('[ext-')), 'no extension ran');
  });

  it('with extensions, a runtime that dies is reported as without them: its exit status or signal (sandbox off)', async () => {
    const pool = await pools.start({ sandbox: 'off' });
    const opt = await extensionLayer();
    for (const [code, message] of [['process.exit(3)', 'exit status 3'], ['process.kill(process.pid, "SIGKILL")', 'signal: killed']]) {
      const spec = specFor(await dirs.code({ 'index.js': `exports.handler = async (e) => { if (e.die) ${code}; return "ok"; };` }), { memorySize: 512, optDir: opt });
      await pool.invoke(spec, request());
      const req = request({ die: true });
      const r = await pool.invoke(spec, req);
      assert.equal(json(r.payload).errorMessage, `RequestId: ${req.requestId} Error: Runtime exited with error: ${message}`, r.logLines.join('\n'));
    }
  });

  it('work with a Python function and a custom runtime (provided.al2023)', async () => {
    const pool = await pools.start();
    const opt = await extensionLayer();
    const bootstrap = eventsBootstrap('ext-a');
    const custom = specFor(await dirs.code({ bootstrap }), { runtime: 'provided.al2023', handler: 'x', memorySize: 512, optDir: opt });
        const first = request();
    await pool.invoke(custom, first);
    await sleep(300);
    const seen = json((await pool.invoke(custom, request())).payload);
    assert.equal(seen[1].requestId, first.requestId);

    if (!describeRuntime('python3.12')) return;
    const py = specFor(
      await dirs.code({
        'lambda_function.py': 'import json, tempfile\n\ndef lambda_handler(event, context):\n    with open(tempfile.gettempdir() + "/events-ext-a.jsonl") as f:\n        return [json.loads(l) for l in f]\n',
      }),
      { runtime: 'python3.12', handler: 'lambda_function.lambda_handler', memorySize: 512, optDir: opt },
    );
    const p1 = request();
    const r1 = await pool.invoke(py, p1);
    assert.equal(r1.functionError, undefined, r1.payload.toString());
    await sleep(300);
    const events = json((await pool.invoke(py, request())).payload);
    assert.equal(events[1].eventType, 'INVOKE');
    assert.equal(events[1].requestId, p1.requestId);
  });
});
