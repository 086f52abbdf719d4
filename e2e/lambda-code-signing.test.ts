// Code signing configs through SDK v3 and the AWS CLI, against the answers recorded on AWS
// (TestCodeSigningConfig): the lifecycle, attaching to functions, and every not-found case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateCodeSigningConfigCommand, DeleteCodeSigningConfigCommand, DeleteFunctionCodeSigningConfigCommand, DeleteFunctionCommand,
  GetCodeSigningConfigCommand, GetFunctionCodeSigningConfigCommand, ListCodeSigningConfigsCommand, ListFunctionsByCodeSigningConfigCommand,
  PutFunctionCodeSigningConfigCommand, UpdateCodeSigningConfigCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
const FN_ARN = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
const CSC_ARN = /^arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-[0-9a-f]{17}$/;
const MISSING_CSC = 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0';
const PROFILE = 'arn:aws:signer:us-east-1:000000000000:/signing-profiles/test';
const CODE = 'exports.handler = async () => 1;';

const rejects = (call: Promise<unknown>, name: string, status: number, message: string) => expectAwsError(call, name, message, status);

async function createConfig(lambda: LambdaClient, policy: 'Warn' | 'Enforce' = 'Enforce') {
  return lambda.send(new CreateCodeSigningConfigCommand({
    Description: 'Testing CodeSigning Config',
    AllowedPublishers: { SigningProfileVersionArns: [PROFILE] },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy },
  }));
}

test('lifecycle: create, update, get, attach, list, detach, delete (as recorded)', async () => {
  const { lambda } = env;
  const created = await createConfig(lambda);
  assert.equal(created.$metadata.httpStatusCode, 201);
  const csc = created.CodeSigningConfig!;
  const arn = csc.CodeSigningConfigArn!;
  assert.match(arn, CSC_ARN);
  assert.equal(arn.split(':').at(-1), csc.CodeSigningConfigId);
  assert.deepEqual(csc.AllowedPublishers, { SigningProfileVersionArns: [PROFILE] });
  assert.deepEqual(csc.CodeSigningPolicies, { UntrustedArtifactOnDeployment: 'Enforce' });
  assert.equal(csc.Description, 'Testing CodeSigning Config');
  assert.match(csc.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  const updated = await lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: arn, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' } }));
  assert.equal(updated.$metadata.httpStatusCode, 200);
  assert.deepEqual({ ...updated.CodeSigningConfig, LastModified: undefined }, { ...csc, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' }, LastModified: undefined });
  const got = await lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
  assert.deepEqual(got.CodeSigningConfig, updated.CodeSigningConfig);

  await createNodeFunction(lambda, 'csc-fn', CODE);
  const put = await lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'csc-fn', CodeSigningConfigArn: arn }));
  assert.deepEqual({ arn: put.CodeSigningConfigArn, fn: put.FunctionName }, { arn, fn: 'csc-fn' });
  const attached = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'csc-fn' }));
  assert.deepEqual({ arn: attached.CodeSigningConfigArn, fn: attached.FunctionName }, { arn, fn: 'csc-fn' });

  const listed = await lambda.send(new ListCodeSigningConfigsCommand({}));
  assert.deepEqual(listed.CodeSigningConfigs!.find((c) => c.CodeSigningConfigArn === arn), got.CodeSigningConfig);
  const fns = await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
  assert.deepEqual(fns.FunctionArns, [FN_ARN('csc-fn')]);

  // In use: AWS deletes a config only when no function uses it.
  await rejects(lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), 'ResourceConflictException', 409,
    `The code signing configuration ${arn} cannot be deleted because it is used by one or more functions.`);

  const detached = await lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'csc-fn' }));
  assert.equal(detached.$metadata.httpStatusCode, 204);
  assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, []);
  const deleted = await lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await rejects(lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), 'ResourceNotFoundException', 404,
    `The Lambda code signing configuration ${arn} can not be found.`);
});

