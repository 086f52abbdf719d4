// Functions with layers served by pre-started cells (layer-cells.ts): the cell's /opt shows the
// function's merged layers once specialised, and its handler finds them exactly as a fresh process
// does (require, import, files, sys.path); layers with external extensions are served by cells of
// their own kind (behind the extensions' launcher); too many entries to link start fresh and leave the cell. Sandboxed when bubblewrap works here, and unsandboxed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { EnvironmentPool, type EnvironmentPoolOptions } from './environment-pool.js';
import { MAX_LINKED_ENTRIES } from './layer-cells.js';
import { describeRuntime } from './runtimes.js';
import { EXTENSION, PYTHON_UPTIME, TempDirs, json, request, sleep, specFor } from './testing.js';
import type { FunctionSpec } from './types.js';

const dirs = new TempDirs();
const pools: EnvironmentPool[] = [];
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await dirs.cleanup();
});

async function newPool(options: Partial<EnvironmentPoolOptions> & Pick<EnvironmentPoolOptions, 'sandbox'>): Promise<EnvironmentPool> {
  const pool = new EnvironmentPool({ maxEnvironments: 4, idleMs: 60_000, workDir: await dirs.make(), ...options });
  pools.push(pool);
  await pool.start();
  return pool;
}

async function readyCell(pool: EnvironmentPool): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pool.stats().prestartedReady < 1) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a ready cell');
    await sleep(10);
  }
}

const LAYER = {
  'nodejs/node_modules/greeting/index.js': 'module.exports = "hello from the layer";\n',
  'nodejs/node20/node_modules/versioned/index.js': 'module.exports = "node20 path";\n',
  // An ES module package of the layer that imports another one of the layer by name.
  'nodejs/node_modules/esmpkg/package.json': '{ "type": "module", "exports": "./main.js" }\n',
  'nodejs/node_modules/esmpkg/main.js': 'import greeting from "greeting";\nexport default `esm: ${greeting}`;\n',
  'python/greeting.py': 'TEXT = "hello from the layer"\n',
  'python/lib/python3.12/site-packages/sitepkg.py': 'TEXT = "from site-packages"\n',
  'data.txt': 'layer data',
};

/** What the handler finds of its layers; `root` is /opt (sandboxed) or, unsandboxed, the merged tree's host directory. */
const NODE_HANDLER = `
const fs = require('fs');
exports.handler = async () => {
  const root = process.env.NODE_PATH.split(':')[1].replace(/\\/nodejs\\/node_modules$/, '');
  let opt;
  try { opt = fs.readdirSync('/opt').sort(); } catch (err) { opt = err.code; }
  return {
    uptime: process.uptime(),
    required: [require('greeting'), require('versioned')],
    imported: (await import(root + '/nodejs/node_modules/esmpkg/main.js')).default,
    importedByName: await import('esmpkg').then((m) => m.default, (err) => err.code),
    file: fs.readFileSync(root + '/data.txt', 'utf8'),
    opt,
    // (unsandboxed, a cell's task root is a directory of its own)
    NODE_PATH: process.env.NODE_PATH.replace(process.env.LAMBDA_TASK_ROOT, '<task root>'),
    PATH: process.env.PATH,
  };
};`;

const PYTHON_HANDLER = [
  'import os, sys, time, greeting, sitepkg',
  ...PYTHON_UPTIME,
  'def lambda_handler(event, context):',
  '    return {"uptime": uptime(), "imported": [greeting.TEXT, sitepkg.TEXT], "path": [p for p in sys.path if "python3.12/site-packages" in p or p.endswith("/python")]}',
  '',
].join('\n');

/** Invokes once to have the layers surveyed (that cold start is fresh), then again from the cell: both payloads. */
async function fromCell(pool: EnvironmentPool, first: FunctionSpec, second: FunctionSpec): Promise<any> {
  const primed = await pool.invoke(first, request());
  assert.equal(primed.functionError, undefined, primed.payload.toString());
  await readyCell(pool);
  await sleep(600);
  const r = await pool.invoke(second, request());
  assert.equal(r.functionError, undefined, r.payload.toString());
  const out = json(r.payload);
  // The process started before this function was ever invoked: it was the cell.
  assert.ok(out.uptime >= 0.5, `served by a cell (uptime ${out.uptime})`);
  return out;
}

