// Recursion and runtime management settings through SDK v3 and the AWS CLI (the installed CLI
// predates the recursion commands, so it exercises runtime management): the recorded AWS
// answers (RecursiveLoop defaults to Terminate; an unknown value is a ValidationException), the
// runtime update mode per version and its RuntimeVersionArn rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteFunctionCommand, GetFunctionRecursionConfigCommand, GetRuntimeManagementConfigCommand,
  PutFunctionRecursionConfigCommand, PutRuntimeManagementConfigCommand,
} from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
const ARN = (fn: string, q?: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}${q ? `:${q}` : ''}`;
const CODE = 'exports.handler = async () => 1;';
const RUNTIME_VERSION = 'arn:aws:lambda:us-east-1::runtime:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

const rejects = (call: Promise<unknown>, name: string, status: number, message: string) => expectAwsError(call, name, message, status);

test('recursion config: Terminate by default, Allow once put, validation as recorded', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rec-fn', CODE);
  const initial = await lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'rec-fn' }));
  assert.equal(initial.RecursiveLoop, 'Terminate');
  const put = await lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'rec-fn', RecursiveLoop: 'Allow' }));
  assert.equal(put.$metadata.httpStatusCode, 200);
  assert.equal(put.RecursiveLoop, 'Allow');
  assert.equal((await lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: ARN('rec-fn') }))).RecursiveLoop, 'Allow');
  await rejects(lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'rec-fn', RecursiveLoop: 'InvalidValue' as 'Allow' })),
    'ValidationException', 400, "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]");
  await rejects(lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'rec-missing' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('rec-missing')}`);
  await rejects(lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'rec-missing', RecursiveLoop: 'Allow' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('rec-missing')}`);
  // A function created again under the name starts from the default.
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'rec-fn' }));
  await createNodeFunction(lambda, 'rec-fn', CODE);
  assert.equal((await lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'rec-fn' }))).RecursiveLoop, 'Terminate');
});

test('runtime management config: Auto by default, per version, RuntimeVersionArn only with Manual', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rtm-fn', CODE, { Publish: true });
  const initial = await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn' }));
  assert.equal(initial.UpdateRuntimeOn, 'Auto');
  assert.equal(initial.FunctionArn, ARN('rtm-fn'));
  assert.equal(initial.RuntimeVersionArn, undefined);

  const manual = await lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', UpdateRuntimeOn: 'Manual', RuntimeVersionArn: RUNTIME_VERSION }));
  assert.deepEqual({ on: manual.UpdateRuntimeOn, fn: manual.FunctionArn, v: manual.RuntimeVersionArn }, { on: 'Manual', fn: ARN('rtm-fn'), v: RUNTIME_VERSION });
  const got = await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', Qualifier: '$LATEST' }));
  assert.deepEqual({ on: got.UpdateRuntimeOn, v: got.RuntimeVersionArn }, { on: 'Manual', v: RUNTIME_VERSION });

  // Version 1 has its own setting.
  const v1 = await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', Qualifier: '1' }));
  assert.deepEqual({ on: v1.UpdateRuntimeOn, fn: v1.FunctionArn }, { on: 'Auto', fn: ARN('rtm-fn', '1') });
  const put1 = await lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', Qualifier: '1', UpdateRuntimeOn: 'FunctionUpdate' }));
  assert.equal(put1.UpdateRuntimeOn, 'FunctionUpdate');
  assert.equal((await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: ARN('rtm-fn', '1') }))).UpdateRuntimeOn, 'FunctionUpdate');
  assert.equal((await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn' }))).UpdateRuntimeOn, 'Manual', '$LATEST keeps its own');

  await rejects(lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', UpdateRuntimeOn: 'Manual' })),
    'InvalidParameterValueException', 400, 'RuntimeVersionArn must be provided when UpdateRuntimeOn is Manual.');
  await rejects(lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', UpdateRuntimeOn: 'Auto', RuntimeVersionArn: RUNTIME_VERSION })),
    'InvalidParameterValueException', 400, 'RuntimeVersionArn can be provided only when UpdateRuntimeOn is Manual, not Auto.');
  await rejects(lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', UpdateRuntimeOn: 'Sometimes' as 'Auto' })),
    'ValidationException', 400, "1 validation error detected: Value 'Sometimes' at 'updateRuntimeOn' failed to satisfy constraint: Member must satisfy enum value set: [Auto, Manual, FunctionUpdate]");
  await rejects(lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', Qualifier: '7' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('rtm-fn', '7')}`);
  await rejects(lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'rtm-missing' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN('rtm-missing')}`);
  await rejects(lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'rtm-fn', Qualifier: '7', UpdateRuntimeOn: 'Auto' })),
    'ResourceNotFoundException', 404, `Function not found: ${ARN('rtm-fn', '7')}`);
});

test('AWS CLI: put-runtime-management-config and get-runtime-management-config', async () => {
  await createNodeFunction(env.lambda, 'rtm-cli', CODE);
  const cli = (...args: string[]) => awsCli(env.url, args);
  const initial = await cli('lambda', 'get-runtime-management-config', '--function-name', 'rtm-cli');
  assert.equal(initial.code, 0, initial.stderr);
  // (this CLI's model predates FunctionArn in GetRuntimeManagementConfig's answer, so it drops it)
  assert.equal(initial.json().UpdateRuntimeOn, 'Auto');
  assert.equal(initial.json().RuntimeVersionArn, undefined);
  const put = await cli('lambda', 'put-runtime-management-config', '--function-name', 'rtm-cli', '--update-runtime-on', 'Manual', '--runtime-version-arn', RUNTIME_VERSION);
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual(put.json(), { UpdateRuntimeOn: 'Manual', FunctionArn: ARN('rtm-cli'), RuntimeVersionArn: RUNTIME_VERSION });
  const got = await cli('lambda', 'get-runtime-management-config', '--function-name', 'rtm-cli');
  assert.deepEqual({ on: got.json().UpdateRuntimeOn, v: got.json().RuntimeVersionArn }, { on: 'Manual', v: RUNTIME_VERSION });
  const bad = await cli('lambda', 'get-runtime-management-config', '--function-name', 'rtm-nope');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:rtm-nope/);
});
