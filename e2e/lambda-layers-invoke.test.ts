// Layers at run time, end to end: a function's layers merged at /opt, modules a Node.js handler
// requires and a Python handler imports from them, fresh environments when the layers change, a
// deleted layer version still working; and the AWS CLI walkthrough (publish-layer-version,
// create-function --layers, invoke).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishLayerVersionCommand, PublishVersionCommand, DeleteLayerVersionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { awsCli } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';

const env = useServer();
const dirs = useTempDirs();

async function publish(name: string, files: Record<string, string>): Promise<string> {
  const out = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await makeZip(files) } }));
  return out.LayerVersionArn!;
}

/** Whether this server's environments run under bubblewrap (where /opt is a read-only mount). */
async function sandboxed(): Promise<boolean> {
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { sandbox: { mode: string } };
  return health.sandbox.mode === 'bubblewrap';
}

async function invoke(name: string, payload: unknown = {}): Promise<any> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  const text = Buffer.from(out.Payload!).toString();
  assert.equal(out.FunctionError, undefined, text);
  return JSON.parse(text);
}

const NODE_HANDLER = `
const fs = require('fs');
const id = Math.random();
exports.handler = async () => {
  let write;
  try { fs.writeFileSync('/opt/mine', 'x'); write = 'written'; } catch (e) { write = e.code; }
  const opt = process.env.NODE_PATH.split(':')[1].replace(/\\/nodejs\\/node_modules$/, '');
  return { greeting: require('greeting'), id, shared: fs.readFileSync(opt + '/shared.txt', 'utf8'), write };
};`;

test('a Node.js function requires a module from its layers at /opt; later layers win; new layers mean a fresh environment', async () => {
  const one = await publish('rt-one', { 'nodejs/node_modules/greeting/index.js': 'module.exports = "one";\n', 'shared.txt': 'one' });
  const two = await publish('rt-two', { 'nodejs/node_modules/greeting/index.js': 'module.exports = "two";\n', 'shared.txt': 'two' });
  await createNodeFunction(env.lambda, 'rt-node', NODE_HANDLER, { Layers: [one, two] });
  const first = await invoke('rt-node');
  assert.equal(first.greeting, 'two');
  assert.equal(first.shared, 'two');
  if (await sandboxed()) assert.equal(first.write, 'EROFS', '/opt is read-only');
  assert.equal((await invoke('rt-node')).id, first.id, 'a warm environment serves the next call');

  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rt-node', Layers: [two, one] }));
  const swapped = await invoke('rt-node');
  assert.equal(swapped.greeting, 'one');
  assert.equal(swapped.shared, 'one');
  assert.notEqual(swapped.id, first.id, 'changing the layers gives the function a fresh environment');

  // Deleting a layer version does not take it from the functions that use it.
  await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'rt-one', VersionNumber: 1 }));
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rt-node', Description: 'new environment, same layers' }));
  assert.equal((await invoke('rt-node')).greeting, 'one');
});

test('an ES module handler imports packages from its layers by name, version-specific directory first, its own node_modules before both; also from a pre-started cell', async (t) => {
  if (!(await sandboxed())) return t.skip('unsandboxed: ES modules resolve bare names from the code\'s host directory only (docs/compatibility.md)');
  const layer = await publish('rt-esm', {
    'nodejs/node_modules/greeting/package.json': '{"name":"greeting","type":"module","exports":"./index.js"}',
    'nodejs/node_modules/greeting/index.js': 'export default "generic";\n',
    'nodejs/node_modules/plain/index.js': 'module.exports = { plain: true };\n',
    'nodejs/node_modules/bundled/index.js': 'module.exports = "from the layer";\n',
    'nodejs/node20/node_modules/versioned/index.js': 'module.exports = "node20";\n',
    'nodejs/node20/node_modules/greeting/index.js': 'module.exports = "node20 greeting";\n',
  });
  const code = await makeZip({
    'index.mjs': [
      "import greeting from 'greeting';",
      "import plain from 'plain';",
      "import versioned from 'versioned';",
      "import bundled from 'bundled';",
      'export const handler = async () => ({ greeting, plain, versioned, bundled, uptime: process.uptime() });',
    ].join('\n'),
    'node_modules/bundled/index.js': 'module.exports = "from the function";\n',
  });
  await createNodeFunction(env.lambda, 'rt-esm', code, { Layers: [layer] });
  const expected = { greeting: 'node20 greeting', plain: { plain: true }, versioned: 'node20', bundled: 'from the function' };
  const { uptime: _, ...first } = await invoke('rt-esm');
  assert.deepEqual(first, expected);
  // A new version's first environment comes from a pre-started cell whose /opt filled in only then.
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rt-esm', Description: 'cell' }));
  const version = (await env.lambda.send(new PublishVersionCommand({ FunctionName: 'rt-esm' }))).Version!;
  await new Promise((r) => setTimeout(r, 800));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'rt-esm', Qualifier: version }));
  const { uptime, ...fromCell } = JSON.parse(Buffer.from(out.Payload!).toString());
  assert.deepEqual(fromCell, expected);
  assert.ok(uptime >= 0.5, `a pre-started process (uptime ${uptime})`);
});

