// Customised gateway responses on invoke URLs: what PutGatewayResponse sets reaches clients only
// through a deployment — a type's own customisation (status, headers from literals, request
// headers, stage variables and context, a body template with $context.error.* substituted), DEFAULT_4XX and
// DEFAULT_5XX inherited by types not customised themselves — and stages deployed before keep
// AWS's default answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, DeleteGatewayResponseCommand, GetResourcesCommand,
  PutGatewayResponseCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
  type PutGatewayResponseCommandInput,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;

const call = (path: string, headers: Record<string, string> = {}, stage = 'prod'): Promise<HttpAnswer> => invokeHost(env.url, apiId, stage, path, { headers });
const deploy = (stageName: string) => env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName, variables: { v: `var-of-${stageName}` } }));
const put = (input: Omit<PutGatewayResponseCommandInput, 'restApiId'>) => env.apigw.send(new PutGatewayResponseCommand({ restApiId: apiId, ...input }));

/** A GET MOCK method on /{pathPart}; without `answer` it has no integration response (a 500 configuration error). */
async function method(parentId: string, pathPart: string, options: { answer?: boolean; apiKeyRequired?: boolean; authorizerId?: string } = {}) {
  const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }))).id!;
  const m = { restApiId: apiId, resourceId, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({
    ...m, authorizationType: options.authorizerId ? 'CUSTOM' : 'NONE', authorizerId: options.authorizerId, apiKeyRequired: options.apiKeyRequired ?? false,
  }));
  await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  if (!options.answer) return;
  await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
}

const isDefaultMissingToken = (r: HttpAnswer) => {
  assert.equal(r.status, 403, r.text);
  assert.equal(r.text, '{"message":"Missing Authentication Token"}');
  assert.equal(r.headers['access-control-allow-origin'], undefined);
};

env.setup(async () => {
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'gateway-responses' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  // A TOKEN authorizer answers a request without its header 401 before calling any function.
  const authorizerId = (await env.apigw.send(new CreateAuthorizerCommand({
    restApiId: apiId, name: 'token', type: 'TOKEN', authorizerUri: invocationsUri('never-called'), identitySource: 'method.request.header.Authorization',
  }))).id!;
  await method(root, 'open', { answer: true });
  await method(root, 'secret', { answer: true, apiKeyRequired: true });
  await method(root, 'broken');
  await method(root, 'guarded', { answer: true, authorizerId });
  // An authorizer function that turns every token away ("Unauthorized": 401).
  await createNodeFunction(env.lambda, 'deny-all', "exports.handler = async () => { throw new Error('Unauthorized'); };");
  const denyAll = (await env.apigw.send(new CreateAuthorizerCommand({
    restApiId: apiId, name: 'deny-all', type: 'TOKEN', authorizerUri: invocationsUri('deny-all'), identitySource: 'method.request.header.Authorization',
    authorizerCredentials: apiGatewayInvokeRole, authorizerResultTtlInSeconds: 0,
  }))).id!;
  await method(root, 'denied', { answer: true, authorizerId: denyAll });
  // A Lambda proxy integration that always outlasts its 50 ms timeout.
  await createNodeFunction(env.lambda, 'slow', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return { statusCode: 200 }; };');
  const slow = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'slow' }))).id!;
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: slow, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: slow, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('slow'),
    credentials: apiGatewayInvokeRole, timeoutInMillis: 50,
  }));
  await deploy('old');
  await deploy('prod');
});

