// Function URL configs through the AWS SDK v3 and the AWS CLI: Create/Get/Update/Delete
// FunctionUrlConfig and ListFunctionUrlConfigs with the answers, messages and fields recorded on AWS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionUrlConfigCommand, GetFunctionUrlConfigCommand, UpdateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand, PublishVersionCommand, CreateAliasCommand, DeleteAliasCommand, DeleteFunctionCommand,
} from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer();
const arn = (name: string, q?: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}${q ? `:${q}` : ''}`;
const CODE = 'exports.handler = async () => "ok";';
const URL_FORM = new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.${testRegion}\\.localhost:\\d+/$`);
const qualifierError = (q: string) =>
  `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`;

/** A function with version 1 and alias `urlalias` on it. */
async function functionWithAlias(name: string): Promise<void> {
  await createNodeFunction(env.lambda, name, CODE);
  await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'urlalias', FunctionVersion: '1' }));
}

test('lifecycle: create answers 201 without LastModifiedTime, a second create conflicts, get/update/delete', async () => {
  const name = 'url-lifecycle';
  await createNodeFunction(env.lambda, name, CODE);
  const created = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.FunctionUrl!, URL_FORM);
  assert.equal(created.FunctionArn, arn(name));
  assert.equal(created.AuthType, 'NONE');
  assert.ok(!Number.isNaN(Date.parse(created.CreationTime!)));
  assert.equal(created.InvokeMode, undefined);
  assert.equal((created as unknown as Record<string, unknown>).LastModifiedTime, undefined);

  await expectAwsError(env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' })), 'ResourceConflictException',
    `Failed to create function url config for [functionArn = ${arn(name)}]. Error message:  FunctionUrlConfig exists for this Lambda function`, 409);

  const got = await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
  assert.equal(got.FunctionUrl, created.FunctionUrl);
  assert.equal(got.InvokeMode, 'BUFFERED');
  assert.equal(got.CreationTime, created.CreationTime);
  assert.ok(got.LastModifiedTime);

  const cors = { AllowOrigins: ['https://example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 60 };
  const updated = await env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM', Cors: cors }));
  assert.equal(updated.AuthType, 'AWS_IAM');
  assert.equal(updated.FunctionUrl, created.FunctionUrl);
  assert.equal(updated.InvokeMode, undefined, 'InvokeMode is echoed only once it was set');
  assert.deepEqual(updated.Cors, cors);
  assert.ok(updated.LastModifiedTime);

  const deleted = await env.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await expectAwsError(env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);

  const again = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  assert.notEqual(again.FunctionUrl, created.FunctionUrl, 'a new URL config gets a new address');
});

test('InvokeMode: echoed by Create and Update once set, kept when Update omits it; an unknown mode is a validation error', async () => {
  const name = 'url-invoke-mode';
  await createNodeFunction(env.lambda, name, CODE);
  const created = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', InvokeMode: 'BUFFERED' }));
  assert.equal(created.InvokeMode, 'BUFFERED');
  const modified = await env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, InvokeMode: 'RESPONSE_STREAM' }));
  assert.equal(modified.InvokeMode, 'RESPONSE_STREAM');
  const unchanged = await env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name }));
  assert.equal(unchanged.InvokeMode, 'RESPONSE_STREAM');
  assert.equal((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }))).InvokeMode, 'RESPONSE_STREAM');

  await createNodeFunction(env.lambda, 'url-invoke-mode-bad', CODE);
  await expectAwsError(env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-invoke-mode-bad', AuthType: 'NONE', InvokeMode: 'UNKNOWN' as 'BUFFERED' })),
    'ValidationException', "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]", 400);
});

test('exceptions: missing functions and aliases, version and $LATEST qualifiers, qualifier mismatch, as recorded', async () => {
  const name = 'url-exceptions';
  await functionWithAlias(name);
  const ops = {
    create: (FunctionName: string, Qualifier?: string) => env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName, Qualifier, AuthType: 'NONE' })),
    get: (FunctionName: string, Qualifier?: string) => env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName, Qualifier })),
    update: (FunctionName: string, Qualifier?: string) => env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName, Qualifier, AuthType: 'NONE' })),
    delete: (FunctionName: string, Qualifier?: string) => env.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName, Qualifier })),
  };
  const missing = { create: 'Function does not exist', update: 'Function does not exist', get: 'The resource you requested does not exist.', delete: 'The resource you requested does not exist.' };
  for (const [op, call] of Object.entries(ops) as [keyof typeof ops, (n: string, q?: string) => Promise<unknown>][]) {
    await expectAwsError(call('doesnotexist'), 'ResourceNotFoundException', missing[op], 404);
    await expectAwsError(call(arn('doesnotexist')), 'ResourceNotFoundException', missing[op], 404);
    await expectAwsError(call('doesnotexist', '1'), 'ValidationException', qualifierError('1'), 400);
    await expectAwsError(call(name, '1'), 'ValidationException', qualifierError('1'), 400);
    await expectAwsError(call(name, '2'), 'ValidationException', qualifierError('2'), 400);
    await expectAwsError(call(name, '$LATEST'), 'ValidationException', qualifierError('$LATEST'), 400);
    await expectAwsError(call(name, 'aliasdoesnotexist'), 'ResourceNotFoundException', missing[op], 404);
    if (op !== 'delete') {
      await expectAwsError(call(arn(name, 'urlalias'), 'other'), 'InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.', 400);
    }
    if (op !== 'create') await expectAwsError(call(name), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  }
  await expectAwsError(env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', 'Function does not exist', 404);
  await expectAwsError(env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: `arn:aws:lambda:eu-west-3:${testAccount}:function:${name}` })),
    'ResourceNotFoundException', `Functions from 'eu-west-3' are not reachable in this region ('${testRegion}')`, 404);
});

