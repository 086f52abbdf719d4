// The DEV/PROD walkthrough through both invoke URLs: hello-lambda versions 1 and 2 behind aliases
// prod and dev, one REST API whose integration calls hello-lambda:${stageVariables.env}. Calling
// without permission, then with it; an alias moved and a stage variable changed live; deployment
// snapshots (an undeployed change is not served until redeployed); and examples/hello-lambda/walkthrough.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddPermissionCommand, CreateAliasCommand, PublishVersionCommand, UpdateAliasCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteStageCommand, GetResourcesCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { repoRoot, testAccount, testRegion } from '../src/testing/server.js';
import { AWS_CLI } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { TestServer, useServer, type ServerFixture } from '../src/testing/fixture.js';
import { invokeHost, invokePath, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();

/** The clients the setup helpers below use: the suite's server unless a test brings its own. */
type Clients = Pick<ServerFixture, 'lambda' | 'apigw'>;

const greeting = (r: HttpAnswer) => `${r.status} ${r.headers['x-function-version']} ${r.text}`;

async function createHelloLambda(name: string, { lambda }: Clients = env): Promise<void> {
  const zip = await makeZip({ 'index.mjs': readFileSync(join(repoRoot, 'examples', 'hello-lambda', 'src', 'index.mjs')) });
  await createNodeFunction(lambda, name, zip, { Environment: { Variables: { GREETING: 'Hello from Lambda (version 1)' } } });
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { GREETING: 'Hello from Lambda (version 2)' } } }));
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: '1' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '2' }));
}

async function createApi(fn: string, { apigw }: Clients = env): Promise<{ apiId: string; rootId: string }> {
  const api = await apigw.send(new CreateRestApiCommand({ name: `${fn}-api` }));
  const apiId = api.id!;
  const root = (await apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!;
  const hello = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root.id!, pathPart: 'hello' }));
  // No credentials: API Gateway calls the alias only if its resource policy allows it.
  await putLambdaProxyMethod(apigw, { restApiId: apiId, resourceId: hello.id!, httpMethod: 'GET' }, `${fn}:\${stageVariables.env}`);
  const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', variables: { env: 'dev' } }));
  await apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'prod', deploymentId: deployment.id!, variables: { env: 'prod' } }));
  return { apiId, rootId: root.id! };
}

