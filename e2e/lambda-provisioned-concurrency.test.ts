// Provisioned concurrency through SDK v3: the recorded AWS answers of the lifecycle and its errors,
// then what it is for — environments initialised ahead of demand (AWS_LAMBDA_INITIALIZATION_TYPE,
// no Init Duration), following their alias to a new version, and coming back after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand, DeleteAliasCommand, DeleteProvisionedConcurrencyConfigCommand, GetProvisionedConcurrencyConfigCommand, InvokeCommand,
  ListProvisionedConcurrencyConfigsCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, UpdateAliasCommand, UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { makeZip } from '../src/testing/zip.js';

const env = useServer();
const ARN = (fn: string, q?: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}${q ? `:${q}` : ''}`;
const handler = (tag: string) => `exports.handler = async () => ({ tag: ${JSON.stringify(tag)}, init: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, pid: process.pid });`;

async function rejects(p: Promise<unknown>, name: string, status: number, message: string): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata.httpStatusCode, status);
    assert.equal(e.message, message);
    return true;
  });
}

/** Polls GetProvisionedConcurrencyConfig until READY (environments start in the background). */
async function ready(lambda: LambdaClient, fn: string, qualifier: string, requested: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const c = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: qualifier }));
    if (c.Status === 'READY') {
      assert.equal(c.AllocatedProvisionedConcurrentExecutions, requested);
      assert.equal(c.AvailableProvisionedConcurrentExecutions, requested);
      return;
    }
    assert.equal(c.Status, 'IN_PROGRESS');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${fn}:${qualifier} never became READY`);
}

async function invoke(lambda: LambdaClient, fn: string): Promise<{ tag: string; init: string; pid: number; report: string }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: fn, LogType: 'Tail' }));
  const log = Buffer.from(out.LogResult!, 'base64').toString();
  return { ...JSON.parse(Buffer.from(out.Payload!).toString()), report: log.split('\n').find((l) => l.startsWith('REPORT'))! };
}

test('errors, as recorded on AWS', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'pc-errors', handler('v1'), { Publish: true });
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '1' })),
    'ProvisionedConcurrencyConfigNotFoundException', 404, 'No Provisioned Concurrency Config found for this function');
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'doesnotexist', Qualifier: 'noalias' })),
    'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN('doesnotexist', 'noalias')}`);
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: 'noalias' })),
    'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN('pc-errors', 'noalias')}`);
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '10' })),
    'ResourceNotFoundException', 404, `Function not found: ${ARN('pc-errors', '10')}`);
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '$LATEST' })),
    'InvalidParameterValueException', 400, 'The function resource provided must be an alias or a published version.');
  assert.deepEqual((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-errors' }))).ProvisionedConcurrencyConfigs, []);
  await rejects(lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'doesnotexist' })),
    'ResourceNotFoundException', 404, `Function not found: ${ARN('doesnotexist')}`);
  await rejects(lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'doesnotexist', Qualifier: '1' })),
    'ResourceNotFoundException', 404, `Function not found: ${ARN('doesnotexist', '1')}`);
  await rejects(lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '$LATEST' })),
    'InvalidParameterValueException', 400, 'The function resource provided must be an alias or a published version.');
  // Deleting what is not there is fine.
  const deleted = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '1' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await rejects(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '1', ProvisionedConcurrentExecutions: 0 })),
    'ValidationException', 400, "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1");
  await rejects(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '1', ProvisionedConcurrentExecutions: 5000 })),
    'InvalidParameterValueException', 400, "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000].");
  await rejects(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-errors', Qualifier: '1', ProvisionedConcurrentExecutions: 950 })),
    'InvalidParameterValueException', 400, "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
});

