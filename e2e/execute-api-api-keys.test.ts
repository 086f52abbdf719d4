// API keys on invoke URLs, as AWS enforces them: a method with apiKeyRequired admits a request only
// when its x-api-key (or, with apiKeySource AUTHORIZER, the Lambda authorizer's usageIdentifierKey)
// is an enabled key of a usage plan listing this API stage; anything else is 403 Forbidden.
// Every change — disabling, leaving a plan, the plan losing the stage, deletion — applies to the
// next request without a redeploy. The key reaches the integration ($context.identity.apiKey,
// requestContext.identity.apiKey/apiKeyId); the plan's quota and throttle answer 429. The last
// test is the AWS CLI walkthrough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteUsagePlanKeyCommand, GetResourcesCommand, PutIntegrationCommand, PutIntegrationResponseCommand,
  PutMethodCommand, PutMethodResponseCommand, UpdateApiKeyCommand, UpdateUsagePlanCommand, type CreateApiKeyCommandOutput,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, invokePath, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) });`;
// Admits every token, naming it as the caller's API key.
const KEY_AUTHORIZER = `
exports.handler = async (event) => ({ principalId: 'p', usageIdentifierKey: event.authorizationToken,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } });`;

let apiId: string;
let authApiId: string;
let devPlan: string;
let prodPlan: string;
const keys: Record<string, CreateApiKeyCommandOutput> = {};

const call = (path: string, key?: string, stage = 'dev', headers: Record<string, string> = {}): Promise<HttpAnswer> =>
  invokeHost(env.url, apiId, stage, path, { headers: key === undefined ? headers : { 'x-api-key': key, ...headers } });
const forbidden = (r: HttpAnswer) => {
  assert.equal(r.status, 403, r.text);
  assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
  assert.equal(r.text, '{"message":"Forbidden"}');
};

/** A GET method on a new resource under `parent`; MOCK answering `template`, or AWS_PROXY to echo. */
async function method(restApiId: string, parentId: string, pathPart: string, options: { apiKeyRequired: boolean; template?: string; authorizerId?: string }) {
  const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  const m = { restApiId, resourceId, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({
    ...m, apiKeyRequired: options.apiKeyRequired, authorizationType: options.authorizerId ? 'CUSTOM' : 'NONE', authorizerId: options.authorizerId,
  }));
  if (options.template === undefined) {
    await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('echo'), credentials: apiGatewayInvokeRole }));
    return;
  }
  await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': options.template } }));
}

const rootOf = async (restApiId: string) => (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
const addKey = (usagePlanId: string, keyId: string | undefined) => env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }));

env.setup(async () => {
  await createNodeFunction(env.lambda, 'echo', ECHO);
  await createNodeFunction(env.lambda, 'key-authorizer', KEY_AUTHORIZER);

  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'keys' }))).id!;
  const root = await rootOf(apiId);
  await method(apiId, root, 'open', { apiKeyRequired: false, template: '{"open": true}' });
  await method(apiId, root, 'mock', { apiKeyRequired: true, template: '{"apiKey": "$context.identity.apiKey", "apiKeyId": "$context.identity.apiKeyId"}' });
  await method(apiId, root, 'echo', { apiKeyRequired: true });
  for (const stageName of ['dev', 'prod', 'cli', 'metered']) await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName }));

  devPlan = (await env.apigw.send(new CreateUsagePlanCommand({ name: 'dev', apiStages: [{ apiId, stage: 'dev' }] }))).id!;
  prodPlan = (await env.apigw.send(new CreateUsagePlanCommand({ name: 'prod', apiStages: [{ apiId, stage: 'prod' }] }))).id!;
  for (const name of ['dev', 'prod', 'planless', 'disabled']) {
    keys[name] = await env.apigw.send(new CreateApiKeyCommand({ name, enabled: name !== 'disabled' }));
  }
  await addKey(devPlan, keys.dev.id);
  await addKey(devPlan, keys.disabled.id);
  await addKey(prodPlan, keys.prod.id);

  // An API whose keys come from its Lambda authorizer (apiKeySource AUTHORIZER).
  authApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'keys-by-authorizer', apiKeySource: 'AUTHORIZER' }))).id!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'key-authorizer', StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${authApiId}/authorizers/*`,
  }));
  const authorizerId = (await env.apigw.send(new CreateAuthorizerCommand({
    restApiId: authApiId, name: 'keys', type: 'TOKEN', authorizerUri: invocationsUri('key-authorizer'), identitySource: 'method.request.header.Authorization',
    authorizerResultTtlInSeconds: 0,
  }))).id!;
  await method(authApiId, await rootOf(authApiId), 'echo', { apiKeyRequired: true, authorizerId });
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: authApiId, stageName: 'dev' }));
  await env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: devPlan, patchOperations: [{ op: 'add', path: '/apiStages', value: `${authApiId}:dev` }] }));
});

test('a method that requires a key refuses requests without one; other methods do not ask', async () => {
  forbidden(await call('/mock'));
  forbidden(await call('/echo'));
  forbidden(await call('/mock', ''));
  const open = await call('/open');
  assert.equal(open.status, 200, open.text);
  assert.deepEqual(open.json(), { open: true });
});

