// Pool behaviour: warm reuse, idle reaping, the global cap, eviction, closing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { EnvironmentPool, type EnvironmentPoolOptions } from './environment-pool.js';
import { EnvironmentCapacityError, EnvironmentLaunchError, PoolClosedError, SandboxUnavailableError, UnsupportedRuntimeError } from './errors.js';
import { TempDirs, TestPools, json, request, sleep, specFor } from './testing.js';

const dirs = new TempDirs();
// Without pre-started cells (prestarted-cells.test.ts covers those): the counts here are exact.
const pools = new TestPools(dirs, { prewarm: 0 });
after(async () => {
  await pools.closeAll();
  await dirs.cleanup();
});
const newPool = (options: Partial<EnvironmentPoolOptions> = {}): Promise<EnvironmentPool> => pools.start(options);

const ID_CODE = {
  'index.js': 'const id = Math.random().toString(36).slice(2); exports.handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, e.wait)); return id; };',
};

describe('EnvironmentPool', () => {
  it('reaps idle environments after idleMs', async () => {
    const pool = await newPool({ idleMs: 150 });
    const spec = specFor(await dirs.code(ID_CODE));
    const first = await pool.invoke(spec, request({}));
    assert.deepEqual(pool.stats(), { environments: 1, busy: 0, idle: 1, prestarted: 0, prestartedReady: 0, sentAhead: 0 });
    await sleep(600);
    assert.equal(pool.stats().environments, 0);
    const second = await pool.invoke(spec, request({}));
    assert.notEqual(json(second.payload), json(first.payload));
    assert.ok(second.initDurationMs !== undefined);
  });

  it('reports busy and idle environments', async () => {
    const pool = await newPool();
    const spec = specFor(await dirs.code(ID_CODE));
    const running = pool.invoke(spec, request({ wait: 400 }));
    await sleep(200);
    assert.deepEqual(pool.stats(), { environments: 1, busy: 1, idle: 0, prestarted: 0, prestartedReady: 0, sentAhead: 0 });
    await running;
    assert.deepEqual(pool.stats(), { environments: 1, busy: 0, idle: 1, prestarted: 0, prestartedReady: 0, sentAhead: 0 });
  });

  it('at the cap, stops an idle environment of another function to make room', async () => {
    const pool = await newPool({ maxEnvironments: 1 });
    const code = await dirs.code(ID_CODE);
    const a = specFor(code);
    const b = specFor(code);
    await pool.invoke(a, request({}));
    const rb = await pool.invoke(b, request({}));
    assert.equal(rb.functionError, undefined);
    assert.equal(pool.stats().environments, 1);
  });

  it('at the cap with everything busy, queues briefly then fails with TooManyRequestsException', async () => {
    const pool = await newPool({ maxEnvironments: 1, queueTimeoutMs: 200 });
    const code = await dirs.code(ID_CODE);
    const busy = pool.invoke(specFor(code), request({ wait: 1500 }));
    await sleep(100);
    const started = Date.now();
    await assert.rejects(pool.invoke(specFor(code), request({})), (e: unknown) => {
      assert.ok(e instanceof EnvironmentCapacityError);
      assert.equal(e.status, 429);
      assert.equal(e.code, 'TooManyRequestsException');
      return true;
    });
    assert.ok(Date.now() - started >= 190);
    await busy;
  });

  it('hands a freed environment to a queued invocation of the same function', async () => {
    const pool = await newPool({ maxEnvironments: 1, queueTimeoutMs: 5000 });
    const spec = specFor(await dirs.code(ID_CODE));
    const [a, b] = await Promise.all([pool.invoke(spec, request({ wait: 200 })), pool.invoke(spec, request({}))]);
    assert.equal(json(a.payload), json(b.payload));
  });

  it('frees a slot for a queued invocation of another function', async () => {
    const pool = await newPool({ maxEnvironments: 1, queueTimeoutMs: 5000 });
    const code = await dirs.code(ID_CODE);
    const [a, b] = await Promise.all([pool.invoke(specFor(code), request({ wait: 200 })), pool.invoke(specFor(code), request({}))]);
    assert.notEqual(json(a.payload), json(b.payload));
    assert.equal(b.functionError, undefined);
  });

  it('evicts environments by key prefix; busy ones after their invocation', async () => {
    const pool = await newPool();
    const spec = specFor(await dirs.code(ID_CODE));
    const first = json((await pool.invoke(spec, request({}))).payload);
    pool.evict(spec.key);
    const second = await pool.invoke(spec, request({ wait: 200 }));
    assert.notEqual(json(second.payload), first);
    const running = pool.invoke(spec, request({ wait: 300 }));
    await sleep(100);
    pool.evict(spec.key.slice(0, 20));
    assert.equal(json((await running).payload), json(second.payload), 'the running invocation finishes');
    await sleep(50);
    assert.equal(pool.stats().environments, 0);
  });

  it('stops a runtime whose init takes too long, runs init again with the invocation and stops it at the function timeout', async () => {
    const pool = await newPool({ initTimeoutMs: 400 });
    const spec = specFor(await dirs.code({ 'index.js': 'console.log("initialising"); const end = Date.now() + 5000; while (Date.now() < end); exports.handler = async () => 1;' }), { timeout: 1 });
    const started = Date.now();
    const r = await pool.invoke(spec, request({}, { requestId: 'slow-init' }));
    const took = Date.now() - started;
    assert.ok(took >= 1400 && took < 3500, `answered after ${took} ms`);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(json(r.payload).errorType, 'Sandbox.Timedout');
    const text = r.logLines.join('');
    assert.match(text, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: timeout\n.*initialising\nINIT_REPORT Init Duration: 1\d{3}\.\d\d ms\tPhase: invoke\tStatus: timeout\nSTART /);
    assert.equal(r.logLines.filter((l) => l.startsWith('INIT_START')).length, 1, text);
  });

  it('fails with a service error when the code directory is missing', async () => {
    const pool = await newPool();
    await assert.rejects(pool.invoke(specFor('/nonexistent/code/dir'), request({})), (e: unknown) => {
      assert.ok(e instanceof EnvironmentLaunchError);
      assert.equal(e.status, 500);
      return true;
    });
    assert.equal(pool.stats().environments, 0);
  });

  it('rejects runtimes it cannot run', async () => {
    const pool = await newPool();
    await assert.rejects(pool.invoke(specFor(await dirs.code(ID_CODE), { runtime: 'dotnet8' }), request({})), UnsupportedRuntimeError);
  });

  it('stops every process and its scratch directories on close', async () => {
    const workDir = await dirs.make();
    const pool = new EnvironmentPool({ maxEnvironments: 4, idleMs: 60_000, sandbox: 'auto', workDir, prewarm: 0 });
    await pool.start();
    const spec = specFor(await dirs.code({ 'index.js': 'exports.handler = async (e) => (e.hang ? new Promise(() => setInterval(() => {}, 1000)) : 1);' }));
    await Promise.all([pool.invoke(spec, request({})), pool.invoke(spec, request({}))]);
    const envDirs = async (): Promise<string[]> => (await readdir(workDir)).filter((d) => d.startsWith('env-'));
    // Unsandboxed, each has a host directory as its /tmp; sandboxed, /tmp is a tmpfs that goes with the sandbox.
    assert.equal((await envDirs()).length, pool.sandboxStatus().mode === 'bubblewrap' ? 0 : 2);
    const hung = pool.invoke(spec, request({ hang: true }, { deadlineMs: 60_000 }));
    await sleep(100);
    await pool.close();
    const r = await hung;
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(pool.stats().environments, 0);
    await sleep(50);
    assert.deepEqual(await envDirs(), []);
    await assert.rejects(pool.invoke(spec, request({})), PoolClosedError);
  });
});

