// Pre-started cells: generic bootstrap processes specialised for one function on its cold start.
// Real processes, sandboxed when bubblewrap works here and unsandboxed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentPool, type EnvironmentPoolOptions } from './environment-pool.js';
import { describeRuntime } from './runtimes.js';
import { PYTHON_UPTIME, TempDirs, json, request, sleep, specFor } from './testing.js';

const dirs = new TempDirs();
const pools: EnvironmentPool[] = [];
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await dirs.cleanup();
});

async function newPool(options: Partial<EnvironmentPoolOptions> = {}): Promise<EnvironmentPool> {
  const pool = new EnvironmentPool({ maxEnvironments: 4, idleMs: 60_000, sandbox: 'auto', workDir: await dirs.make(), ...options });
  pools.push(pool);
  await pool.start();
  return pool;
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const readyCells = (pool: EnvironmentPool, n = 1) => until(`${n} ready cell(s)`, () => pool.stats().prestartedReady >= n);

/** Reports what the function sees: uptime, variables, its task root, and whether another path is readable. */
const PROBE = `
const fs = require('fs');
exports.handler = async (e) => {
  let other = 'unreadable';
  try { other = fs.readdirSync(e.peek).join(','); } catch {}
  return {
    uptime: process.uptime(),
    env: { ...process.env },
    cwd: process.cwd(),
    task: fs.readdirSync(process.env.LAMBDA_TASK_ROOT).sort(),
    data: fs.readFileSync(process.env.LAMBDA_TASK_ROOT + '/lib/data.txt', 'utf8'),
    other,
    maxHeaderSize: require('http').maxHeaderSize,
  };
};`;

const probeCode = (name: string) => dirs.code({ 'index.js': PROBE, [`lib/data.txt`]: `data of ${name}`, [`${name}.secret`]: name });

const report = (lines: string[]) => {
  const line = lines.find((l) => l.startsWith('REPORT '));
  assert.ok(line, lines.join('\n'));
  const mem = Number(/Max Memory Used: (\d+) MB/.exec(line)![1]);
  const init = /Init Duration: ([\d.]+) ms/.exec(line);
  return { mem, init: init ? Number(init[1]) : undefined };
};

for (const sandbox of ['auto', 'off'] as const) {
  describe(`pre-started cells (sandbox ${sandbox})`, () => {
    it('keeps one nodejs/128 MB cell ready from the start, uses it for a cold start and replaces it', async () => {
      const pool = await newPool({ sandbox });
      await readyCells(pool);
      assert.deepEqual(pool.stats(), { environments: 0, busy: 0, idle: 0, prestarted: 1, prestartedReady: 1, sentAhead: 0 });
      await sleep(600);
      const code = await probeCode('a');
      const spec = specFor(code, { functionName: 'fn-a' });
      const r = await pool.invoke(spec, request({ peek: '/' }));
      assert.equal(r.functionError, undefined, r.payload.toString());
      // The process started before this function was ever invoked: it was the cell.
      assert.ok(json(r.payload).uptime >= 0.5, `uptime ${json(r.payload).uptime}`);
      const { init, mem } = report(r.logLines);
      assert.ok(init !== undefined && init > 0 && Math.abs(r.initDurationMs! - init) < 0.01, r.logLines.join('\n'));
      assert.ok(mem >= 10 && mem <= 128, `Max Memory Used ${mem}`);
      assert.ok(r.logLines[0].startsWith('INIT_START Runtime Version: nodejs:20.v1'), r.logLines[0]);
      // Replaced in the background; the specialised environment stays warm for its function.
      await readyCells(pool);
      assert.deepEqual(pool.stats(), { environments: 1, busy: 0, idle: 1, prestarted: 1, prestartedReady: 1, sentAhead: 0 });
      const warm = await pool.invoke(spec, request({ peek: '/' }));
      assert.equal(warm.functionError, undefined);
      assert.equal(warm.logStreamName, r.logStreamName);
      assert.equal(report(warm.logLines).init, undefined);
    });

    it('a function of another nodejs version, served by the shared nodejs cell, reports its own runtime version', async () => {
      const pool = await newPool({ sandbox });
      await readyCells(pool);
      await sleep(600);
      const r = await pool.invoke(specFor(await probeCode('a'), { functionName: 'fn-22', runtime: 'nodejs22.x' }), request({ peek: '/' }));
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.ok(json(r.payload).uptime >= 0.5, `served by the cell (uptime ${json(r.payload).uptime})`);
      assert.ok(r.logLines[0].startsWith('INIT_START Runtime Version: nodejs:22.v1\t'), r.logLines[0]);
      assert.equal(json(r.payload).env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
    });

    it('specialises with exactly the variables and code a fresh process gets', async () => {
      const code = await probeCode('a');
      const environment = { GREETING: 'hello', AWS_LAMBDA_FUNCTION_NAME: 'spoofed', NODE_ENV: 'production' };
      const spec = { functionName: 'fn-env', memorySize: 128, environment };
      const cellPool = await newPool({ sandbox });
      await readyCells(cellPool);
      await sleep(600);
      const fromCell = json((await cellPool.invoke(specFor(code, spec), request({ peek: '/' }))).payload);
      // The process started before this function was ever invoked: it was the cell.
      assert.ok(fromCell.uptime >= 0.5, `the first came from a cell (uptime ${fromCell.uptime})`);
      const freshPool = await newPool({ sandbox, prewarm: 0 });
      const fresh = json((await freshPool.invoke(specFor(code, spec), request({ peek: '/' }))).payload);
      // Same variable names; same values except the per-environment ones.
      assert.deepEqual(Object.keys(fromCell.env).sort(), Object.keys(fresh.env).sort());
      const perEnvironment = new Set(['AWS_LAMBDA_RUNTIME_API', 'AWS_LAMBDA_LOG_STREAM_NAME', '_X_AMZN_TRACE_ID', 'TMPDIR', 'LAMBDA_TASK_ROOT', 'NODE_PATH']);
      for (const [k, v] of Object.entries(fresh.env)) if (!perEnvironment.has(k)) assert.equal(fromCell.env[k], v, k);
      assert.equal(fromCell.env.GREETING, 'hello');
      assert.equal(fromCell.env.NODE_ENV, 'production');
      assert.equal(fromCell.env.AWS_LAMBDA_FUNCTION_NAME, 'fn-env', 'reserved variables win');
      assert.equal(fromCell.env._STAGECRAFT_CELL, undefined);
      assert.deepEqual(fromCell.task, ['a.secret', 'index.js', 'lib']);
      assert.equal(fromCell.data, 'data of a');
      assert.equal(fromCell.cwd, fromCell.env.LAMBDA_TASK_ROOT);
      if (sandbox === 'auto' && cellPool.sandboxStatus().mode === 'bubblewrap') assert.equal(fromCell.env.LAMBDA_TASK_ROOT, '/var/task');
    });

    it("never shows one function's code to another", async () => {
      const pool = await newPool({ sandbox });
      const codeA = await probeCode('a');
      const codeB = await probeCode('b');
      // A cell has been alive since before the pause; a fresh process would have just started.
      await readyCells(pool);
      await sleep(300);
      const a = json((await pool.invoke(specFor(codeA, { functionName: 'fn-a', environment: { ONLY_A: '1' } }), request({ peek: codeB }))).payload);
      await readyCells(pool);
      await sleep(300);
      const b = json((await pool.invoke(specFor(codeB, { functionName: 'fn-b' }), request({ peek: codeA }))).payload);
      assert.ok(a.uptime >= 0.3 && b.uptime >= 0.3, `both came from cells (uptimes ${a.uptime}, ${b.uptime})`);
      assert.deepEqual(a.task, ['a.secret', 'index.js', 'lib']);
      assert.deepEqual(b.task, ['b.secret', 'index.js', 'lib']);
      assert.equal(b.data, 'data of b');
      assert.equal(b.env.ONLY_A, undefined);
      assert.notEqual(a.env.LAMBDA_TASK_ROOT === b.env.LAMBDA_TASK_ROOT && sandbox === 'off', true, 'unsandboxed cells have task directories of their own');
      if (pool.sandboxStatus().mode === 'bubblewrap') {
        // The other function's code directory does not exist inside the sandbox.
        assert.equal(a.other, 'unreadable');
        assert.equal(b.other, 'unreadable');
      }
    });

    it('starts functions whose variables only work at process start (NODE_OPTIONS) fresh, leaving the cell', async () => {
      const pool = await newPool({ sandbox });
      await readyCells(pool);
      const code = await probeCode('a');
      const r = await pool.invoke(specFor(code, { environment: { NODE_OPTIONS: '--max-http-header-size=12345' } }), request({ peek: '/' }));
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload).maxHeaderSize, 12345);
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
    });

    it('serves a function whose handler module registers an internal extension at init', async () => {
      const pool = await newPool({ sandbox });
      await readyCells(pool);
      await sleep(600);
      const code = await dirs.code({ 'index.mjs': INTERNAL_EXTENSION_HANDLER });
      const spec = specFor(code, { functionName: 'fn-internal', handler: 'index.handler' });
      const req = request();
      const first = await pool.invoke(spec, req);
      assert.equal(first.functionError, undefined, first.payload.toString());
      assert.ok(json(first.payload).uptime >= 0.5, 'the cell served it');
      assert.equal(json(first.payload).registered, 200);
      assert.ok(first.logLines.includes('EXTENSION\tName: in-process\tState: Ready\tEvents: [INVOKE]\n'), first.logLines.join('\n'));
      await first.finalLogLines;
      const second = await pool.invoke(spec, request());
      assert.equal(json(second.payload).seen[0], req.requestId, "the extension got the first invocation's INVOKE");
    });
  });
}

