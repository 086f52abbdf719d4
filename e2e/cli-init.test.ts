// `stagecraft init` as a new user runs it: a project in a new directory, deployed as it is with
// `stagecraft deploy`, answering on the dev stage; promoted, answering on prod — in Node.js and
// Python. A second init refuses to overwrite the files, unless --force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { httpGet, runCli, unique } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

async function stageAnswer(apiId: string, stage: string): Promise<{ status: number; json: { message?: string; version?: string } }> {
  const res = await httpGet(`${env.url}/restapis/${apiId}/${stage}/_user_request_/hello`);
  return { status: res.status, json: res.status === 200 ? JSON.parse(res.body) : {} };
}

for (const runtime of ['nodejs20.x', 'python3.12']) {
  test(`init (${runtime}), deploy, then promote: dev and prod answer from version 1`, async () => {
    const parent = dirs.make('stagecraft-init-');
    const name = unique(runtime.startsWith('python') ? 'init-py' : 'init-node');
    const init = await runCli(['init', name, '--runtime', runtime], { cwd: parent });
    assert.equal(init.code, 0, init.output);
    assert.match(init.stdout, new RegExp(`Created ${name} \\(${runtime.replace('.', '\\.')}\\) in ${name}:`));
    assert.match(init.stdout, new RegExp(`cd ${name}\\n`));

    const dir = join(parent, name);
    const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint: env.url, timeoutMs: 120_000 });
    const deployed = await cli('deploy', '--json');
    assert.equal(deployed.code, 0, deployed.output);
    const api = deployed.json().apis[0];
    assert.equal(api.name, `${name}-api`);
    assert.deepEqual(api.stages.map((s: { name: string }) => s.name), ['dev', 'prod']);
    assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'dev' }))).FunctionVersion, '1');

    const dev = await stageAnswer(api.id, 'dev');
    assert.equal(dev.status, 200);
    assert.deepEqual(dev.json, { message: `Hello from ${name}!`, version: '1' });
    // prod calls alias prod, which only promote creates: until then API Gateway answers its 500.
    assert.equal((await stageAnswer(api.id, 'prod')).status, 500);

    const promoted = await cli('promote', name, '--from', 'dev', '--to', 'prod');
    assert.equal(promoted.code, 0, promoted.output);
    const prod = await stageAnswer(api.id, 'prod');
    assert.equal(prod.status, 200);
    assert.deepEqual(prod.json, { message: `Hello from ${name}!`, version: '1' });
  });
}

test('init never overwrites a project unless --force; --json says what it wrote', async () => {
  const dir = dirs.make('stagecraft-init-');
  const first = await runCli(['init', '--name', 'keep-me', '--json'], { cwd: dir });
  assert.equal(first.code, 0, first.output);
  assert.deepEqual(first.json(), { directory: dir, name: 'keep-me', runtime: 'nodejs20.x', files: ['template.yaml', 'stagecraft.yml', 'src/index.mjs'] });

  writeFileSync(join(dir, 'src', 'index.mjs'), '// my own handler\n');
  const again = await runCli(['init', '--name', 'other'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /the current directory already has template\.yaml, stagecraft\.yml, src\/index\.mjs\. Choose another directory, or pass --force/);
  assert.equal(readFileSync(join(dir, 'src', 'index.mjs'), 'utf8'), '// my own handler\n');
  assert.match(readFileSync(join(dir, 'template.yaml'), 'utf8'), /FunctionName: keep-me/);

  const forced = await runCli(['init', '--name', 'other', '--force'], { cwd: dir });
  assert.equal(forced.code, 0, forced.output);
  assert.match(readFileSync(join(dir, 'template.yaml'), 'utf8'), /FunctionName: other/);
  assert.match(readFileSync(join(dir, 'src', 'index.mjs'), 'utf8'), /Hello from other!/);
});

test('a name or runtime init cannot use is a usage error and writes nothing', async () => {
  const dir = dirs.make('stagecraft-init-');
  const badRuntime = await runCli(['init', 'app', '--runtime', 'java21'], { cwd: dir });
  assert.equal(badRuntime.code, 2);
  assert.match(badRuntime.stderr, /'java21' is not a runtime init can start a project in: use one of nodejs16\.x/);
  const badName = await runCli(['init', 'app', '--name', 'no spaces'], { cwd: dir });
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /'no spaces' is not a usable function name/);
  const unnamed = await runCli(['init', '...'], { cwd: dir });
  assert.equal(unnamed.code, 2);
  assert.match(unnamed.stderr, /is not a usable function name.*Name it with --name\./);
  assert.deepEqual(readdirSync(dir), []);

  writeFileSync(join(dir, 'taken'), 'a file');
  for (const target of ['taken', 'taken/app']) {
    const onFile = await runCli(['init', target], { cwd: dir });
    assert.equal(onFile.code, 1, target);
    assert.match(onFile.stderr, /stagecraft init: taken is a file, not a directory\. Choose another directory\./);
  }
});