const allow = (fn: string, alias: string, apiId: string, sid = 'apigw') =>
  env.lambda.send(new AddPermissionCommand({
    FunctionName: `${fn}:${alias}`, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*/GET/hello`,
  }));

test('walkthrough: no permission is a 500 and a log line; with it dev answers from version 2 and prod from version 1', async () => {
  const fn = 'hello-lambda';
  await createHelloLambda(fn);
  const { apiId } = await createApi(fn);

  const denied = await invokeHost(env.url, apiId, 'dev', '/hello');
  assert.equal(denied.status, 500);
  assert.equal(denied.text, '{"message": "Internal server error"}');
  assert.equal(denied.headers['x-amzn-errortype'], 'InternalServerErrorException');
  await waitFor(() => /Invalid permissions on Lambda function.*lambda:InvokeFunction.*hello-lambda:dev.*arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]+\/dev\/GET\/hello/.test(env.server.stderr()));

  await allow(fn, 'dev', apiId);
  await allow(fn, 'prod', apiId);
  for (const invoke of [invokeHost, invokePath]) {
    assert.equal(greeting(await invoke(env.url, apiId, 'dev', '/hello')), '200 2 "Hello from Lambda (version 2)"');
    assert.equal(greeting(await invoke(env.url, apiId, 'prod', '/hello')), '200 1 "Hello from Lambda (version 1)"');
  }
  const r = await invokeHost(env.url, apiId, 'dev', '/hello');
  assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.match(String(r.headers['x-amz-apigw-id']), /^[A-Za-z0-9=]{16}$/);
  assert.match(String(r.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);

  // A permission for the dev stage only does not cover prod.
  const fn2 = 'hello-narrow';
  await createHelloLambda(fn2);
  const narrow = await createApi(fn2);
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: `${fn2}:dev`, StatementId: 'dev-only', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${narrow.apiId}/dev/GET/hello`,
  }));
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: `${fn2}:prod`, StatementId: 'dev-only', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${narrow.apiId}/dev/GET/hello`,
  }));
  assert.equal((await invokePath(env.url, narrow.apiId, 'dev', '/hello')).status, 200);
  assert.equal((await invokePath(env.url, narrow.apiId, 'prod', '/hello')).status, 500);
});

test('moving an alias or changing a stage variable moves an environment without a redeploy', async () => {
  const fn = 'hello-move';
  await createHelloLambda(fn);
  const { apiId } = await createApi(fn);
  await allow(fn, 'dev', apiId);
  await allow(fn, 'prod', apiId);
  assert.equal(greeting(await invokeHost(env.url, apiId, 'prod', '/hello')), '200 1 "Hello from Lambda (version 1)"');

  await env.lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'prod', FunctionVersion: '2' }));
  assert.equal(greeting(await invokeHost(env.url, apiId, 'prod', '/hello')), '200 2 "Hello from Lambda (version 2)"');
  await env.lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'prod', FunctionVersion: '1' }));
  assert.equal(greeting(await invokeHost(env.url, apiId, 'prod', '/hello')), '200 1 "Hello from Lambda (version 1)"');

  await env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/env', value: 'dev' }] }));
  assert.equal(greeting(await invokeHost(env.url, apiId, 'prod', '/hello')), '200 2 "Hello from Lambda (version 2)"');
  // A variable naming an alias without permission (or that does not exist) is AWS's 500.
  await env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/env', value: 'nope' }] }));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/hello')).status, 500);
});

test('a stage serves its deployment: undeployed changes are not served until redeployed', async () => {
  const fn = 'hello-snap';
  await createHelloLambda(fn);
  const { apiId, rootId } = await createApi(fn);
  const extra = await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'status' }));
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: extra.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: extra.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: extra.id!, httpMethod: 'GET', statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: extra.id!, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"status": "ok", "stage": "$context.stage"}' } }));

  const before = await invokeHost(env.url, apiId, 'dev', '/status');
  assert.deepEqual([before.status, before.text, before.headers['x-amzn-errortype']], [403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException']);

  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', variables: { env: 'dev' } }));
  const after = await invokeHost(env.url, apiId, 'dev', '/status');
  assert.deepEqual([after.status, after.json()], [200, { status: 'ok', stage: 'dev' }]);
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/status')).status, 403, 'prod still serves the first deployment');

  await env.apigw.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'dev' }));
  const gone = await invokeHost(env.url, apiId, 'dev', '/status');
  assert.deepEqual([gone.status, gone.text, gone.headers['x-amzn-errortype']], [403, '{"message":"Forbidden"}', 'ForbiddenException']);
});

test('unknown APIs, stages and paths answer as AWS does, on both URL forms', async () => {
  for (const invoke of [invokeHost, invokePath]) {
    const noApi = await invoke(env.url, 'doesnotexist', 'dev', '/hello');
    assert.deepEqual([noApi.status, noApi.text], [403, '{"message":"Forbidden"}']);
  }
  const port = new URL(env.url).port;
  const { httpCall } = await import('../src/execute-api/testing.js');
  const noStage = await httpCall(env.url, '/', { headers: { Host: `abc.execute-api.localhost:${port}` } });
  assert.deepEqual([noStage.status, noStage.text], [403, '{"message":"Forbidden"}']);
});

test('examples/hello-lambda/walkthrough.sh reproduces the walkthrough with the AWS CLI and prints both URLs', async () => {
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', [join(repoRoot, 'examples', 'hello-lambda', 'walkthrough.sh')], {
      env: { PATH: `${AWS_CLI.replace(/\/aws$/, '')}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', STAGECRAFT_ENDPOINT: env.url, AWS_MAX_ATTEMPTS: '1' },
      timeout: 120_000,
    }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }));
  });
  assert.equal(out.code, 0, out.stderr + out.stdout);
  const apiId = /http:\/\/([a-z0-9]+)\.execute-api\.localhost:\d+\/dev\/hello/.exec(out.stdout)?.[1];
  assert.ok(apiId, out.stdout);
  const port = new URL(env.url).port;
  assert.ok(out.stdout.includes(`http://${apiId}.execute-api.localhost:${port}/prod/hello`));
  assert.ok(out.stdout.includes(`/restapis/${apiId}/dev/_user_request_/hello`));
  assert.ok(out.stdout.includes(`/restapis/${apiId}/prod/_user_request_/hello`));
  assert.match(out.stdout, /GET \/dev\/hello\nHTTP\/1\.1 200 OK\r?\nX-Function-Version: 2/i);
  assert.match(out.stdout, /GET \/prod\/hello\nHTTP\/1\.1 200 OK\r?\nX-Function-Version: 1/i);
  assert.equal(greeting(await invokeHost(env.url, apiId, 'dev', '/hello')), '200 2 "Hello from Lambda (version 2)"');
  assert.equal(greeting(await invokeHost(env.url, apiId, 'prod', '/hello')), '200 1 "Hello from Lambda (version 1)"');
});

test('`serve --no-enforce-permissions` lets API Gateway call functions without a resource policy', async () => {
  const relaxed = await TestServer.start({ args: ['--no-enforce-permissions'] });
  try {
    await createHelloLambda('hello-open', relaxed);
    const { apiId } = await createApi('hello-open', relaxed);
    assert.equal(greeting(await invokeHost(relaxed.url, apiId, 'dev', '/hello')), '200 2 "Hello from Lambda (version 2)"');
    assert.equal(greeting(await invokePath(relaxed.url, apiId, 'prod', '/hello')), '200 1 "Hello from Lambda (version 1)"');
  } finally {
    await relaxed.stop();
  }
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