describe('EnvironmentPool without a sandbox', () => {
  it('runs functions in their code directory with only the Lambda variables', async () => {
    const pool = await newPool({ sandbox: 'off' });
    assert.equal(pool.sandboxStatus().mode, 'none');
    const code = await dirs.code({ 'index.js': 'exports.handler = async () => ({ cwd: process.cwd(), env: process.env, tmp: require("os").tmpdir() });' });
    const r = await pool.invoke(specFor(code), request({}));
    const { cwd, env, tmp } = json(r.payload);
    assert.equal(cwd, code);
    assert.equal(env.LAMBDA_TASK_ROOT, code);
    assert.equal(env.HOME, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.notEqual(tmp, '/tmp', 'a private scratch directory');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'test-fn');
  });
});

describe('EnvironmentPool when bubblewrap cannot run', () => {
  it("with 'auto', runs functions unsandboxed and says why", async () => {
    const pool = await newPool({ sandbox: 'auto', bubblewrapPath: '/nonexistent/bwrap' });
    const status = pool.sandboxStatus();
    assert.equal(status.mode, 'none');
    assert.match(status.reason!, /\/nonexistent\/bwrap not found/);
    const r = await pool.invoke(specFor(await dirs.code(ID_CODE)), request({}));
    assert.equal(r.functionError, undefined);
  });

  it("with 'required', refuses to run functions", async () => {
    const pool = await newPool({ sandbox: 'required', bubblewrapPath: '/nonexistent/bwrap' });
    assert.equal(pool.sandboxStatus().mode, 'none');
    await assert.rejects(pool.invoke(specFor(await dirs.code(ID_CODE)), request({})), (e: unknown) => {
      assert.ok(e instanceof SandboxUnavailableError);
      assert.match(e.message, /sandbox is required but unavailable/);
      return true;
    });
    assert.equal(pool.stats().environments, 0);
  });
});