test('an ES module handler importing a package no layer has fails its init as on AWS', async () => {
  await createNodeFunction(env.lambda, 'rt-esm-missing', await makeZip({ 'index.mjs': "import nothing from 'not-there';\nexport const handler = async () => nothing;\n" }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'rt-esm-missing' }));
  assert.equal(out.FunctionError, 'Unhandled');
  const error = JSON.parse(Buffer.from(out.Payload!).toString());
  assert.equal(error.errorType, 'Runtime.ImportModuleError');
  assert.match(error.errorMessage, /Cannot find package 'not-there'/);
});

test('a Python function imports from its layer\'s python/ directory', async () => {
  const layer = await publish('rt-python', { 'python/greeting.py': 'TEXT = "hello from a layer"\n' });
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'rt-python', Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler', Role: testFunctionRole, Layers: [layer],
    Code: { ZipFile: await makeZip({ 'lambda_function.py': 'import greeting\n\ndef lambda_handler(event, context):\n    return greeting.TEXT\n' }) },
  }));
  assert.equal(await invoke('rt-python'), 'hello from a layer');
});

test('a function without layers does not see them: its /opt is empty', async (t) => {
  if (!(await sandboxed())) return t.skip('unsandboxed: /opt is the host\'s');
  await createNodeFunction(env.lambda, 'rt-plain', `exports.handler = async () => { try { return require('fs').readdirSync('/opt'); } catch (e) { return e.code; } };`);
  assert.deepEqual(await invoke('rt-plain'), [], 'an empty /opt, as on AWS');
});

test('a new version of a function with layers cold-starts from a pre-started cell and finds its layers', async () => {
  const layer = await publish('rt-cell', { 'nodejs/node_modules/greeting/index.js': 'module.exports = "from a cell";\n' });
  await createNodeFunction(env.lambda, 'rt-cell', `exports.handler = async () => ({ uptime: process.uptime(), greeting: require('greeting') });`, { Layers: [layer] });
  await invoke('rt-cell'); // the layers' first use (surveyed meanwhile) starts fresh
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rt-cell', Environment: { Variables: { NEW: '1' } } }));
  const version = (await env.lambda.send(new PublishVersionCommand({ FunctionName: 'rt-cell' }))).Version!;
  await new Promise((r) => setTimeout(r, 800));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'rt-cell', Qualifier: version, LogType: 'Tail' }));
  const result = JSON.parse(Buffer.from(out.Payload!).toString());
  assert.equal(result.greeting, 'from a cell');
  // The process had started before this version's first invocation: a cell, specialised for it.
  assert.ok(result.uptime >= 0.5, `uptime ${result.uptime}`);
  assert.match(Buffer.from(out.LogResult!, 'base64').toString(), /Init Duration: [\d.]+ ms/);
});

test('AWS CLI: publish-layer-version, create-function --layers, invoke using the layer\'s module', async () => {
  const dir = dirs.make('stagecraft-cli-layers-');
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  writeFileSync(join(dir, 'layer.zip'), await makeZip({ 'nodejs/node_modules/shout/index.js': 'module.exports = (s) => s.toUpperCase() + "!";\n' }));
  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': 'const shout = require("shout");\nexports.handler = async (e) => ({ said: shout(e.text) });\n' }));
  const published = await cli('lambda', 'publish-layer-version', '--layer-name', 'shout', '--zip-file', 'fileb://layer.zip', '--compatible-runtimes', 'nodejs20.x');
  assert.equal(published.code, 0, published.stderr);
  const layerArn = published.json().LayerVersionArn;
  assert.equal(layerArn, 'arn:aws:lambda:us-east-1:000000000000:layer:shout:1');
  const created = await cli('lambda', 'create-function', '--function-name', 'shouter', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--zip-file', 'fileb://function.zip', '--layers', layerArn);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().Layers[0].Arn, layerArn);
  assert.equal((await cli('lambda', 'wait', 'function-active-v2', '--function-name', 'shouter')).code, 0);
  const out = join(dir, 'out.json');
  const invoked = await cli('lambda', 'invoke', '--function-name', 'shouter', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"text":"hello"}', out);
  assert.equal(invoked.code, 0, invoked.stderr);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { said: 'HELLO!' });

  const listed = await cli('lambda', 'list-layers', '--compatible-runtime', 'nodejs20.x');
  assert.ok(listed.json().Layers.some((l: { LayerName: string }) => l.LayerName === 'shout'));
  const missing = await cli('lambda', 'create-function', '--function-name', 'shouter-2', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--zip-file', 'fileb://function.zip', '--layers', 'arn:aws:lambda:us-east-1:000000000000:layer:shout:7');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /InvalidParameterValueException.*Layer version arn:aws:lambda:us-east-1:000000000000:layer:shout:7 does not exist\./);
});

test('layers, their numbering and the functions using them survive a restart', async () => {
  const arn = await publish('rt-durable', { 'nodejs/node_modules/greeting/index.js': 'module.exports = "durable";\n', 'shared.txt': 'd' });
  await createNodeFunction(env.lambda, 'rt-durable', NODE_HANDLER, { Layers: [arn] });
  assert.equal((await invoke('rt-durable')).greeting, 'durable');
  await env.restart();
  assert.equal((await invoke('rt-durable')).greeting, 'durable');
  const next = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'rt-durable', Content: { ZipFile: await makeZip({ 'x.txt': 'x' }) } }));
  assert.equal(next.Version, 2, 'version numbering continues after a restart');
});
