// `stagecraft deploy` with SAM's ProvisionedConcurrencyConfig: the AutoPublishAlias gets the
// setting, its environments become READY and serve as provisioned ones; a changed count is
// updated, a removed property removes the setting; without AutoPublishAlias the template is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetProvisionedConcurrencyConfigCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const template = (fn: string, provisioned: string) => SAM_HEADER + liveFunction(fn) + provisioned;

const HANDLER = 'exports.handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;\n';

async function requested(fn: string): Promise<number | undefined> {
  try {
    const c = await env.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: 'live' }));
    return c.RequestedProvisionedConcurrentExecutions;
  } catch (e) {
    if ((e as Error).name === 'ProvisionedConcurrencyConfigNotFoundException') return undefined;
    throw e;
  }
}

test('the alias is provisioned as the template says, updated and removed with it', async () => {
  const fn = unique('pc-deploy');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(fn, '      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 1\n'),
    'src/index.js': HANDLER,
  }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`provisioned concurrency of ${fn}:live: 1`));
  assert.equal(await requested(fn), 1);
  for (let i = 0; ; i++) {
    const c = await env.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: 'live' }));
    if (c.Status === 'READY') break;
    assert.ok(i < 200, 'never READY');
    await new Promise((r) => setTimeout(r, 50));
  }
  const status = await runCli(['status', fn, '--no-color'], { endpoint: env.url });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`Provisioned concurrency[\\s\\S]*${fn}:live +1 +1 +READY`));
  const json = await runCli(['status', fn, '--json'], { endpoint: env.url });
  assert.deepEqual(JSON.parse(json.stdout).functions[0].provisioned, [{ qualifier: 'live', requested: 1, allocated: 1, status: 'READY' }]);
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live' }));
  assert.equal(JSON.parse(Buffer.from(out.Payload!).toString()), 'provisioned-concurrency');

  const again = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /provisioned concurrency/);

  writeFiles(dir, { 'template.yaml': template(fn, '      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 2\n') });
  const more = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(more.code, 0, more.stderr);
  assert.equal(await requested(fn), 2);

  writeFiles(dir, { 'template.yaml': template(fn, '') });
  const removed = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /removed \(was 2\)/);
  assert.equal(await requested(fn), undefined);
});

test('ProvisionedConcurrencyConfig without AutoPublishAlias is a template error', async () => {
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(unique('pc-noalias'), '      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 1\n').replace('      AutoPublishAlias: live\n', ''),
    'src/index.js': HANDLER,
  }));
  const r = await runCli(['deploy', '--check'], { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /ProvisionedConcurrencyConfig needs AutoPublishAlias/);
});