test('list: one URL for the function and one per alias, paged with MaxItems and Marker', async () => {
  const name = 'url-list';
  await functionWithAlias(name);
  assert.deepEqual((await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }))).FunctionUrlConfigs, []);
  const fn = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  const alias = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'urlalias', AuthType: 'NONE' }));
  assert.equal(alias.FunctionArn, arn(name, 'urlalias'));
  assert.notEqual(alias.FunctionUrl, fn.FunctionUrl);

  const all = await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
  assert.deepEqual(all.FunctionUrlConfigs!.map((c) => [c.FunctionArn, c.FunctionUrl, c.AuthType, c.InvokeMode]), [
    [arn(name), fn.FunctionUrl, 'NONE', 'BUFFERED'],
    [arn(name, 'urlalias'), alias.FunctionUrl, 'NONE', 'BUFFERED'],
  ]);
  assert.equal(all.NextMarker, undefined);
  const first = await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 1 }));
  assert.deepEqual(first.FunctionUrlConfigs!.map((c) => c.FunctionArn), [arn(name)]);
  assert.ok(first.NextMarker);
  const second = await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 1, Marker: first.NextMarker }));
  assert.deepEqual(second.FunctionUrlConfigs!.map((c) => c.FunctionArn), [arn(name, 'urlalias')]);
  assert.equal(second.NextMarker, undefined);
});

test('deleting the unqualified URL keeps the alias URL; deleting an alias keeps its URL config; deleting the function drops all', async () => {
  const name = 'url-deletion';
  await functionWithAlias(name);
  await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  const aliasUrl = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'urlalias', AuthType: 'NONE' }));
  await env.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }));
  await expectAwsError(env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
  assert.equal((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'urlalias' }))).FunctionUrl, aliasUrl.FunctionUrl);

  await env.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'urlalias' }));
  const listed = await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
  assert.deepEqual(listed.FunctionUrlConfigs!.map((c) => c.FunctionUrl), [aliasUrl.FunctionUrl]);
  assert.equal((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'urlalias' }))).FunctionUrl, aliasUrl.FunctionUrl);
  await expectAwsError(env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'urlalias', AuthType: 'AWS_IAM' })), 'ResourceNotFoundException', 'Function does not exist');
  await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'other', FunctionVersion: '1' }));
  await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'other', AuthType: 'NONE' }));

  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
  await createNodeFunction(env.lambda, name, CODE);
  assert.deepEqual((await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }))).FunctionUrlConfigs, []);
});

test('Cors is stored and echoed; Update replaces it as a whole', async () => {
  const name = 'url-cors-config';
  await createNodeFunction(env.lambda, name, CODE);
  const cors = { AllowCredentials: true, AllowHeaders: ['x-custom'], AllowMethods: ['*'], AllowOrigins: ['*'], ExposeHeaders: ['x-out'], MaxAge: 300 };
  const created = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', Cors: cors }));
  assert.deepEqual(created.Cors, cors);
  const updated = await env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, Cors: { AllowOrigins: ['https://a.example'] } }));
  assert.deepEqual(updated.Cors, { AllowOrigins: ['https://a.example'] });
  assert.deepEqual((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }))).Cors, { AllowOrigins: ['https://a.example'] });
});

test('the AWS CLI: create-function-url-config and get-function-url-config', async () => {
  const name = 'url-cli';
  await createNodeFunction(env.lambda, name, CODE);
  const created = await awsCli(env.url, ['lambda', 'create-function-url-config', '--function-name', name, '--auth-type', 'NONE', '--cors', 'AllowOrigins=https://example.com,MaxAge=10']);
  assert.equal(created.code, 0, created.stderr);
  const out = created.json();
  assert.match(out.FunctionUrl, URL_FORM);
  assert.equal(out.FunctionArn, arn(name));
  assert.deepEqual(out.Cors, { AllowOrigins: ['https://example.com'], MaxAge: 10 });
  const got = await awsCli(env.url, ['lambda', 'get-function-url-config', '--function-name', name]);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.json().FunctionUrl, out.FunctionUrl);
  const conflict = await awsCli(env.url, ['lambda', 'create-function-url-config', '--function-name', name, '--auth-type', 'NONE']);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /ResourceConflictException/);
});

test('concurrent creates of one URL: exactly one wins, the rest conflict', async () => {
  const name = 'url-race';
  await createNodeFunction(env.lambda, name, CODE);
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }))));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'ResourceConflictException');
  assert.equal((await env.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }))).FunctionUrlConfigs!.length, 1);
});

test('concurrent updates of different settings all land', async () => {
  const name = 'url-update-race';
  await createNodeFunction(env.lambda, name, CODE);
  await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  await Promise.all([
    env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' })),
    env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, Cors: { AllowOrigins: ['https://a.example'] } })),
    env.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, InvokeMode: 'RESPONSE_STREAM' })),
  ]);
  const got = await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
  assert.deepEqual([got.AuthType, got.Cors, got.InvokeMode], ['AWS_IAM', { AllowOrigins: ['https://a.example'] }, 'RESPONSE_STREAM']);
});