test('an enabled key of a plan listing the stage is admitted, and the integration sees it', async () => {
  const mock = await call('/mock', keys.dev.value);
  assert.equal(mock.status, 200, mock.text);
  assert.deepEqual(mock.json(), { apiKey: keys.dev.value, apiKeyId: keys.dev.id });
  const echo = await call('/echo', keys.dev.value);
  assert.equal(echo.status, 200, echo.text);
  const identity = echo.json();
  assert.equal(identity.apiKey, keys.dev.value);
  assert.equal(identity.apiKeyId, keys.dev.id);
  assert.equal(identity.sourceIp, '127.0.0.1');
  // The other invoke URL form checks the same way.
  assert.equal((await invokePath(env.url, apiId, 'dev', '/mock', { headers: { 'x-api-key': keys.dev.value! } })).status, 200);
  forbidden(await invokePath(env.url, apiId, 'dev', '/mock'));
});

test('keys of other stages, unknown values, keys in no plan and disabled keys are refused', async () => {
  forbidden(await call('/mock', keys.dev.value, 'prod'));
  assert.equal((await call('/mock', keys.prod.value, 'prod')).status, 200);
  forbidden(await call('/mock', keys.prod.value, 'dev'));
  forbidden(await call('/mock', 'x'.repeat(40)));
  forbidden(await call('/mock', keys.planless.value));
  forbidden(await call('/mock', keys.disabled.value));
  forbidden(await call('/mock', keys.dev.id)); // the id is not the value
});

test('disabling, leaving the plan, the plan losing the stage: each applies at once, without a redeploy', async () => {
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'changing', enabled: true }));
  await addKey(devPlan, key.id);
  const status = async () => (await call('/mock', key.value)).status;
  assert.equal(await status(), 200);
  await env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
  assert.equal(await status(), 403, 'disabled');
  await env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
  assert.equal(await status(), 200, 'enabled again');
  await env.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: devPlan, keyId: key.id }));
  assert.equal(await status(), 403, 'removed from the plan');
  await addKey(devPlan, key.id);
  assert.equal(await status(), 200, 'back in the plan');
  const stagePatch = (op: 'add' | 'remove') => env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: devPlan, patchOperations: [{ op, path: '/apiStages', value: `${apiId}:dev` }] }));
  await stagePatch('remove');
  assert.equal(await status(), 403, 'the plan no longer lists the stage');
  await stagePatch('add');
  assert.equal(await status(), 200);
  await env.apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
  assert.equal(await status(), 403, 'deleted');
});

test('with apiKeySource AUTHORIZER the key is the authorizer\'s usageIdentifierKey, not x-api-key', async () => {
  const viaAuthorizer = (token: string, headers: Record<string, string> = {}) =>
    invokeHost(env.url, authApiId, 'dev', '/echo', { headers: { Authorization: token, ...headers } });
  const admitted = await viaAuthorizer(keys.dev.value!);
  assert.equal(admitted.status, 200, admitted.text);
  assert.equal(admitted.json().apiKeyId, keys.dev.id);
  forbidden(await viaAuthorizer(keys.prod.value!));
  forbidden(await viaAuthorizer('not-a-key', { 'x-api-key': keys.dev.value! }));
});

test('usage plan quota and throttle: 429 Limit Exceeded past the quota, 429 Too Many Requests past the burst', async () => {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'metered', apiStages: [{ apiId, stage: 'metered' }], quota: { limit: 2, period: 'DAY' } }));
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'metered', enabled: true }));
  await addKey(plan.id!, key.id);
  const metered = () => call('/mock', key.value, 'metered');
  assert.equal((await metered()).status, 200);
  assert.equal((await metered()).status, 200);
  const over = await metered();
  assert.equal(over.status, 429, over.text);
  assert.equal(over.headers['x-amzn-errortype'], 'LimitExceededException');
  assert.equal(over.text, '{"message":"Limit Exceeded"}');
  // Raising the quota applies at once; a burst of one that never refills throttles the next request.
  await env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [
    { op: 'replace', path: '/quota/limit', value: '100' }, { op: 'replace', path: '/throttle/burstLimit', value: '1' },
    { op: 'replace', path: '/throttle/rateLimit', value: '0' },
  ] }));
  assert.equal((await metered()).status, 200);
  const throttled = await metered();
  assert.equal(throttled.status, 429, throttled.text);
  assert.equal(throttled.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(throttled.text, '{"message":"Too Many Requests"}');
});

test('AWS CLI: create a key, a plan for the stage, add the key; the stage answers with the key only', async () => {
  const cli = async (...args: string[]) => {
    const r = await awsCli(env.url, ['apigateway', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.json();
  };
  const key = await cli('create-api-key', '--name', 'cli-key', '--enabled');
  assert.equal(key.enabled, true);
  assert.match(key.value, /^[A-Za-z0-9]{40}$/);
  const plan = await cli('create-usage-plan', '--name', 'cli-plan', '--api-stages', `apiId=${apiId},stage=cli`, '--throttle', 'burstLimit=5,rateLimit=10',
    '--quota', 'limit=1000,period=MONTH');
  assert.deepEqual(plan.apiStages, [{ apiId, stage: 'cli' }]);
  assert.deepEqual(plan.quota, { limit: 1000, offset: 0, period: 'MONTH' });
  const planKey = await cli('create-usage-plan-key', '--usage-plan-id', plan.id, '--key-id', key.id, '--key-type', 'API_KEY');
  assert.deepEqual(planKey, { id: key.id, type: 'API_KEY', value: key.value, name: 'cli-key' });
  assert.deepEqual((await cli('get-usage-plan-keys', '--usage-plan-id', plan.id)).items.map((k: { id: string }) => k.id), [key.id]);

  forbidden(await call('/mock', undefined, 'cli'));
  const r = await call('/mock', key.value, 'cli');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { apiKey: key.value, apiKeyId: key.id });

  const missing = await awsCli(env.url, ['apigateway', 'get-api-key', '--api-key', 'nosuchkey0']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFoundException.*Invalid API Key identifier specified/);
});