/** A handler module that registers an internal extension during its init and lists the INVOKE events' request ids. */
const INTERNAL_EXTENSION_HANDLER = `
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2020-01-01/extension';
const r = await fetch(base + '/register', { method: 'POST', headers: { 'Lambda-Extension-Name': 'in-process' }, body: '{"events":["INVOKE"]}' });
const id = r.headers.get('lambda-extension-identifier');
const seen = [];
(async () => {
  for (;;) seen.push((await (await fetch(base + '/event/next', { headers: { 'Lambda-Extension-Identifier': id } })).json()).requestId);
})();
export const handler = async () => ({ uptime: process.uptime(), registered: r.status, seen });
`;

describe('pre-started cells: memory and the cap', () => {
  it('reports Max Memory Used from the runtime itself', async () => {
    const pool = await newPool();
    await readyCells(pool);
    const code = await dirs.code({ 'index.js': 'let keep; exports.handler = async (e) => { if (e.mb) keep = Buffer.alloc(e.mb * 1048576, 1); return 1; };' });
    const spec = specFor(code, { memorySize: 256 });
    const small = report((await pool.invoke(spec, request({}))).logLines).mem;
    assert.ok(small >= 10 && small < 100, `Max Memory Used ${small}`);
    const big = report((await pool.invoke(spec, request({ mb: 120 }))).logLines).mem;
    assert.ok(big >= 120 && big <= 256, `Max Memory Used ${big}`);
  });

  it('counts cells against the cap, gives them up for invocations, and keeps other memory sizes once used', async () => {
    const pool = await newPool({ maxEnvironments: 2 });
    await readyCells(pool);
    const code = await dirs.code({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.wait || 0)); return 1; };' });
    // Two functions at once: one takes the cell, one spawns; no room is left for a new cell.
    const [r1, r2] = await Promise.all([pool.invoke(specFor(code), request({ wait: 300 })), pool.invoke(specFor(code), request({ wait: 300 }))]);
    assert.equal(r1.functionError, undefined);
    assert.equal(r2.functionError, undefined);
    await sleep(100);
    assert.deepEqual(pool.stats(), { environments: 2, busy: 0, idle: 2, prestarted: 0, prestartedReady: 0, sentAhead: 0 });
    pool.evict('');
    await readyCells(pool);
    // At the cap with a cell that does not fit (512 MB): the cell makes room.
    const other = await pool.invoke(specFor(code, { memorySize: 512 }), request({}));
    const other2 = await pool.invoke(specFor(code, { memorySize: 512 }), request({}));
    assert.equal(other.functionError, undefined);
    assert.equal(other2.functionError, undefined);
    assert.ok(pool.stats().environments + pool.stats().prestarted <= 2);
  });

  it('keeps a cell for another memory size once a function used it', async () => {
    const pool = await newPool();
    const code = await dirs.code({ 'index.js': 'exports.handler = async () => process.uptime();' });
    const first = await pool.invoke(specFor(code, { memorySize: 512 }), request({}));
    assert.equal(first.functionError, undefined);
    await readyCells(pool, 2);
    await sleep(500);
    const second = await pool.invoke(specFor(code, { memorySize: 512 }), request({}));
    assert.ok(json(second.payload) >= 0.5, 'from the 512 MB cell');
    assert.ok(report(second.logLines).mem <= 512);
  });

  it('with prewarm 0 starts no cells', async () => {
    const pool = await newPool({ prewarm: 0 });
    await sleep(200);
    assert.equal(pool.stats().prestarted, 0);
  });
});

