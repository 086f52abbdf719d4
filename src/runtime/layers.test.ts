// Layers in an environment: the merged layer tree at /opt (read-only under bubblewrap), modules a
// Node.js handler can require and a Python handler can import from it, later layers winning, and
// the host directory on the search paths when environments run unsandboxed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentPool } from './environment-pool.js';
import { describeRuntime } from './runtimes.js';
import { linkTree } from './link-tree.js';
import { TempDirs, json, request, specFor } from './testing.js';

const dirs = new TempDirs();
const pools: EnvironmentPool[] = [];

async function newPool(sandbox: 'auto' | 'off'): Promise<EnvironmentPool> {
  const pool = new EnvironmentPool({ maxEnvironments: 8, idleMs: 60_000, sandbox, workDir: await dirs.make() });
  await pool.start();
  pools.push(pool);
  return pool;
}

/** Two layers merged in order, as the Lambda side builds /opt: the second one's files win. */
async function mergedLayers(): Promise<string> {
  const first = await dirs.code({
    'nodejs/node_modules/greeting/index.js': 'module.exports = "hello from layer one";\n',
    'nodejs/node20/node_modules/versioned/index.js': 'module.exports = "node20 path";\n',
    'python/greeting.py': 'TEXT = "hello from layer one"\n',
    'shared.txt': 'one',
  });
  const second = await dirs.code({
    'nodejs/node_modules/greeting/index.js': 'module.exports = "hello from layer two";\n',
    'python/lib/python3.12/site-packages/sitepkg.py': 'TEXT = "from site-packages"\n',
    'shared.txt': 'two',
  });
  const opt = await dirs.make('stagecraft-opt-');
  await linkTree(first, opt, { merge: true });
  await linkTree(second, opt, { merge: true });
  return opt;
}

const NODE_HANDLER = `
const fs = require('fs');
exports.handler = async (e) => {
  const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (err) { return err.code; } };
  const tryLs = (p) => { try { return fs.readdirSync(p).sort(); } catch (err) { return err.code; } };
  if (e.op === 'ls') return tryLs('/opt');
  return {
    greeting: require('greeting'),
    versioned: require('versioned'),
    shared: fs.readFileSync(process.env.NODE_PATH.split(':')[1].replace(/\\/nodejs\\/node_modules$/, '') + '/shared.txt', 'utf8'),
    // (unsandboxed, /opt is the host's: not written to)
    write: e.host ? 'not tried' : tryWrite('/opt/new-file'),
    nodePath: process.env.NODE_PATH,
  };
};`;

let opt: string;
before(async () => {
  opt = await mergedLayers();
});
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await dirs.cleanup();
});

describe('layers', () => {
  it('a Node.js handler requires modules from /opt, later layers win, and /opt is read-only in the sandbox', async (t) => {
    const pool = await newPool('auto');
    if (pool.sandboxStatus().mode !== 'bubblewrap') return t.skip('bubblewrap is not available here');
    const spec = specFor(await dirs.code({ 'index.js': NODE_HANDLER }), { optDir: opt });
    const result = await pool.invoke(spec, request());
    assert.equal(result.functionError, undefined, result.payload.toString());
    assert.deepEqual(json(result.payload), {
      greeting: 'hello from layer two',
      versioned: 'node20 path',
      shared: 'two',
      write: 'EROFS',
      nodePath: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
    });
    assert.deepEqual(json((await pool.invoke(spec, request({ op: 'ls' }))).payload), ['nodejs', 'python', 'shared.txt']);
  });

  it('a function without layers sees an empty /opt, not another function\'s layers', async (t) => {
    const pool = await newPool('auto');
    if (pool.sandboxStatus().mode !== 'bubblewrap') return t.skip('bubblewrap is not available here');
    const code = await dirs.code({ 'index.js': NODE_HANDLER });
    await pool.invoke(specFor(code, { optDir: opt }), request({ op: 'ls' }));
    assert.deepEqual(json((await pool.invoke(specFor(code), request({ op: 'ls' }))).payload), [], 'an empty /opt, as on AWS');
  });

  it('a Python handler imports from /opt/python and its site-packages', async (t) => {
    if (!describeRuntime('python3.12')) return t.skip('no python3 on this host');
    const pool = await newPool('auto');
    if (pool.sandboxStatus().mode !== 'bubblewrap') return t.skip('bubblewrap is not available here');
    const code = await dirs.code({
      'lambda_function.py': 'import sys, greeting, sitepkg\n\ndef lambda_handler(event, context):\n    return [greeting.TEXT, sitepkg.TEXT, sys.path[1:3]]\n',
    });
    const result = await pool.invoke(specFor(code, { runtime: 'python3.12', handler: 'lambda_function.lambda_handler', optDir: opt }), request());
    assert.equal(result.functionError, undefined, result.payload.toString());
    assert.deepEqual(json(result.payload), ['hello from layer one', 'from site-packages', ['/opt/python/lib/python3.12/site-packages', '/opt/python']]);
  });

  it('unsandboxed, the search paths point at the host directory of the merged layers', async () => {
    const pool = await newPool('off');
    const spec = specFor(await dirs.code({ 'index.js': NODE_HANDLER }), { optDir: opt });
    const result = await pool.invoke(spec, request({ host: true }));
    assert.equal(result.functionError, undefined, result.payload.toString());
    const out = json(result.payload);
    assert.equal(out.greeting, 'hello from layer two');
    assert.equal(out.versioned, 'node20 path');
    assert.equal(out.shared, 'two');
    assert.ok(out.nodePath.startsWith(`${opt}/nodejs/node20/node_modules:${opt}/nodejs/node_modules:`), out.nodePath);
    if (describeRuntime('python3.12')) {
      const code = await dirs.code({ 'lambda_function.py': 'import greeting, sitepkg\n\ndef lambda_handler(event, context):\n    return [greeting.TEXT, sitepkg.TEXT]\n' });
      const py = await pool.invoke(specFor(code, { runtime: 'python3.12', handler: 'lambda_function.lambda_handler', optDir: opt }), request());
      assert.deepEqual(json(py.payload), ['hello from layer one', 'from site-packages']);
    }
  });
});
