// The Lambda authorizer step through the chain, with an invoker standing in for Lambda: what the
// function is sent and as whom, which identity sources count, what its answers become, caching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLogLevel } from '../core/logger.js';
import { InvokePermissionError, type InvokeInput, type InvokeOutcome } from '../lambda/invoke.js';
import type { AuthorizerRecord } from '../store/apigateway-store.js';
import type { ChainDeps } from './chain.js';
import { AuthorizerCache } from './authorizer-cache.js';
import { parseAuthorizerOutput } from './authorizer.js';
import { context, invoker, ok, resource, run, runtime, stageWith } from './chain-testing.js';

setLogLevel('silent');

const AUTHORIZER_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth-${stageVariables.env}/invocations';
const MOCK = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { statusCode: '200', responseTemplates: { 'application/json': '$context.authorizer.principalId/$context.authorizer.role' } } } };
const allow = (principalId = 'me', context: Record<string, unknown> = { role: 'admin' }) =>
  ok({ principalId, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:000000000000:api1/dev/*' }] }, context });

function setup(authorizer: Partial<AuthorizerRecord>, fn: (input: InvokeInput) => InvokeOutcome | Promise<InvokeOutcome>, extra: Partial<ChainDeps> = {}) {
  const stage = stageWith([resource('/things/{id}', { GET: { integration: MOCK, authorizationType: 'CUSTOM', authorizerId: 'au1' } })]);
  stage.deployment.snapshot.authorizers = { au1: { id: 'au1', name: 'a', type: 'TOKEN', authorizerUri: AUTHORIZER_URI, identitySource: 'method.request.header.Authorization', ...authorizer } };
  const inv = invoker(fn);
  const deps: ChainDeps = { stages: runtime(stage), invoker: inv, enforcePermissions: true, authorizerCache: new AuthorizerCache(), ...extra };
  return { inv, deps };
}

test('TOKEN: the function gets the token and method ARN, as apigateway.amazonaws.com for …/authorizers/{id}', async () => {
  const { inv, deps } = setup({}, () => allow());
  const r = await run(deps, context('GET', '/things/7', { headers: { Authorization: 'tok' } }));
  assert.deepEqual([r.status, r.body], [200, 'me/admin']);
  const call = inv.calls[0];
  assert.equal(call.ref.name, 'auth-dev', 'stage variables are substituted in the authorizer URI');
  assert.deepEqual(JSON.parse(call.payload.toString()), { type: 'TOKEN', methodArn: 'arn:aws:execute-api:us-east-1:000000000000:api1/dev/GET/things/7', authorizationToken: 'tok' });
  assert.deepEqual(call.caller, { principal: 'apigateway.amazonaws.com', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:api1/authorizers/au1', sourceAccount: '000000000000' });
});

test('no resource-policy check with authorizerCredentials or --no-enforce-permissions; a refused call is a 500', async () => {
  const withRole = setup({ authorizerCredentials: 'arn:aws:iam::000000000000:role/r' }, () => allow());
  await run(withRole.deps, context('GET', '/things/7', { headers: { Authorization: 'tok' } }));
  assert.equal(withRole.inv.calls[0].caller, undefined);
  const relaxed = setup({}, () => allow(), { enforcePermissions: false });
  await run(relaxed.deps, context('GET', '/things/7', { headers: { Authorization: 'tok' } }));
  assert.equal(relaxed.inv.calls[0].caller, undefined);
  const refused = setup({}, () => { throw new InvokePermissionError('no statement allows it'); });
  const r = await run(refused.deps, context('GET', '/things/7', { headers: { Authorization: 'tok' } }));
  assert.deepEqual([r.status, r.headers['x-amzn-ErrorType'], r.body], [500, 'AuthorizerConfigurationException', '{"message":null}']);
});

test('REQUEST identity sources: headers, query strings, stage variables and context, all required', async () => {
  const { inv, deps } = setup({
    type: 'REQUEST',
    identitySource: 'method.request.multivalueheader.X-Id, method.request.querystring.q, stageVariables.env, context.httpMethod',
  }, () => allow());
  const missing = await run(deps, context('GET', '/things/7', { headers: { 'X-Id': 'a' } }));
  assert.deepEqual([missing.status, missing.body], [401, '{"message":"Unauthorized"}']);
  assert.equal(inv.calls.length, 0);
  const r = await run(deps, context('GET', '/things/7?q=1', { headers: { 'X-Id': 'a' } }));
  assert.equal(r.status, 200);
  const event = JSON.parse(inv.calls[0].payload.toString());
  assert.equal(event.type, 'REQUEST');
  assert.equal(event.resource, '/things/{id}');
  assert.deepEqual(event.pathParameters, { id: '7' });
  assert.deepEqual(event.queryStringParameters, { q: '1' });
  assert.equal(event.headers['X-Id'], 'a');
  assert.equal(event.requestContext.resourcePath, '/things/{id}');
});

test('the cache is keyed by identity and skipped with a TTL of 0', async () => {
  const cached = setup({ authorizerResultTtlInSeconds: 60 }, () => allow());
  for (const token of ['a', 'a', 'b', 'a']) await run(cached.deps, context('GET', '/things/7', { headers: { Authorization: token } }));
  assert.equal(cached.inv.calls.length, 2);
  const uncached = setup({ authorizerResultTtlInSeconds: 0 }, () => allow());
  for (const token of ['a', 'a']) await run(uncached.deps, context('GET', '/things/7', { headers: { Authorization: token } }));
  assert.equal(uncached.inv.calls.length, 2);
});

test('a method naming no authorizer of the deployment is a configuration error', async () => {
  const { deps } = setup({ type: 'COGNITO_USER_POOLS' }, () => allow());
  const r = await run(deps, context('GET', '/things/7', { headers: { Authorization: 'tok' } }));
  assert.deepEqual([r.status, r.headers['x-amzn-ErrorType']], [500, 'AuthorizerConfigurationException']);
});

test('authorizer outputs: what counts as one', () => {
  const policyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const parse = (v: unknown) => parseAuthorizerOutput(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));
  assert.deepEqual(parse({ principalId: 'p', policyDocument, context: { s: 'x', n: 1.5, b: false, z: null }, usageIdentifierKey: 'key' })?.context, { s: 'x', n: '1.5', b: 'false', z: null });
  assert.equal(parse({ policyDocument })?.principalId, undefined, 'principalId may be left out');
  for (const bad of ['not json', 'null', [], { principalId: 'p' }, { principalId: 7, policyDocument }, { policyDocument, context: [] }, { policyDocument, context: { a: [1] } }]) {
    assert.equal(parse(bad), undefined, JSON.stringify(bad));
  }
});
