// Lambda authorizers end to end, as users drive them: authorizers created, changed and deleted
// with the AWS SDK, methods protected by them, and plain HTTP to the stage — allow, deny (explicit
// and implicit), missing and malformed identities, an authorizer answering "Unauthorized" or
// failing, principal and context reaching the integration (proxy event and VTL), caching and its
// flush, and the resource-policy check on the authorizer function itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, DeleteAuthorizerCommand,
  FlushStageAuthorizersCacheCommand, GetAuthorizerCommand, GetAuthorizersCommand, GetMethodCommand, GetResourcesCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, TestInvokeAuthorizerCommand,
  UpdateAuthorizerCommand, UpdateMethodCommand, type CreateAuthorizerCommandInput,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();

// A TOKEN authorizer whose answer the token chooses.
const TOKEN_AUTHORIZER = `
const policy = (effect, resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
exports.handler = async (event) => {
  const token = event.authorizationToken;
  const arn = event.methodArn;
  const api = arn.split(':')[5].split('/')[0];
  switch (token) {
    case 'allow': return { principalId: 'alice', policyDocument: policy('Allow', arn), context: { user: 'alice', n: 7, admin: true, none: null, type: event.type } };
    case 'wildcard': return { principalId: 'bob', policyDocument: policy('Allow', 'arn:aws:execute-api:*:*:' + api + '/*/GET/*') };
    case 'deny': return { principalId: 'eve', policyDocument: policy('Deny', arn) };
    case 'elsewhere': return { principalId: 'eve', policyDocument: policy('Allow', 'arn:aws:execute-api:*:*:' + api + '/*/POST/*') };
    case 'both': return { principalId: 'eve', policyDocument: { Version: '2012-10-17', Statement: [policy('Allow', '*').Statement[0], policy('Deny', arn).Statement[0]] } };
    case 'unauthorized': throw new Error('Unauthorized');
    case 'fails': throw new Error('database down');
    case 'nopolicy': return { principalId: 'x' };
    case 'nested': return { principalId: 'x', policyDocument: policy('Allow', arn), context: { deep: { a: 1 } } };
    default: return { principalId: 'x', policyDocument: policy('Deny', '*') };
  }
};`;

// A REQUEST authorizer: allows tenant "acme" with key "k", and hands the event's shape to the integration.
const REQUEST_AUTHORIZER = `
exports.handler = async (event) => {
  const ok = event.headers['X-Tenant'] === 'acme' && event.queryStringParameters.key === 'k';
  const shape = { type: event.type, resource: event.resource, path: event.path, httpMethod: event.httpMethod,
    pathParameters: event.pathParameters, stageVariables: event.stageVariables, stage: event.requestContext.stage, methodArn: event.methodArn };
  return { principalId: 'tenant-' + event.headers['X-Tenant'],
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: event.methodArn }] },
    context: { shape: JSON.stringify(shape) } };
};`;

// The integration: answers with what API Gateway told it about the caller.
const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }) });`;

let apiId: string;
let root: string;
const ids: Record<string, string> = {};

const call = (path: string, headers: Record<string, string> = {}, stage = 'prod'): Promise<HttpAnswer> => invokeHost(env.url, apiId, stage, path, { headers });

async function createAuthorizer(input: Partial<CreateAuthorizerCommandInput> & { name: string }): Promise<string> {
  return (await env.apigw.send(new CreateAuthorizerCommand({ restApiId: apiId, type: 'TOKEN', ...input }))).id!;
}

/** A GET method under the root, protected by `authorizerId`, integrated with `echo` (or a MOCK with a VTL template). */
async function protectedPath(pathPart: string, authorizerId: string, integration: 'echo' | 'vtl' = 'echo'): Promise<string> {
  const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart }))).id!;
  const method = { restApiId: apiId, resourceId, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...method, authorizationType: 'CUSTOM', authorizerId }));
  if (integration === 'echo') {
    await env.apigw.send(new PutIntegrationCommand({ ...method, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('echo'), credentials: apiGatewayInvokeRole }));
  } else {
    await env.apigw.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }));
    await env.apigw.send(new PutIntegrationResponseCommand({
      ...method, statusCode: '200',
      responseTemplates: { 'application/json': '{"principal": "$context.authorizer.principalId", "user": "$context.authorizer.user", "n": "$context.authorizer.n"}' },
    }));
  }
  return resourceId;
}

/** How many times a function has been invoked (its START lines in CloudWatch Logs). */
async function invocations(fn: string): Promise<number> {
  const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}` })).catch(() => ({ events: [] }));
  return (out.events ?? []).filter((e) => e.message?.startsWith('START RequestId')).length;
}