test('lifecycle as recorded: on a version, the alias conflict, on an alias, the version conflict, gone with its alias', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'pc-life', handler('v1'), { Publish: true });
  await lambda.send(new CreateAliasCommand({ FunctionName: 'pc-life', Name: 'live', FunctionVersion: '1' }));

  const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
  assert.equal(put.$metadata.httpStatusCode, 202);
  assert.equal(put.Status, 'IN_PROGRESS');
  assert.equal(put.RequestedProvisionedConcurrentExecutions, 1);
  assert.equal(put.AllocatedProvisionedConcurrentExecutions, 0);
  assert.equal(put.AvailableProvisionedConcurrentExecutions, 0);
  assert.match(put.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  await rejects(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 })),
    'ResourceConflictException', 409, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
  await ready(lambda, 'pc-life', '1', 1);
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1' }));
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1' })),
    'ProvisionedConcurrencyConfigNotFoundException', 404, 'No Provisioned Concurrency Config found for this function');

  const onAlias = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }));
  assert.equal(onAlias.Status, 'IN_PROGRESS');
  await rejects(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1', ProvisionedConcurrentExecutions: 1 })),
    'ResourceConflictException', 409, 'Version is pointed by a Provisioned Concurrency alias');
  const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-life' }));
  assert.deepEqual(listed.ProvisionedConcurrencyConfigs!.map((c) => [c.FunctionArn, c.RequestedProvisionedConcurrentExecutions]), [[ARN('pc-life', 'live'), 1]]);

  await lambda.send(new DeleteAliasCommand({ FunctionName: 'pc-life', Name: 'live' }));
  await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: 'live' })),
    'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN('pc-life', 'live')}`);
  assert.deepEqual((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-life' }))).ProvisionedConcurrencyConfigs, []);
});

test('provisioned environments are initialised ahead, follow their alias to a new version, and return after a restart', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'pc-warm', handler('v1'), { Publish: true });
  await lambda.send(new CreateAliasCommand({ FunctionName: 'pc-warm', Name: 'prod', FunctionVersion: '1' }));
  // On demand first: a cold start, with Init Duration.
  const cold = await invoke(lambda, 'pc-warm:1');
  assert.equal(cold.init, 'on-demand');
  assert.match(cold.report, /Init Duration/);

  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-warm', Qualifier: 'prod', ProvisionedConcurrentExecutions: 2 }));
  await ready(lambda, 'pc-warm', 'prod', 2);
  const warm = await invoke(lambda, 'pc-warm:prod');
  assert.equal(warm.tag, 'v1');
  assert.equal(warm.init, 'provisioned-concurrency');
  assert.doesNotMatch(warm.report, /Init Duration/);

  // The alias moves: its provisioned environments move with it.
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'pc-warm', ZipFile: await makeZip({ 'index.js': handler('v2') }) }));
  await lambda.send(new PublishVersionCommand({ FunctionName: 'pc-warm' }));
  await lambda.send(new UpdateAliasCommand({ FunctionName: 'pc-warm', Name: 'prod', FunctionVersion: '2' }));
  await ready(lambda, 'pc-warm', 'prod', 2);
  const moved = await invoke(lambda, 'pc-warm:prod');
  assert.equal(moved.tag, 'v2');
  assert.equal(moved.init, 'provisioned-concurrency');

  // The setting is stored: after a restart its environments start again by themselves.
  await env.restart();
  await ready(env.lambda, 'pc-warm', 'prod', 2);
  const again = await invoke(env.lambda, 'pc-warm:prod');
  assert.equal(again.tag, 'v2');
  assert.equal(again.init, 'provisioned-concurrency');
  assert.doesNotMatch(again.report, /Init Duration/);
});

test('a function whose init fails reports FAILED instead of READY', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'pc-broken', 'throw new Error("init boom");\nexports.handler = async () => 1;', { Publish: true });
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-broken', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
  for (let i = 0; i < 200; i++) {
    const c = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-broken', Qualifier: '1' }));
    if (c.Status === 'FAILED') {
      assert.match(c.StatusReason!, /could not be initialized/);
      assert.equal(c.AllocatedProvisionedConcurrentExecutions, 0);
      return;
    }
    assert.equal(c.Status, 'IN_PROGRESS');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('never FAILED');
});

test('ListProvisionedConcurrencyConfigs pages by marker, and a marker whose setting is gone still moves on', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'pc-pages', handler('v1'), { Publish: true });
  for (const name of ['a', 'b', 'c']) await lambda.send(new CreateAliasCommand({ FunctionName: 'pc-pages', Name: name, FunctionVersion: '1' }));
  for (const name of ['a', 'b', 'c']) await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-pages', Qualifier: name, ProvisionedConcurrentExecutions: 1 }));
  const first = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-pages', MaxItems: 2 }));
  assert.deepEqual(first.ProvisionedConcurrencyConfigs!.map((c) => c.FunctionArn), [ARN('pc-pages', 'a'), ARN('pc-pages', 'b')]);
  assert.equal(first.NextMarker, 'b');
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-pages', Qualifier: 'b' }));
  const next = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-pages', MaxItems: 2, Marker: first.NextMarker }));
  assert.deepEqual(next.ProvisionedConcurrencyConfigs!.map((c) => c.FunctionArn), [ARN('pc-pages', 'c')]);
  assert.equal(next.NextMarker, undefined);
});