const withoutUptime = ({ uptime: _, ...rest }: Record<string, unknown>) => rest;

/**
 * EXTENSION, also keeping the variables it was started with: those that differ by environment left
 * out, and the task root named (unsandboxed, a cell's is its own directory, as for its runtime).
 */
const ENV_EXTENSION = EXTENSION.replace(
  "const fs = require('fs');",
  `const fs = require('fs');
const { AWS_LAMBDA_LOG_STREAM_NAME, AWS_LAMBDA_RUNTIME_API, TMPDIR, PWD, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, ...variables } = process.env;
for (const k in variables) variables[k] = variables[k].split(LAMBDA_TASK_ROOT).join('$LAMBDA_TASK_ROOT');
fs.writeFileSync(require('os').tmpdir() + '/variables.json', JSON.stringify(variables));`,
);

/** What the handler sees of ENV_EXTENSION: its registration, its INVOKE for this request, its variables (through the shared /tmp). */
const EXTENSION_HANDLER = `
const fs = require('fs'), os = require('os');
const read = (f) => { try { return fs.readFileSync(os.tmpdir() + '/' + f, 'utf8'); } catch { return ''; } };
exports.handler = async (event, context) => {
  for (let i = 0; i < 200 && !read('events-ext-a.jsonl').includes(context.awsRequestId); i++) await new Promise((r) => setTimeout(r, 10));
  const events = read('events-ext-a.jsonl').trim().split('\\n').map(JSON.parse);
  return {
    uptime: process.uptime(),
    registered: events[0],
    invoke: events[1].eventType + (events[1].requestId === context.awsRequestId ? ' for this request' : ' for another'),
    variables: JSON.parse(read('variables.json')),
  };
};`;