test('not-found answers, as recorded', async () => {
  const { lambda } = env;
  const arn = (await createConfig(lambda)).CodeSigningConfig!.CodeSigningConfigArn!;
  await createNodeFunction(lambda, 'csc-plain', CODE);
  const missingFn = 'csc-test-doesnotexist';
  const cscGone = `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${MISSING_CSC}.`;
  const lambdaCscGone = `The Lambda code signing configuration ${MISSING_CSC} can not be found.`;

  await rejects(lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC })), 'ResourceNotFoundException', 404, lambdaCscGone);
  // AWS leaves `Type` out of this answer, and keeps it in the function and CodeSigningConfigNotFound ones.
  await assert.rejects(lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC })), (e: any) => e.Type === undefined);
  await assert.rejects(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: missingFn })), (e: any) => e.Type === 'User');
  await assert.rejects(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'csc-plain', CodeSigningConfigArn: MISSING_CSC })), (e: any) => e.Type === 'User');
  const nothing = await lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'csc-plain' }));
  assert.equal(nothing.$metadata.httpStatusCode, 204);
  await rejects(lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: missingFn })), 'ResourceNotFoundException', 404, `Function not found: ${FN_ARN(missingFn)}`);
  await rejects(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: missingFn, CodeSigningConfigArn: arn })),
    'ResourceNotFoundException', 404, `Function not found: ${FN_ARN(missingFn)}`);
  await rejects(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'csc-plain', CodeSigningConfigArn: MISSING_CSC })),
    'CodeSigningConfigNotFoundException', 404, cscGone);
  await rejects(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: missingFn, CodeSigningConfigArn: MISSING_CSC })),
    'CodeSigningConfigNotFoundException', 404, cscGone);
  await rejects(lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC, Description: 'x' })), 'ResourceNotFoundException', 404, lambdaCscGone);
  await rejects(lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC })), 'ResourceNotFoundException', 404, lambdaCscGone);
  const noUpdate = await lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
  assert.deepEqual(noUpdate.CodeSigningConfig!.CodeSigningPolicies, { UntrustedArtifactOnDeployment: 'Enforce' });
  assert.equal(noUpdate.CodeSigningConfig!.Description, 'Testing CodeSigning Config');
  await rejects(lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC })), 'ResourceNotFoundException', 404, lambdaCscGone);
  const without = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'csc-plain' }));
  assert.equal(without.$metadata.httpStatusCode, 200);
  assert.deepEqual({ arn: without.CodeSigningConfigArn, fn: without.FunctionName }, { arn: undefined, fn: undefined });
  await rejects(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: missingFn })), 'ResourceNotFoundException', 404, `Function not found: ${FN_ARN(missingFn)}`);
  assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, []);
  await rejects(lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING_CSC })), 'ResourceNotFoundException', 404, lambdaCscGone);
});

test('CreateFunction with CodeSigningConfigArn attaches it; deleting the function detaches it; listings page', async () => {
  const { lambda } = env;
  const arn = (await createConfig(lambda, 'Warn')).CodeSigningConfig!.CodeSigningConfigArn!;
  await rejects(createNodeFunction(lambda, 'csc-create-bad', CODE, { CodeSigningConfigArn: MISSING_CSC }), 'CodeSigningConfigNotFoundException', 404,
    `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${MISSING_CSC}.`);
  await rejects(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'csc-create-bad' })), 'ResourceNotFoundException', 404, `Function not found: ${FN_ARN('csc-create-bad')}`);
  for (const name of ['csc-a', 'csc-b', 'csc-c']) await createNodeFunction(lambda, name, CODE, { CodeSigningConfigArn: arn });
  assert.equal((await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'csc-b' }))).CodeSigningConfigArn, arn);

  const first = await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn, MaxItems: 2 }));
  assert.deepEqual(first.FunctionArns, [FN_ARN('csc-a'), FN_ARN('csc-b')]);
  const second = await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn, MaxItems: 2, Marker: first.NextMarker }));
  assert.deepEqual(second.FunctionArns, [FN_ARN('csc-c')]);
  assert.equal(second.NextMarker, undefined);

  for (const name of ['csc-a', 'csc-b', 'csc-c']) await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
  assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, []);
  assert.equal((await lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).$metadata.httpStatusCode, 204);

  const arns: string[] = [];
  for (let i = 0; i < 3; i++) arns.push((await createConfig(lambda)).CodeSigningConfig!.CodeSigningConfigArn!);
  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListCodeSigningConfigsCommand({ MaxItems: 1, Marker: marker }));
    seen.push(...page.CodeSigningConfigs!.map((c) => c.CodeSigningConfigArn!));
    marker = page.NextMarker;
  } while (marker);
  for (const a of arns) assert.ok(seen.includes(a), `${a} listed`);
  assert.equal(new Set(seen).size, seen.length, 'no config twice across pages');
});

test('AWS CLI: get-function-code-signing-config', async () => {
  const { lambda } = env;
  const arn = (await createConfig(lambda)).CodeSigningConfig!.CodeSigningConfigArn!;
  await createNodeFunction(lambda, 'csc-cli', CODE, { CodeSigningConfigArn: arn });
  const cli = (...args: string[]) => awsCli(env.url, args);
  const got = await cli('lambda', 'get-function-code-signing-config', '--function-name', 'csc-cli');
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.json(), { CodeSigningConfigArn: arn, FunctionName: 'csc-cli' });
  const config = await cli('lambda', 'get-code-signing-config', '--code-signing-config-arn', arn);
  assert.equal(config.code, 0, config.stderr);
  assert.equal(config.json().CodeSigningConfig.CodeSigningPolicies.UntrustedArtifactOnDeployment, 'Enforce');
  const missing = await cli('lambda', 'get-function-code-signing-config', '--function-name', 'csc-cli-nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:csc-cli-nope/);
});
