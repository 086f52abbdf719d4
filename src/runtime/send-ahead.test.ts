// Invocations sent ahead to a busy environment (paced scale-out, Node.js runtimes on the private
// channel): each still runs once, one at a time, with its own output, logs and deadline, and what
// was sent to an environment that dies runs elsewhere.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import type { EnvironmentPool } from './environment-pool.js';
import { TempDirs, TestPools, invokeBehind, json, request, specFor } from './testing.js';
import type { FunctionSpec, InvokeResult } from './types.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs, { prewarm: 0 });
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

/** The lines of a result that the handler wrote about invocation numbers ("log 3", "out 3", "err 3"). */
const numberedLines = (r: InvokeResult): string[] => r.logLines.flatMap((l) => l.match(/\b(?:log|out|err) \d+/g) ?? []);

/** Runs `spec` once warm, so that the next invocations find a warm, measured environment. */
async function warmUp(pool: EnvironmentPool, spec: FunctionSpec): Promise<void> {
  for (let i = 0; i < 3; i++) assert.equal((await pool.invoke(spec, request({}))).functionError, undefined);
}

describe('invocations sent ahead', () => {
  it('run once each, with their own output, logs and deadline, under a burst', async () => {
    const code = await dirs.code({
      'index.js': `exports.handler = async (event, context) => {
        console.log('log', event.n);
        process.stdout.write('out ' + event.n + '\\n');
        process.stderr.write('err ' + event.n); // no newline: the line ends with the invocation
        return { n: event.n, remaining: context.getRemainingTimeInMillis() };
      };`,
    });
    const pool = await pools.start({ maxEnvironments: 8 });
    const spec = specFor(code);
    await warmUp(pool, spec);

    const results = new Map<number, InvokeResult>();
    let next = 0;
    const total = 400;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const n = next++;
          results.set(n, await pool.invoke(spec, request({ n })));
        }
      }),
    );

    assert.ok(pool.stats().sentAhead > 0, 'a burst of a quick function sends invocations ahead');
    for (const [n, r] of results) {
      assert.equal(r.functionError, undefined, `invocation ${n}: ${r.payload.toString()}`);
      const body = json(r.payload);
      assert.equal(body.n, n);
      assert.ok(body.remaining > 2500, `invocation ${n} started with ${body.remaining} ms of its 3 s left`);
      assert.deepEqual(numberedLines(r).sort(), [`err ${n}`, `log ${n}`, `out ${n}`], `invocation ${n}'s lines: ${r.logLines.join(' | ')}`);
      // An environment the burst started (paced scale-out, more likely on a busy machine) logs its INIT_START first.
      const lines = r.logLines[0].startsWith('INIT_START ') ? r.logLines.slice(1) : r.logLines;
      assert.match(lines[0], /^START RequestId: /, r.logLines.join(' | '));
      assert.match(r.logLines.at(-1)!, /^REPORT RequestId: /);
    }
  });

  it('run once each with their own output and logs for a Python function too', async () => {
    const code = await dirs.code({
      'app.py': [
        'import logging, sys',
        'def handler(event, context):',
        '    n = event.get("n")',
        '    print("out", n)',
        '    sys.stderr.write("err %s" % n)  # no newline: the line ends with the invocation',
        '    logging.getLogger().warning("log %s", n)',
        '    return {"n": n, "remaining": context.get_remaining_time_in_millis()}',
        '',
      ].join('\n'),
    });
    const pool = await pools.start({ maxEnvironments: 4 });
    const spec = specFor(code, { runtime: 'python3.12', handler: 'app.handler' });
    await warmUp(pool, spec);
    const results = new Map<number, InvokeResult>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 200) {
          const n = next++;
          results.set(n, await pool.invoke(spec, request({ n })));
        }
      }),
    );
    assert.ok(pool.stats().sentAhead > 0, 'a burst of a quick Python function sends invocations ahead');
    for (const [n, r] of results) {
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload).n, n);
      assert.ok(json(r.payload).remaining > 2500);
      assert.deepEqual(numberedLines(r).sort(), [`err ${n}`, `log ${n}`, `out ${n}`], `invocation ${n}'s lines: ${r.logLines.join(' | ')}`);
    }
  });

  it('count their deadline from when they start, not from when they were sent', async () => {
    const code = await dirs.code({
      'index.js': `exports.handler = async (event, context) => {
        if (event.spinMs) { const until = Date.now() + event.spinMs; while (Date.now() < until); }
        return { remaining: context.getRemainingTimeInMillis() };
      };`,
    });
    const pool = await pools.start({ maxEnvironments: 1 });
    const spec = specFor(code);
    await warmUp(pool, spec);

    const [, queued] = await invokeBehind(pool, spec, { spinMs: 600 }, {});
    assert.equal(pool.stats().sentAhead, 1);
    assert.ok(json(queued.payload).remaining > 2800, `sent ahead, started with ${json(queued.payload).remaining} ms of 3000 left`);
    assert.ok(queued.durationMs < 400, `its Duration (${queued.durationMs} ms) does not include the wait`);
  });

  it('run in another environment, once, when the one they were sent to dies first', async () => {
    const marks = await dirs.make('stagecraft-marks-');
    const code = await dirs.code({
      'index.js': `const fs = require('node:fs');
      exports.handler = async (event) => {
        // A second run of one invocation would fail here.
        if (event.n !== undefined) fs.writeFileSync(process.env.MARKS + '/' + event.n, '', { flag: 'wx' });
        if (event.exit) { const until = Date.now() + 300; while (Date.now() < until); process.exit(3); }
        return { n: event.n };
      };`,
    });
    const pool = await pools.start({ maxEnvironments: 1, sandbox: 'off' });
    const spec = specFor(code, { environment: { MARKS: marks } });
    for (let i = 0; i < 3; i++) assert.equal((await pool.invoke(spec, request({}))).functionError, undefined);

    const dying = pool.invoke(spec, request({ n: 0, exit: true }));
    await new Promise((r) => setTimeout(r, 50));
    const behind = [1, 2, 3].map((n) => pool.invoke(spec, request({ n })));
    const crashed = await dying;
    const rest = await Promise.all(behind);

    assert.equal(crashed.functionError, 'Unhandled');
    assert.equal(json(crashed.payload).errorType, 'Runtime.ExitError');
    assert.ok(pool.stats().sentAhead >= 2, `sent ahead: ${pool.stats().sentAhead}`);
    rest.forEach((r, i) => {
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload).n, i + 1);
    });
    assert.deepEqual((await readdir(marks)).sort(), ['0', '1', '2', '3']);
  });

  it('are withdrawn after waiting as long as a cold start, and run in a new environment', async () => {
    const marks = await dirs.make('stagecraft-marks-');
    const code = await dirs.code({
      'index.js': `const fs = require('node:fs');
      exports.handler = async (event) => {
        if (event.n !== undefined) fs.writeFileSync(process.env.MARKS + '/' + event.n, '', { flag: 'wx' });
        if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
        return { n: event.n, at: Date.now() };
      };`,
    });
    const pool = await pools.start({ maxEnvironments: 2, sandbox: 'off' });
    const spec = specFor(code, { environment: { MARKS: marks } });
    await warmUp(pool, spec);

    const [slowResult, behind] = await invokeBehind(pool, spec, { n: 0, sleepMs: 1500 }, { n: 1 });
    assert.equal(pool.stats().sentAhead, 1);
    assert.equal(behind.functionError, undefined, behind.payload.toString());
    assert.ok(json(behind.payload).at < json(slowResult.payload).at, 'it did not wait for the slow invocation');
    assert.notEqual(behind.logStreamName, slowResult.logStreamName, 'it ran in another environment');
    assert.deepEqual((await readdir(marks)).sort(), ['0', '1'], 'each ran once');
  });

  it('are not used where the runtime takes invocations over the HTTP Runtime API', async () => {
    const code = await dirs.code({ 'index.js': 'exports.handler = async () => ({ ok: true });' });
    const pool = await pools.start({ maxEnvironments: 4, privateChannel: false });
    const spec = specFor(code);
    await warmUp(pool, spec);
    await Promise.all(Array.from({ length: 40 }, () => pool.invoke(spec, request({}))));
    assert.equal(pool.stats().sentAhead, 0);
  });
});
