// State survives a restart, and a kill -9 in the middle of writes leaves nothing half-made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand, GetFunctionCommand, PublishVersionCommand, CreateAliasCommand, GetAliasCommand, AddPermissionCommand, GetPolicyCommand,
  ListFunctionsCommand, ListVersionsByFunctionCommand, ListAliasesCommand, UpdateFunctionConfigurationCommand, InvokeCommand,
} from '@aws-sdk/client-lambda';
import { startServerProcess } from '../src/testing/server.js';
import { lambdaClient } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

test('functions, versions, aliases and policies survive a restart, and still run', async () => {
  const first = await startServerProcess();
  let lambda = lambdaClient(first.url);
  const zip = await makeZip({ 'index.js': 'exports.handler = async () => "persisted";' });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'keep', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Publish: true }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'keep', Name: 'prod', FunctionVersion: '1' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'keep:prod', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  lambda.destroy();
  await first.stop({ remove: false });

  const second = await startServerProcess({ dataDir: first.dataDir });
  lambda = lambdaClient(second.url);
  try {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'keep' }));
    assert.equal(fn.Configuration!.FunctionName, 'keep');
    assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: 'keep', Name: 'prod' }))).FunctionVersion, '1');
    assert.match((await lambda.send(new GetPolicyCommand({ FunctionName: 'keep', Qualifier: 'prod' }))).Policy!, /apigw/);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'keep:prod' }));
    assert.equal(JSON.parse(Buffer.from(out.Payload!).toString()), 'persisted');
    const v2 = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keep', Timeout: 4 })).then(() => lambda.send(new PublishVersionCommand({ FunctionName: 'keep' })));
    assert.equal(v2.Version, '2', 'version numbering continues after a restart');
  } finally {
    lambda.destroy();
    await second.stop();
  }
});

test('kill -9 during a stream of writes leaves consistent state', async () => {
  const first = await startServerProcess();
  const lambda = lambdaClient(first.url);
  const zip = await makeZip({ 'index.js': 'exports.handler = async () => 1;' });
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const name = `crash-${w}-${i}`;
      try {
        await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } }));
        await lambda.send(new PublishVersionCommand({ FunctionName: name }));
        await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
      } catch {
        return; // the server died under us
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  await first.kill9();
  stop = true;
  await Promise.all(writers);
  lambda.destroy();

  const second = await startServerProcess({ dataDir: first.dataDir });
  const check = lambdaClient(second.url);
  try {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await check.send(new ListFunctionsCommand({ Marker: marker }));
      names.push(...page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
    } while (marker);
    assert.ok(names.length > 0, 'some writes happened before the kill');
    for (const name of names) {
      const fn = await check.send(new GetFunctionCommand({ FunctionName: name }));
      assert.equal(fn.Configuration!.State, 'Active');
      const download = await fetch(fn.Code!.Location!);
      assert.equal(download.status, 200, `code of ${name} is stored`);
      const versions = (await check.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions!.map((v) => v.Version);
      for (const alias of (await check.send(new ListAliasesCommand({ FunctionName: name }))).Aliases!) {
        assert.ok(versions.includes(alias.FunctionVersion), `alias ${name}:${alias.Name} points at an existing version`);
      }
    }
  } finally {
    check.destroy();
    await second.stop();
  }
});
