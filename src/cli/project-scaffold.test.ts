// What `stagecraft init` writes is a project the deploy library loads without a single issue, for
// every runtime it offers; names and runtimes it can't use are refused before anything is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadStack } from '../deploy/deploy.js';
import { useTempDirs } from '../testing/temp-dirs.js';
import { SCAFFOLD_RUNTIMES, invalidFunctionName, invalidScaffoldRuntime, nameFromDirectory, scaffoldFiles } from './project-scaffold.js';

const dirs = useTempDirs();

function writeScaffold(name: string, runtime: string): string {
  const dir = dirs.make('stagecraft-init-');
  for (const f of scaffoldFiles(name, runtime)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

test('every offered runtime gives a project deploy loads cleanly: one function on alias dev, one API with stages dev and prod', async () => {
  assert.ok(SCAFFOLD_RUNTIMES.includes('nodejs20.x') && SCAFFOLD_RUNTIMES.includes('python3.12'));
  for (const runtime of SCAFFOLD_RUNTIMES) {
    const dir = writeScaffold('orders', runtime);
    const stack = await loadStack({ projectFile: join(dir, 'stagecraft.yml') }, 'us-east-1');
    assert.deepEqual(stack.issues.list, [], `${runtime}: ${JSON.stringify(stack.issues.list)}`);
    assert.equal(stack.stackName, 'orders');
    assert.equal(stack.functions.length, 1);
    const [fn] = stack.functions;
    assert.equal(fn.name, 'orders');
    assert.equal(fn.runtime, runtime);
    assert.equal(fn.handler, runtime.startsWith('python') ? 'app.handler' : 'index.handler');
    assert.equal(stack.apis.length, 1);
    assert.equal(stack.apis[0].name, 'orders-api');
  }
});

test('a function name comes from the directory when none is given', () => {
  assert.equal(nameFromDirectory('hello-lambda'), 'hello-lambda');
  assert.equal(nameFromDirectory('my app (v2)'), 'my-app-v2');
  assert.equal(nameFromDirectory('...'), '');
  assert.equal(nameFromDirectory('x'.repeat(80)).length, 60);
});

test('names and runtimes init cannot use are refused with what it can', () => {
  assert.equal(invalidFunctionName('orders_v2-beta'), undefined);
  assert.match(invalidFunctionName('') ?? '', /not a usable function name/);
  assert.match(invalidFunctionName('a b') ?? '', /letters, digits/);
  assert.match(invalidFunctionName('x'.repeat(61)) ?? '', /1 to 60/);
  assert.equal(invalidScaffoldRuntime('python3.13'), undefined);
  assert.match(invalidScaffoldRuntime('java21') ?? '', /use one of nodejs16\.x, .*python3\.8, python3\.9, python3\.10/);
  assert.match(invalidScaffoldRuntime('provided.al2023') ?? '', /not a runtime init can start a project in/);
});
