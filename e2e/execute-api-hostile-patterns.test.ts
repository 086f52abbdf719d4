// User-supplied regular expressions against client-chosen input, through the real server: a
// selection pattern, an identity validation expression and a model's `pattern` that backtrack
// catastrophically ((a+)+$ against forty a's and a '!' takes the backtracking engine hours) must
// answer at once, since every request shares the server's one thread. The timeouts turn a
// regression into a failure rather than a hung run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAuthorizerCommand, CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const HOSTILE = `${'a'.repeat(40)}!`;
const EVIL = '(a+)+$';
let apiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'fails', `exports.handler = async (e) => { if (e.fail) throw new Error(${JSON.stringify(HOSTILE)}); return { ok: true }; };`);
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'hostile-patterns' }));
  apiId = api.id!;
  const resource = async (pathPart: string) => (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart }))).id!;
  const mock = async (resourceId: string, httpMethod: string) => {
    await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200' }));
    await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: '200', responseTemplates: { 'application/json': '{"passed": true}' } }));
  };

  // Selection patterns against a Lambda function's errorMessage.
  const select = await resource('select');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: select, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: select, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST', uri: invocationsUri('fails'), credentials: apiGatewayInvokeRole,
    requestTemplates: { 'application/json': '{"fail": $input.params(\'fail\')}' },
  }));
  for (const [statusCode, selectionPattern] of [['200', ''], ['400', EVIL], ['503', '(a)\\1+!']]) {
    await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: select, httpMethod: 'GET', statusCode }));
    await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: select, httpMethod: 'GET', statusCode, selectionPattern }));
  }

  // A TOKEN authorizer's identity validation expression against the client's header.
  const authorizerId = (await env.apigw.send(new CreateAuthorizerCommand({
    restApiId: apiId, name: 'evil', type: 'TOKEN', authorizerUri: invocationsUri('fails'), identitySource: 'method.request.header.Authorization',
    identityValidationExpression: EVIL, authorizerResultTtlInSeconds: 0,
  }))).id!;
  const token = await resource('token');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: token, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId }));
  await mock(token, 'GET');

  // A model's pattern and patternProperties against the request body.
  await env.apigw.send(new CreateModelCommand({
    restApiId: apiId, name: 'Evil', contentType: 'application/json',
    schema: JSON.stringify({ type: 'object', properties: { name: { type: 'string', pattern: `^${EVIL}` } }, patternProperties: { [`^${EVIL}`]: { type: 'number' } } }),
  }));
  const validatorId = (await env.apigw.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: 'body', validateRequestBody: true }))).id!;
  const validated = await resource('validated');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: validated, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: validatorId, requestModels: { 'application/json': 'Evil' } }));
  await mock(validated, 'POST');

  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
});

test('a catastrophic selection pattern against a function error answers at once; a backreference pattern still selects', { timeout: 20_000 }, async () => {
  const r = await invokeHost(env.url, apiId, 'prod', '/select?fail=true');
  assert.equal(r.status, 503, `(a+)+$ does not match the trailing '!'; (a)\\1+! (a backreference, beyond the linear engine) does: ${r.text}`);
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/select?fail=false')).status, 200);
});

test('an identity validation expression that backtracks rejects a hostile token at once', { timeout: 20_000 }, async () => {
  const r = await invokeHost(env.url, apiId, 'prod', '/token', { headers: { Authorization: HOSTILE } });
  assert.equal(r.status, 401, r.text);
  assert.equal(r.text, '{"message":"Unauthorized"}');
});

test('model patterns and patternProperties that backtrack reject a hostile body at once', { timeout: 20_000 }, async () => {
  const post = (body: unknown) => invokeHost(env.url, apiId, 'prod', '/validated', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  let r = await post({ name: HOSTILE });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.text, '{"message":"Invalid request body"}');
  r = await post({ [HOSTILE]: 'not checked: the key does not match' });
  assert.equal(r.status, 200, r.text);
  r = await post({ aaaa: 'a matching key must hold a number' });
  assert.equal(r.status, 400, r.text);
  r = await post({ name: 'aaaa', aaaa: 4 });
  assert.equal(r.status, 200, r.text);
});