const allowAuthorizers = (fn: string) => env.lambda.send(new AddPermissionCommand({
  FunctionName: fn, StatementId: 'apigateway-authorizers', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
  SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/authorizers/*`,
}));

env.setup(async () => {
  await createNodeFunction(env.lambda, 'token-authorizer', TOKEN_AUTHORIZER);
  await createNodeFunction(env.lambda, 'request-authorizer', REQUEST_AUTHORIZER);
  await createNodeFunction(env.lambda, 'cached-authorizer', TOKEN_AUTHORIZER);
  await createNodeFunction(env.lambda, 'unpermitted-authorizer', TOKEN_AUTHORIZER);
  await createNodeFunction(env.lambda, 'echo', ECHO);
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'authorizers' }))).id!;
  root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  for (const fn of ['token-authorizer', 'request-authorizer', 'cached-authorizer']) await allowAuthorizers(fn);

  ids.token = await createAuthorizer({
    name: 'token', authorizerUri: invocationsUri('token-authorizer'), identitySource: 'method.request.header.Authorization',
    identityValidationExpression: '[a-z]+', authorizerResultTtlInSeconds: 0,
  });
  ids.cached = await createAuthorizer({ name: 'cached', authorizerUri: invocationsUri('cached-authorizer'), identitySource: 'method.request.header.Authorization' });
  ids.request = await createAuthorizer({
    name: 'request', type: 'REQUEST', authorizerUri: invocationsUri('request-authorizer'),
    identitySource: 'method.request.header.X-Tenant, method.request.querystring.key', authorizerResultTtlInSeconds: 0,
  });
  ids.unpermitted = await createAuthorizer({ name: 'unpermitted', authorizerUri: invocationsUri('unpermitted-authorizer'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 });
  ids.withRole = await createAuthorizer({
    name: 'with-role', authorizerUri: invocationsUri('unpermitted-authorizer'), identitySource: 'method.request.header.Authorization',
    authorizerCredentials: apiGatewayInvokeRole, authorizerResultTtlInSeconds: 0,
  });
  await protectedPath('token', ids.token);
  await protectedPath('vtl', ids.token, 'vtl');
  await protectedPath('cached', ids.cached);
  const request = await protectedPath('request', ids.request);
  const item = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: request, pathPart: '{item}' }))).id!;
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: item, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: ids.request }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: item, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('echo'), credentials: apiGatewayInvokeRole }));
  await protectedPath('unpermitted', ids.unpermitted);
  await protectedPath('with-role', ids.withRole);
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { tier: 'gold' } }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'beta' }));
});

const errorOf = (r: HttpAnswer) => [r.status, r.headers['x-amzn-errortype'], r.text];

test('an Allow policy admits the caller: principalId and context reach the proxy event as strings', async () => {
  const r = await call('/token', { Authorization: 'allow' });
  assert.equal(r.status, 200, r.text);
  const { authorizer } = r.json();
  assert.deepEqual({ ...authorizer, integrationLatency: typeof authorizer.integrationLatency },
    { principalId: 'alice', user: 'alice', n: '7', admin: 'true', none: null, type: 'TOKEN', integrationLatency: 'number' });
  const wildcard = await call('/token', { Authorization: 'wildcard' });
  assert.equal(wildcard.status, 200, 'a wildcard Resource matches');
  assert.equal(wildcard.json().authorizer.principalId, 'bob');
});

test('$context.authorizer in a mapping template', async () => {
  const r = await call('/vtl', { Authorization: 'allow' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { principal: 'alice', user: 'alice', n: '7' });
});

test('a Deny, or no statement allowing the method, is a 403 AccessDeniedException', async () => {
  const explicit = '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}';
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'deny' })), [403, 'AccessDeniedException', explicit]);
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'both' })), [403, 'AccessDeniedException', explicit], 'an explicit Deny wins over Allow *');
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'elsewhere' })),
    [403, 'AccessDeniedException', '{"Message":"User is not authorized to access this resource"}']);
});

test('a missing token, one the validation expression rejects, or "Unauthorized" from the function is a 401', async () => {
  const unauthorized = [401, 'UnauthorizedException', '{"message":"Unauthorized"}'];
  const before = await invocations('token-authorizer');
  assert.deepEqual(errorOf(await call('/token')), unauthorized);
  assert.deepEqual(errorOf(await call('/token', { Authorization: '' })), unauthorized);
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'Bearer 123' })), unauthorized);
  assert.equal(await invocations('token-authorizer'), before, 'the function is not called for a missing or invalid token');
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'unauthorized' })), unauthorized);
});

test('a failing authorizer, or one answering without a usable policy, is a 500 AuthorizerConfigurationException', async () => {
  const failure = [500, 'AuthorizerConfigurationException', '{"message":null}'];
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'fails' })), failure);
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'nopolicy' })), failure);
  assert.deepEqual(errorOf(await call('/token', { Authorization: 'nested' })), failure, 'context values must be strings, numbers or booleans');
});

test('the authorizer function needs a resource policy for …/authorizers/{id}, unless the authorizer has credentials', async () => {
  assert.deepEqual(errorOf(await call('/unpermitted', { Authorization: 'allow' })), [500, 'AuthorizerConfigurationException', '{"message":null}']);
  assert.equal((await call('/with-role', { Authorization: 'allow' })).status, 200);
});

test('REQUEST authorizers get the request; every identity source must be present', async () => {
  const r = await call('/request/42?key=k', { 'X-Tenant': 'acme' });
  assert.equal(r.status, 200, r.text);
  const { authorizer } = r.json();
  assert.equal(authorizer.principalId, 'tenant-acme');
  assert.deepEqual(JSON.parse(authorizer.shape), {
    type: 'REQUEST', resource: '/request/{item}', path: '/request/42', httpMethod: 'GET', pathParameters: { item: '42' },
    stageVariables: { tier: 'gold' }, stage: 'prod', methodArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/prod/GET/request/42`,
  });
  assert.equal((await call('/request?key=nope', { 'X-Tenant': 'acme' })).status, 403);
  assert.deepEqual(errorOf(await call('/request?key=k')), [401, 'UnauthorizedException', '{"message":"Unauthorized"}']);
  assert.deepEqual(errorOf(await call('/request', { 'X-Tenant': 'acme' })), [401, 'UnauthorizedException', '{"message":"Unauthorized"}']);
});

test('results are cached per stage and token for the TTL; FlushStageAuthorizersCache forgets them', async () => {
  const start = await invocations('cached-authorizer');
  assert.equal((await call('/cached', { Authorization: 'allow' })).status, 200);
  const second = await call('/cached', { Authorization: 'allow' });
  assert.equal(second.status, 200);
  assert.equal(second.json().authorizer.integrationLatency, 0, 'a cached result took no authorizer call');
  assert.equal(await invocations('cached-authorizer'), start + 1, 'the second call used the cached result');
  assert.equal((await call('/cached', { Authorization: 'deny' })).status, 403, 'another token is another entry');
  assert.equal((await call('/cached', { Authorization: 'deny' })).status, 403, 'a cached Deny still denies');
  assert.equal(await invocations('cached-authorizer'), start + 2);
  assert.equal((await call('/cached', { Authorization: 'allow' }, 'beta')).status, 200);
  assert.equal(await invocations('cached-authorizer'), start + 3, 'each stage has its own cache');
  await env.apigw.send(new FlushStageAuthorizersCacheCommand({ restApiId: apiId, stageName: 'prod' }));
  assert.equal((await call('/cached', { Authorization: 'allow' })).status, 200);
  assert.equal((await call('/cached', { Authorization: 'allow' }, 'beta')).status, 200);
  assert.equal(await invocations('cached-authorizer'), start + 4, 'only the flushed stage calls the authorizer again');
  await expectAwsError(env.apigw.send(new FlushStageAuthorizersCacheCommand({ restApiId: apiId, stageName: 'nope' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
});

test('TestInvokeAuthorizer runs the authorizer on the request described, without a deployment', async () => {
  const test = (authorizerId: string, headers: Record<string, string>, extra: { pathWithQueryString?: string; stageVariables?: Record<string, string> } = {}) =>
    env.apigw.send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId, headers, ...extra }));
  const allowed = await test(ids.token, { Authorization: 'allow' });
  assert.equal(allowed.clientStatus, 200);
  assert.equal(allowed.principalId, 'alice');
  assert.deepEqual(JSON.parse(allowed.policy!).Statement[0], {
    Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/ESTestInvoke-stage/GET/`,
  });
  assert.match(allowed.log!, /Execution log for request/);
  assert.equal(typeof allowed.latency, 'number');
  assert.equal((await test(ids.token, {})).clientStatus, 401);
  assert.equal((await test(ids.token, { Authorization: 'unauthorized' })).clientStatus, 401);
  assert.equal((await test(ids.token, { Authorization: 'fails' })).clientStatus, 500);
  const request = await test(ids.request, { 'X-Tenant': 'acme' }, { pathWithQueryString: '/request/9?key=k', stageVariables: { tier: 'test' } });
  assert.equal(request.clientStatus, 200);
  assert.equal(request.principalId, 'tenant-acme');
  await expectAwsError(env.apigw.send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: 'nope00' })), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
});

test('authorizer CRUD answers as AWS does', async () => {
  const restApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'authorizer-crud' }))).id!;
  const rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items![0].id!;
  const uri = invocationsUri('token-authorizer');
  const created = await env.apigw.send(new CreateAuthorizerCommand({ restApiId, name: 'lambda_authorizer', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.Auth' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.id!, /^[a-z0-9]{6}$/);
  // Members AWS was recorded returning for this input (authType "custom", no TTL when none was given).
  const { $metadata: _m, ...body } = created;
  assert.deepEqual(body, { id: created.id, name: 'lambda_authorizer', type: 'TOKEN', authType: 'custom', authorizerUri: uri, identitySource: 'method.request.header.Auth' });
  const got = await env.apigw.send(new GetAuthorizerCommand({ restApiId, authorizerId: created.id! }));
  assert.equal(got.name, 'lambda_authorizer');
  const second = await env.apigw.send(new CreateAuthorizerCommand({ restApiId, name: 'second', type: 'REQUEST', authorizerUri: uri, identitySource: 'method.request.querystring.token', authorizerResultTtlInSeconds: 60 }));
  assert.deepEqual((await env.apigw.send(new GetAuthorizersCommand({ restApiId }))).items!.map((a) => a.name), ['lambda_authorizer', 'second']);

  const updated = await env.apigw.send(new UpdateAuthorizerCommand({
    restApiId, authorizerId: second.id!, patchOperations: [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
      { op: 'replace', path: '/identitySource', value: '' },
    ],
  }));
  assert.deepEqual([updated.name, updated.authorizerResultTtlInSeconds, updated.identitySource], ['renamed', 0, undefined]);

  // A method that uses an authorizer keeps it from being deleted.
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: created.id }));
  const method = await env.apigw.send(new GetMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET' }));
  assert.deepEqual([method.authorizationType, method.authorizerId], ['CUSTOM', created.id]);
  await expectAwsError(env.apigw.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: created.id! })), 'ConflictException',
    'Cannot delete authorizer, is referenced in method: GET//', 409);
  await env.apigw.send(new UpdateMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/authorizationType', value: 'NONE' }] }));
  await env.apigw.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: created.id! }));
  await expectAwsError(env.apigw.send(new GetAuthorizerCommand({ restApiId, authorizerId: created.id! })), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
});

test('bad input to the authorizer operations', async () => {
  const restApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'authorizer-bad-input' }))).id!;
  const rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items![0].id!;
  const uri = invocationsUri('token-authorizer');
  const token = { restApiId, name: 'a', type: 'TOKEN' as const, authorizerUri: uri, identitySource: 'method.request.header.Authorization' };
  // Recorded on AWS: a missing API is a 409 for CreateAuthorizer, a 404 for GetAuthorizers.
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, restApiId: 'test-fake-rest-id' })), 'ConflictException',
    'Unable to complete operation due to concurrent modification. Please try again later.', 409);
  await expectAwsError(env.apigw.send(new GetAuthorizersCommand({ restApiId: 'test-fake-rest-id' })), 'NotFoundException',
    `Invalid API identifier specified ${testAccount}:test-fake-rest-id`, 404);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, type: 'JWT' as 'TOKEN' })), 'ValidationException',
    /^1 validation error detected: Value 'JWT' at 'createAuthorizerInput.type' failed to satisfy constraint: Member must satisfy enum value set/);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, identitySource: 'method.request.querystring.key' })), 'BadRequestException',
    "Invalid token source expression: method.request.querystring.key. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.", 400);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, authorizerUri: undefined })), 'BadRequestException', /authorizer URI/);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, authorizerResultTtlInSeconds: 3601 })), 'BadRequestException', /TTL/);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, identityValidationExpression: '(' })), 'BadRequestException', /identity validation expression/);
  await expectAwsError(env.apigw.send(new CreateAuthorizerCommand({ ...token, type: 'REQUEST', identitySource: undefined })), 'BadRequestException', /caching/);
  const id = (await env.apigw.send(new CreateAuthorizerCommand(token))).id!;
  await expectAwsError(env.apigw.send(new UpdateAuthorizerCommand({ restApiId, authorizerId: id, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })),
    'BadRequestException', 'Invalid patch path /nope', 400);
  await expectAwsError(env.apigw.send(new UpdateAuthorizerCommand({ restApiId, authorizerId: id, patchOperations: [{ op: 'add', path: '/name', value: 'x' }] })),
    'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]', 400);
  await expectAwsError(env.apigw.send(new UpdateAuthorizerCommand({ restApiId, authorizerId: 'nope00', patchOperations: [] })),
    'NotFoundException', 'Invalid Authorizer identifier specified', 404);
  await expectAwsError(env.apigw.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: 'nope00' })), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
  // CUSTOM methods need one of this API's Lambda authorizers.
  const invalid = 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.';
  for (const authorizerId of [undefined, 'nope00', ids.token]) {
    await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId })), 'BadRequestException', invalid, 400);
  }
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: id })), 'BadRequestException', invalid, 400);
});

test('a deployment freezes its authorizers: changes serve only once deployed', async () => {
  await env.apigw.send(new UpdateAuthorizerCommand({
    restApiId: apiId, authorizerId: ids.token, patchOperations: [{ op: 'replace', path: '/identitySource', value: 'method.request.header.X-Token' }],
  }));
  assert.equal((await call('/token', { Authorization: 'allow' })).status, 200, 'prod still serves the deployed authorizer');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'next' }));
  assert.equal((await call('/token', { Authorization: 'allow' }, 'next')).status, 401);
  assert.equal((await call('/token', { 'X-Token': 'allow' }, 'next')).status, 200);
});