test('customisations reach a stage with its next deployment, and only then', async () => {
  const template = '{"msg": $context.error.messageString, "raw": "$context.error.message", "type": "$context.error.responseType", '
    + '"stage": "$context.stage", "requestId": "$context.requestId", "v": "$stageVariables.v", "q": "${method.request.querystring.q}", '
    + '"unset": "$stageVariables.nope", "plain": "#if(true)x#end $util.urlEncode(1)"}';
  await put({
    responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseTemplates: { 'application/json': template },
    responseParameters: {
      'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
      'gatewayresponse.header.x-echo': 'method.request.header.X-Test',
      'gatewayresponse.header.x-query': 'method.request.querystring.q',
      'gatewayresponse.header.x-stage-var': 'stageVariables.v',
      'gatewayresponse.header.x-request-id': 'context.requestId',
    },
  });
  await put({
    responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    // A reference right before the closing brace (the default template's shape) is still substituted.
    responseTemplates: { 'application/json': '{"type": "$context.error.responseType", "error":$context.error.messageString}' },
  });
  await put({ responseType: 'DEFAULT_5XX', statusCode: '599', responseTemplates: { 'application/json': '{"fault": "$context.error.responseType"}' } });
  await put({ responseType: 'UNAUTHORIZED', responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" } });

  // Not deployed yet: AWS's defaults.
  isDefaultMissingToken(await call('/nope'));
  const secret = await call('/secret');
  assert.equal(secret.status, 403);
  assert.equal(secret.text, '{"message":"Forbidden"}');
  assert.equal((await call('/broken')).status, 500);

  await deploy('prod');

  const missing = await call('/nope?q=search', { 'X-Test': 'hello' });
  assert.equal(missing.status, 404, missing.text);
  assert.equal(missing.headers['access-control-allow-origin'], '*');
  assert.equal(missing.headers['x-echo'], 'hello');
  assert.equal(missing.headers['x-query'], 'search');
  assert.equal(missing.headers['x-stage-var'], 'var-of-prod');
  assert.equal(missing.headers['x-request-id'], missing.headers['x-amzn-requestid']);
  assert.equal(missing.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  assert.equal(missing.headers['content-type'], 'application/json');
  assert.deepEqual(missing.json(), {
    msg: 'Missing Authentication Token', raw: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'prod',
    requestId: missing.headers['x-amzn-requestid'], v: 'var-of-prod', q: 'search', unset: '',
    // Simple substitution, not VTL (as AWS documents): directives and other references stay as written.
    plain: '#if(true)x#end $util.urlEncode(1)',
  });
  // A header whose source is absent is left out.
  assert.equal((await call('/nope')).headers['x-echo'], undefined);

  // INVALID_API_KEY is not customised itself: DEFAULT_4XX's header and body, its own status.
  const noKey = await call('/secret');
  assert.equal(noKey.status, 403, noKey.text);
  assert.equal(noKey.headers['access-control-allow-origin'], '*');
  assert.equal(noKey.headers['x-amzn-errortype'], 'ForbiddenException');
  assert.deepEqual(noKey.json(), { error: 'Forbidden', type: 'INVALID_API_KEY' });

  // A 5XX type takes DEFAULT_5XX's status override and template.
  const broken = await call('/broken');
  assert.equal(broken.status, 599, broken.text);
  assert.deepEqual(broken.json(), { fault: 'API_CONFIGURATION_ERROR' });

  // UNAUTHORIZED has its own customisation (a header, default template), so DEFAULT_4XX does not apply.
  const unauthorized = await call('/guarded');
  assert.equal(unauthorized.status, 401, unauthorized.text);
  assert.equal(unauthorized.headers['www-authenticate'], 'Bearer');
  assert.equal(unauthorized.headers['access-control-allow-origin'], undefined);
  assert.equal(unauthorized.text, '{"message":"Unauthorized"}');
  // The same customisation when the authorizer function itself answers "Unauthorized".
  const rejected = await call('/denied', { Authorization: 'token' });
  assert.equal(rejected.status, 401, rejected.text);
  assert.equal(rejected.headers['www-authenticate'], 'Bearer');
  assert.equal(rejected.headers['x-amzn-errortype'], 'UnauthorizedException');

  // Successful answers are untouched; a stage deployed before keeps the defaults.
  const open = await call('/open');
  assert.equal(open.status, 200);
  assert.equal(open.headers['access-control-allow-origin'], undefined);
  isDefaultMissingToken(await call('/nope', {}, 'old'));
  assert.equal((await call('/broken', {}, 'old')).text, '{"message": "Internal server error"}');

  // Deleting customisations takes effect with the next deployment too.
  for (const responseType of ['MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED'] as const) {
    await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType }));
  }
  assert.equal((await call('/nope')).status, 404);
  await deploy('prod');
  isDefaultMissingToken(await call('/nope'));
  assert.equal((await call('/broken')).status, 500);
  assert.equal((await call('/guarded')).headers['www-authenticate'], undefined);
});

test('an integration timeout takes its own customisation: status, header and AWS\'s default body', async () => {
  const before = await call('/slow');
  assert.equal(before.status, 504, before.text);
  await put({ responseType: 'INTEGRATION_TIMEOUT', statusCode: '503', responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
  await deploy('timeouts');
  const after = await call('/slow', {}, 'timeouts');
  assert.equal(after.status, 503, after.text);
  assert.equal(after.headers['retry-after'], '1');
  assert.equal(after.headers['x-amzn-errortype'], 'InternalServerErrorException');
  assert.equal(after.text, '{"message": "Endpoint request timed out"}');
  await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'INTEGRATION_TIMEOUT' }));
});
