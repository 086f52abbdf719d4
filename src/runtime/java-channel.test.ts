// Java functions on the private channel (bootstraps/java/stagecraft/lambda/ChannelApi.java): warm
// invocations travel there — so the platform sends them ahead to a busy JVM, which only the channel
// allows — and what each writes (System.out, System.err, LambdaLogger records) lands in its own
// invocation; one sent ahead counts its deadline from when it starts, and one withdrawn runs
// elsewhere once. Without the channel (privateChannel: false) the HTTP Runtime API serves the same.
// Skipped without a JDK, unless STAGECRAFT_REQUIRE_JAVA=1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import type { EnvironmentPool } from './environment-pool.js';
import { TempDirs, TestPools, invokeBehind, json, request, specFor } from './testing.js';
import type { FunctionSpec, InvokeResult } from './types.js';
import { compileJava, javaSkip } from '../testing/java.js';

const dirs = new TempDirs();
const pools = new TestPools(dirs, { prewarm: 0 });
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});

/** Writes "out n" (System.out), "err n" (System.err, no newline) and a two-line LambdaLogger record; may spin, sleep or mark its run. */
const HANDLER = `package chan;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

public class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Object n = event.get("n");
        try {
            if (n != null && System.getenv("MARKS") != null && !new File(System.getenv("MARKS"), String.valueOf(n)).createNewFile()) throw new IllegalStateException("ran twice: " + n);
            if (event.get("sleepMs") != null) Thread.sleep(((Number) event.get("sleepMs")).longValue());
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        if (event.get("spinMs") != null) {
            long until = System.currentTimeMillis() + ((Number) event.get("spinMs")).longValue();
            while (System.currentTimeMillis() < until) Thread.onSpinWait();
        }
        System.out.println("out " + n);
        System.err.print("err " + n);
        context.getLogger().log("log " + n + "\\nsecond line of " + n);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("n", n);
        result.put("remaining", context.getRemainingTimeInMillis());
        result.put("at", System.currentTimeMillis());
        return result;
    }
}
`;

let code: string;
before(async () => {
  if (javaSkip) return;
  const classes = await compileJava({ 'chan/Handler.java': HANDLER });
  code = await dirs.code(classes);
});

const javaSpec = (overrides: Partial<FunctionSpec> = {}): FunctionSpec => specFor(code, { runtime: 'java17', handler: 'chan.Handler', memorySize: 256, ...overrides });

/** The lines a result's handler wrote about invocation numbers. */
const numberedLines = (r: InvokeResult): string[] => r.logLines.flatMap((l) => l.match(/\b(?:log|out|err) \d+|second line of \d+/g) ?? []);

async function warmUp(pool: EnvironmentPool, spec: FunctionSpec): Promise<void> {
  for (let i = 0; i < 3; i++) assert.equal((await pool.invoke(spec, request({}))).functionError, undefined);
}

/** Invokes `spec` `total` times from `concurrency` callers, numbering the events. */
async function burst(pool: EnvironmentPool, spec: FunctionSpec, total: number, concurrency: number): Promise<Map<number, InvokeResult>> {
  const results = new Map<number, InvokeResult>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const n = next++;
        results.set(n, await pool.invoke(spec, request({ n })));
      }
    }),
  );
  return results;
}

/** Each invocation answered its own event and logged its own lines: two output lines and one record of two lines. */
function assertOwnLines(results: Map<number, InvokeResult>): void {
  for (const [n, r] of results) {
    assert.equal(r.functionError, undefined, `invocation ${n}: ${r.payload.toString()}`);
    assert.equal(json(r.payload).n, n);
    assert.ok(json(r.payload).remaining > 2500, `invocation ${n} started with ${json(r.payload).remaining} ms of its 3 s left`);
    assert.deepEqual(numberedLines(r).sort(), [`err ${n}`, `log ${n}`, `out ${n}`, `second line of ${n}`], `invocation ${n}'s lines: ${r.logLines.join(' | ')}`);
    assert.ok(r.logLines.some((l) => l.includes(`log ${n}\nsecond line of ${n}`)), 'a LambdaLogger record stays one event');
    // An environment the burst started logs its INIT_START first.
    const lines = r.logLines[0].startsWith('INIT_START ') ? r.logLines.slice(1) : r.logLines;
    assert.match(lines[0], /^START RequestId: /, r.logLines.join(' | '));
    assert.match(r.logLines.at(-1)!, /^REPORT RequestId: /);
    assert.ok(r.maxMemoryUsedMb > 16, `Max Memory Used: ${r.maxMemoryUsedMb} MB`);
  }
}

describe('Java invocations on the private channel', { skip: javaSkip }, () => {
  it('are sent ahead to a busy JVM, each run once with its own output and LambdaLogger records', async () => {
    const pool = await pools.start({ maxEnvironments: 4 });
    const spec = javaSpec();
    await warmUp(pool, spec);
    const results = await burst(pool, spec, 200, 16);
    assert.ok(pool.stats().sentAhead > 0, 'a burst of a quick Java function sends invocations ahead (the channel only)');
    assertOwnLines(results);
  });

  it('count the deadline of one sent ahead from when it starts', async () => {
    const pool = await pools.start({ maxEnvironments: 1 });
    const spec = javaSpec();
    await warmUp(pool, spec);
    const [, queued] = await invokeBehind(pool, spec, { spinMs: 600 }, {});
    assert.equal(pool.stats().sentAhead, 1);
    assert.ok(json(queued.payload).remaining > 2800, `sent ahead, started with ${json(queued.payload).remaining} ms of 3000 left`);
    assert.ok(queued.durationMs < 400, `its Duration (${queued.durationMs} ms) does not include the wait`);
  });

  it('withdraw one sent ahead that waited too long: it runs in another JVM, once', async () => {
    const marks = await dirs.make('stagecraft-marks-');
    const pool = await pools.start({ maxEnvironments: 2, sandbox: 'off' });
    const spec = javaSpec({ environment: { MARKS: marks } });
    await warmUp(pool, spec);
    const [slowResult, behind] = await invokeBehind(pool, spec, { n: 0, sleepMs: 1500 }, { n: 1 });
    assert.equal(pool.stats().sentAhead, 1);
    assert.equal(behind.functionError, undefined, behind.payload.toString());
    assert.ok(json(behind.payload).at < json(slowResult.payload).at, 'it did not wait for the slow invocation');
    assert.notEqual(behind.logStreamName, slowResult.logStreamName, 'it ran in another JVM');
    assert.deepEqual((await readdir(marks)).sort(), ['0', '1'], 'each ran once');
    // The slow JVM goes on serving.
    assert.equal((await pool.invoke(spec, request({ n: 2 }))).functionError, undefined);
  });

  it('travel over the HTTP Runtime API when the pool keeps them off the channel, with the same output', async () => {
    const pool = await pools.start({ maxEnvironments: 4, privateChannel: false });
    const spec = javaSpec();
    await warmUp(pool, spec);
    const results = await burst(pool, spec, 40, 4);
    assert.equal(pool.stats().sentAhead, 0);
    for (const [n, r] of results) {
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload).n, n);
      assert.ok(r.logLines.some((l) => l.includes(`log ${n}\nsecond line of ${n}`)), 'a LambdaLogger record stays one event');
      assert.ok(r.logLines.some((l) => l.includes(`out ${n}`)));
    }
  });
});