describe('pre-started cells: python', { skip: describeRuntime('python3.12') === undefined && 'no python3 on this host' }, () => {
  const PYTHON_PROBE = [
    'import os',
    ...PYTHON_UPTIME,
    'def lambda_handler(event, context):',
    '    with open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "data.txt")) as f:',
    '        data = f.read()',
    '    return {"uptime": uptime(), "env": dict(os.environ), "data": data, "task": sorted(os.listdir(os.environ["LAMBDA_TASK_ROOT"]))}',
    '',
  ].join('\n');

  it('keeps a python cell once a function used one, and specialises it with that function\'s variables and code only', async () => {
    const pool = await newPool({ prewarmFor: [{ runtime: 'python3.12', memorySize: 128 }] });
    await readyCells(pool);
    await sleep(600);
    const a = specFor(await dirs.code({ 'lambda_function.py': PYTHON_PROBE, 'data.txt': 'data of a', 'a.secret': 'a' }), {
      functionName: 'py-a', runtime: 'python3.12', handler: 'lambda_function.lambda_handler', environment: { ONLY_A: 'yes' },
    });
    const first = await pool.invoke(a, request({}));
    assert.equal(first.functionError, undefined, first.payload.toString());
    const p = json(first.payload);
    assert.ok(p.uptime >= 0.5, `the process started ${p.uptime} s before: not the cell`);
    assert.equal(p.data, 'data of a');
    assert.deepEqual(p.task, ['a.secret', 'data.txt', 'lambda_function.py']);
    assert.equal(p.env.ONLY_A, 'yes');
    assert.equal(p.env.AWS_LAMBDA_FUNCTION_NAME, 'py-a');
    assert.equal(p.env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
    assert.equal(p.env._STAGECRAFT_CELL, undefined);
    assert.ok(first.logLines[0].startsWith('INIT_START Runtime Version: python:3.12'), first.logLines[0]);
    assert.ok(first.initDurationMs !== undefined);

    // The replacement cell serves another function with none of the first one's variables or code.
    await readyCells(pool);
    const b = specFor(await dirs.code({ 'lambda_function.py': PYTHON_PROBE, 'data.txt': 'data of b' }), {
      functionName: 'py-b', runtime: 'python3.12', handler: 'lambda_function.lambda_handler',
    });
    const other = json((await pool.invoke(b, request({}))).payload);
    assert.equal(other.data, 'data of b');
    assert.deepEqual(other.task, ['data.txt', 'lambda_function.py']);
    assert.equal(other.env.ONLY_A, undefined);
    assert.equal(pool.stats().environments, 2);
  });
});