for (const sandbox of ['auto', 'off'] as const) {
  describe(`layers in pre-started cells (sandbox ${sandbox})`, () => {
    it('a Node.js function with layers is served by a cell and requires, imports and reads them as a fresh process does', async () => {
      const opt = await dirs.code(LAYER);
      const code = await dirs.code({ 'index.js': NODE_HANDLER });
      const pool = await newPool({ sandbox });
      await readyCell(pool);
      const cell = await fromCell(pool, specFor(code, { functionName: 'primer', optDir: opt }), specFor(code, { functionName: 'layered', optDir: opt }));
      const fresh = json((await (await newPool({ sandbox, prewarm: 0 })).invoke(specFor(code, { functionName: 'layered', optDir: opt }), request())).payload);
      assert.deepEqual(withoutUptime(cell), withoutUptime(fresh));
      assert.deepEqual(cell.required, ['hello from the layer', 'node20 path']);
      assert.equal(cell.imported, 'esm: hello from the layer');
      assert.equal(cell.file, 'layer data');
      assert.ok(cell.PATH.endsWith(':/opt/bin'), cell.PATH);
      if (pool.sandboxStatus().mode === 'bubblewrap') {
        assert.deepEqual(cell.opt, ['data.txt', 'nodejs', 'python']);
        assert.ok(cell.NODE_PATH.startsWith('/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:'), cell.NODE_PATH);
      } else {
        assert.ok(cell.NODE_PATH.startsWith(`${opt}/nodejs/node20/node_modules:${opt}/nodejs/node_modules:`), cell.NODE_PATH);
      }
    });

    it('the next cell shows a function without layers an empty /opt', async (t) => {
      const pool = await newPool({ sandbox });
      if (pool.sandboxStatus().mode !== 'bubblewrap') return t.skip('unsandboxed, /opt is the host\'s');
      const opt = await dirs.code(LAYER);
      const code = await dirs.code({ 'index.js': NODE_HANDLER.replace("process.env.NODE_PATH.split(':')[1]", "'/opt/nodejs/node_modules'") });
      await readyCell(pool);
      await fromCell(pool, specFor(code, { functionName: 'primer', optDir: opt }), specFor(code, { functionName: 'layered', optDir: opt }));
      await readyCell(pool);
      await sleep(600);
      const bare = await pool.invoke(specFor(await dirs.code({ 'index.js': 'exports.handler = async () => [process.uptime(), require("fs").readdirSync("/opt")];' })), request());
      const [uptime, listing] = json(bare.payload);
      assert.ok(uptime >= 0.5, `served by a cell (uptime ${uptime})`);
      assert.deepEqual(listing, []);
    });

    it("functions whose layers hold external extensions: once their kind of cell is wanted, one serves them, running the extensions as a fresh process does", async () => {
      const opt = await dirs.code({ ...LAYER, 'extensions/ext-a': ENV_EXTENSION });
      await chmod(path.join(opt, 'extensions', 'ext-a'), 0o755);
      const code = await dirs.code({ 'index.js': EXTENSION_HANDLER });
      // Room for the fresh ones, both kinds of cell and their replacements.
      const pool = await newPool({ sandbox, maxEnvironments: 8 });
      await readyCell(pool);
      for (const name of ['first', 'second']) {
        // The first while the layers are surveyed, the second while its kind of cell starts.
        await sleep(300);
        const r = await pool.invoke(specFor(code, { functionName: name, optDir: opt }), request());
        assert.equal(r.functionError, undefined, r.payload.toString());
        assert.ok(json(r.payload).uptime < 0.3, `${name} started fresh (uptime ${json(r.payload).uptime})`);
      }
      const deadline = Date.now() + 10_000;
      while (pool.stats().prestartedReady < 2 && Date.now() < deadline) await sleep(10);
      const cell = await fromCell(pool, specFor(code, { functionName: 'primer', optDir: opt }), specFor(code, { functionName: 'layered', optDir: opt }));
      const freshPool = await newPool({ sandbox, prewarm: 0 });
      const fresh = await freshPool.invoke(specFor(code, { functionName: 'layered', optDir: opt }), request());
      assert.deepEqual(withoutUptime(cell), withoutUptime(json(fresh.payload)));
      assert.equal(cell.invoke, 'INVOKE for this request');
      assert.equal(cell.variables.AWS_LAMBDA_FUNCTION_NAME, 'layered');
      assert.equal(cell.variables._STAGECRAFT_CELL, undefined);
    });

    it('a Python function with layers is served by a cell and imports them as a fresh process does', { skip: !describeRuntime('python3.12') && 'no python3 on this host' }, async () => {
      const opt = await dirs.code(LAYER);
      const code = await dirs.code({ 'lambda_function.py': PYTHON_HANDLER });
      const py = { runtime: 'python3.12', handler: 'lambda_function.lambda_handler', optDir: opt };
      const pool = await newPool({ sandbox, prewarmFor: [{ runtime: 'python3.12', memorySize: 128 }] });
      await readyCell(pool);
      const cell = await fromCell(pool, specFor(code, { ...py, functionName: 'primer' }), specFor(code, { ...py, functionName: 'layered' }));
      const fresh = json((await (await newPool({ sandbox, prewarm: 0 })).invoke(specFor(code, { ...py, functionName: 'layered' }), request())).payload);
      assert.deepEqual(withoutUptime(cell), withoutUptime(fresh));
      assert.deepEqual(cell.imported, ['hello from the layer', 'from site-packages']);
    });
  });
}

describe('layers in pre-started cells: the link limit', () => {
  it(`sandboxed, layers of more than ${MAX_LINKED_ENTRIES} entries start fresh, leaving the cell`, async (t) => {
    const pool = await newPool({ sandbox: 'auto' });
    if (pool.sandboxStatus().mode !== 'bubblewrap') return t.skip('bubblewrap is not available here');
    const files: Record<string, string> = {};
    for (let i = 0; i <= MAX_LINKED_ENTRIES; i++) files[`nodejs/node_modules/many/f${i}.js`] = '';
    const opt = await dirs.code(files);
    const code = await dirs.code({ 'index.js': 'exports.handler = async () => process.uptime();' });
    await readyCell(pool);
    for (const name of ['first', 'second']) {
      await sleep(300);
      const r = await pool.invoke(specFor(code, { functionName: name, optDir: opt }), request());
      assert.ok(json(r.payload) < 0.3, `${name} started fresh (uptime ${json(r.payload)})`);
      assert.equal(pool.stats().prestartedReady, 1, 'the cell is still there');
    }
  });
});
