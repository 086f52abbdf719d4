// The walkthrough a new user follows, with the real AWS CLI v2: create hello-lambda, publish
// versions 1 and 2, point prod and dev at them, invoke both aliases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';

const env = useServer();
const dirs = useTempDirs();

const handler = (text: string) => `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(${JSON.stringify(text)}) });\n`;

test('hello-lambda: versions, prod and dev aliases, invoke each', async () => {
  const dir = dirs.make('stagecraft-cli-');
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': handler('Hello from Lambda') }));
  const created = await cli('lambda', 'create-function', '--function-name', 'hello-lambda', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', 'arn:aws:iam::000000000000:role/lambda-role', '--zip-file', 'fileb://function.zip');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().FunctionName, 'hello-lambda');
  const waited = await cli('lambda', 'wait', 'function-active-v2', '--function-name', 'hello-lambda');
  assert.equal(waited.code, 0, waited.stderr);
  const v1 = await cli('lambda', 'publish-version', '--function-name', 'hello-lambda');
  assert.equal(v1.json().Version, '1');

  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': handler('Hello from Lambda World') }));
  const updated = await cli('lambda', 'update-function-code', '--function-name', 'hello-lambda', '--zip-file', 'fileb://function.zip');
  assert.equal(updated.code, 0, updated.stderr);
  const upd = await cli('lambda', 'wait', 'function-updated-v2', '--function-name', 'hello-lambda');
  assert.equal(upd.code, 0, upd.stderr);
  const v2 = await cli('lambda', 'publish-version', '--function-name', 'hello-lambda');
  assert.equal(v2.json().Version, '2');

  assert.equal((await cli('lambda', 'create-alias', '--function-name', 'hello-lambda', '--name', 'prod', '--function-version', '1')).code, 0);
  assert.equal((await cli('lambda', 'create-alias', '--function-name', 'hello-lambda', '--name', 'dev', '--function-version', '2')).code, 0);

  for (const [alias, expected, version] of [['prod', 'Hello from Lambda', '1'], ['dev', 'Hello from Lambda World', '2']]) {
    const out = join(dir, `${alias}.json`);
    const res = await cli('lambda', 'invoke', '--function-name', `hello-lambda:${alias}`, out);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.json().StatusCode, 200);
    assert.equal(res.json().ExecutedVersion, version);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { statusCode: 200, body: JSON.stringify(expected) });
  }

  const aliases = await cli('lambda', 'list-aliases', '--function-name', 'hello-lambda');
  assert.deepEqual(aliases.json().Aliases.map((a: { Name: string; FunctionVersion: string }) => [a.Name, a.FunctionVersion]), [['dev', '2'], ['prod', '1']]);

  const missing = await cli('lambda', 'get-function', '--function-name', 'nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);
});
