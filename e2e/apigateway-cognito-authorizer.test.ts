// Cognito user pool authorizers (COGNITO_USER_POOLS) of REST APIs end to end: a user pool's keys
// served on loopback where Cognito publishes them ({issuer}/.well-known/jwks.json, the server
// started with --cognito-endpoint), the authorizer created with the AWS CLI, and plain HTTP to the
// stage — ID tokens on methods without scopes, access tokens with one of a method's scopes,
// "Bearer " or not, and AWS's 401 for everything else; the claims reach the function as strings.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand, TestInvokeAuthorizerCommand, UpdateAuthorizerCommand } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { startTestIssuer } from '../src/testing/jwt-issuer.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const POOL = 'us-east-1_TestPool1';
const pool = await startTestIssuer(`/${POOL}`);
const otherPool = await startTestIssuer('/us-east-1_OtherPool');
after(async () => {
  await pool.close();
  await otherPool.close();
});
const env = useServer({ args: ['--cognito-endpoint', pool.origin] });

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }) });`;

const now = () => Math.floor(Date.now() / 1000);
const idToken = (claims: Record<string, unknown> = {}) => pool.token({
  sub: 'user-1', aud: 'client-a', token_use: 'id', iss: pool.url, 'cognito:username': 'alice', email: 'alice@example.com',
  email_verified: true, 'cognito:groups': ['admins', 'users'], auth_time: now() - 60, iat: now() - 60, exp: now() + 3600, ...claims,
});
const accessToken = (scope: string, claims: Record<string, unknown> = {}) => pool.token({
  sub: 'user-1', client_id: 'client-a', token_use: 'access', iss: pool.url, scope, username: 'alice', iat: now() - 60, exp: now() + 3600, ...claims,
});

let apiId = '';
let authorizerId = '';

async function setUp(): Promise<void> {
  if (apiId) return;
  await createNodeFunction(env.lambda, 'cognito-echo', ECHO);
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'cognito' }));
  apiId = api.id!;
  const created = await awsCli(env.url, ['apigateway', 'create-authorizer', '--rest-api-id', apiId, '--name', 'pool', '--type', 'COGNITO_USER_POOLS',
    '--provider-arns', `arn:aws:cognito-idp:${testRegion}:${testAccount}:userpool/${POOL}`, '--identity-source', 'method.request.header.Authorization']);
  assert.equal(created.code, 0, created.stderr);
  const authorizer = created.json() as { id: string; type: string; authType: string; providerARNs: string[] };
  assert.equal(authorizer.type, 'COGNITO_USER_POOLS');
  assert.equal(authorizer.authType, 'cognito_user_pools');
  authorizerId = authorizer.id;
  const root = api.rootResourceId!;
  for (const [pathPart, scopes] of [['me', undefined], ['orders', ['orders/read', 'orders/admin']]] as const) {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart }))).id!;
    const method = { restApiId: apiId, resourceId, httpMethod: 'GET' };
    await env.apigw.send(new PutMethodCommand({ ...method, authorizationType: 'COGNITO_USER_POOLS', authorizerId, authorizationScopes: scopes ? [...scopes] : undefined }));
    await env.apigw.send(new PutIntegrationCommand({ ...method, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('cognito-echo'), credentials: apiGatewayInvokeRole }));
  }
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
}

const call = (path: string, token?: string): Promise<HttpAnswer> =>
  invokeHost(env.url, apiId, 'prod', path, { headers: token === undefined ? {} : { Authorization: token } });

function assertUnauthorized(answer: HttpAnswer, why: string): void {
  assert.equal(answer.status, 401, `${why}: ${answer.body.toString()}`);
  assert.deepEqual(JSON.parse(answer.body.toString()), { message: 'Unauthorized' }, why);
  assert.equal(answer.headers['x-amzn-errortype'], 'UnauthorizedException', why);
}

test('an ID token of the pool is admitted, with or without "Bearer ", and its claims reach the function as strings', async () => {
  await setUp();
  const iat = now() - 60;
  const token = idToken({ iat, exp: iat + 3600 });
  for (const header of [token, `Bearer ${token}`]) {
    const answer = await call('/me', header);
    assert.equal(answer.status, 200, answer.body.toString());
    const { authorizer } = JSON.parse(answer.body.toString()) as { authorizer: { claims: Record<string, string> } };
    assert.deepEqual(Object.keys(authorizer), ['claims'], 'a user pool authorizer passes claims only');
    const claims = authorizer.claims;
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims.email_verified, 'true');
    assert.equal(claims.token_use, 'id');
    assert.equal(claims.iss, pool.url);
    assert.equal(claims.auth_time, String(iat));
    assert.match(claims.exp, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    const d = new Date((iat + 3600) * 1000);
    assert.ok(claims.exp.endsWith(`${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} UTC ${d.getUTCFullYear()}`), claims.exp);
    assert.equal(claims['cognito:groups'], '[admins users]');
  }
});

test('missing, malformed, forged, expired and foreign tokens are 401 Unauthorized without calling the function', async () => {
  await setUp();
  assertUnauthorized(await call('/me'), 'no Authorization header');
  assertUnauthorized(await call('/me', ''), 'an empty header');
  assertUnauthorized(await call('/me', 'not-a-jwt'), 'not a JWT');
  assertUnauthorized(await call('/me', pool.forged({ token_use: 'id', iss: pool.url, exp: now() + 3600 })), 'signed with another key');
  assertUnauthorized(await call('/me', idToken({ exp: now() - 5 })), 'expired');
  assertUnauthorized(await call('/me', otherPool.token({ token_use: 'id', iss: otherPool.url, exp: now() + 3600 })), 'issued by another pool');
  assertUnauthorized(await call('/me', idToken({ iss: `${pool.origin}/us-east-1_OtherPool` })), 'claims another pool, signed by this one');
  assertUnauthorized(await call('/me', accessToken('orders/read')), 'an access token on a method without scopes');
});

test('a method with authorization scopes takes access tokens holding one of them', async () => {
  await setUp();
  const admitted = await call('/orders', `Bearer ${accessToken('openid orders/admin')}`);
  assert.equal(admitted.status, 200, admitted.body.toString());
  const { authorizer } = JSON.parse(admitted.body.toString()) as { authorizer: { claims: Record<string, string> } };
  assert.equal(authorizer.claims.scope, 'openid orders/admin');
  assert.equal(authorizer.claims.client_id, 'client-a');
  assertUnauthorized(await call('/orders', accessToken('openid profile')), 'none of the scopes');
  assertUnauthorized(await call('/orders', idToken()), 'an ID token where scopes are required');
});

test('an identity validation expression is matched against the token\'s app client', async () => {
  await setUp();
  await env.apigw.send(new UpdateAuthorizerCommand({ restApiId: apiId, authorizerId, patchOperations: [{ op: 'replace', path: '/identityValidationExpression', value: 'client-a|client-c' }] }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  try {
    assert.equal((await call('/me', idToken())).status, 200);
    assert.equal((await call('/orders', accessToken('orders/read'))).status, 200, 'an access token\'s client_id');
    assertUnauthorized(await call('/me', idToken({ aud: 'client-b' })), 'another app client');
  } finally {
    await env.apigw.send(new UpdateAuthorizerCommand({ restApiId: apiId, authorizerId, patchOperations: [{ op: 'replace', path: '/identityValidationExpression', value: '' }] }));
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  }
});

test('TestInvokeAuthorizer checks an ID token and answers its claims, or 401', async () => {
  await setUp();
  const ok = await env.apigw.send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId, headers: { Authorization: idToken() } }));
  assert.equal(ok.clientStatus, 200);
  assert.equal(ok.claims?.['cognito:username'], 'alice');
  assert.equal(ok.claims?.email_verified, 'true');
  const refused = await env.apigw.send(new TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId, headers: { Authorization: idToken({ exp: now() - 1 }) } }));
  assert.equal(refused.clientStatus, 401);
  assert.equal(refused.claims, undefined);
});
