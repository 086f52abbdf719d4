// HTTP API authorizers end to end: real requests on an HTTP API's execute-api host, admitted or
// refused by Lambda (REQUEST) authorizers — payload formats 2.0 (simple responses) and 1.0 (IAM
// policies), identity sources, caching by identity, failures — and by JWT authorizers validating
// tokens of a local OpenID Connect issuer; what the integration and the access log learn of the caller.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, UpdateAuthorizerCommand, UpdateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { startTestIssuer, type TestIssuer } from '../src/testing/jwt-issuer.js';

const env = useServer();

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`;
const ECHO_V1 = `exports.handler = async (event) => ({ statusCode: 201, body: JSON.stringify(event) });`;
// Simple responses; the context carries the event it was called with and a value unique to the call.
const SIMPLE = `exports.handler = async (event) => ({
  isAuthorized: event.headers['x-token'] === 'allow',
  context: { user: 'u1', nested: { a: 1 }, nonce: String(Math.random()), event },
});`;
// IAM policies (payload format 1.0): context values are strings, so the event travels as JSON.
const POLICY = `exports.handler = async (event) => ({
  principalId: 'me',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.identitySource === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
  context: { user: 'p1', count: 2, event: JSON.stringify(event) },
});`;
const UNAUTHORIZED = `exports.handler = async () => { throw new Error('Unauthorized'); };`;
const BROKEN = `exports.handler = async () => ({ nothing: 'useful' });`;

const arnOf = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;
let apiId: string;
let jwtId: string;
let issuer: TestIssuer;

after(() => issuer?.close());

env.setup(async () => {
  issuer = await startTestIssuer();
  for (const [name, code] of [['echo', ECHO], ['echo-v1', ECHO_V1], ['simple', SIMPLE], ['policy', POLICY], ['unauthorized', UNAUTHORIZED], ['broken', BROKEN], ['not-allowed', SIMPLE]]) {
    await createNodeFunction(env.lambda, name, code);
  }
  apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'authorized', ProtocolType: 'HTTP' }))).ApiId!;
  for (const fn of ['echo', 'echo-v1', 'simple', 'policy', 'unauthorized', 'broken']) {
    await env.lambda.send(new AddPermissionCommand({
      FunctionName: fn, StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
    }));
  }
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
  const integration = async (fn: string, version: '1.0' | '2.0') => (await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf(fn), PayloadFormatVersion: version,
  }))).IntegrationId!;
  const echo = await integration('echo', '2.0');
  const echoV1 = await integration('echo-v1', '1.0');
  const lambdaAuthorizer = async (fn: string, extra: Record<string, unknown> = {}) => (await env.apigwv2.send(new CreateAuthorizerCommand({
    ApiId: apiId, Name: fn, AuthorizerType: 'REQUEST', AuthorizerUri: invocationsUri(fn), IdentitySource: ['$request.header.X-Token'],
    AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, ...extra,
  }))).AuthorizerId!;
  const route = (key: string, target: string, extra: Record<string, unknown>) => env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${target}`, ...extra }));
  const custom = (authorizerId: string) => ({ AuthorizationType: 'CUSTOM', AuthorizerId: authorizerId });
  await route('GET /simple', echo, custom(await lambdaAuthorizer('simple')));
  await route('GET /cached', echo, custom(await lambdaAuthorizer('simple', { AuthorizerResultTtlInSeconds: 300, IdentitySource: ['$request.header.X-Token', '$request.querystring.who'] })));
  const policy = await lambdaAuthorizer('policy', { AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: undefined, IdentitySource: ['$request.querystring.token'] });
  await route('GET /policy/{id}', echoV1, custom(policy));
  await route('GET /policy-v2', echo, custom(policy));
  await route('GET /unauthorized', echo, custom(await lambdaAuthorizer('unauthorized')));
  await route('GET /broken', echo, custom(await lambdaAuthorizer('broken')));
  await route('GET /not-allowed', echo, custom(await lambdaAuthorizer('not-allowed')));
  jwtId = (await env.apigwv2.send(new CreateAuthorizerCommand({
    ApiId: apiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer.url, Audience: ['app'] },
  }))).AuthorizerId!;
  await route('GET /jwt', echo, { AuthorizationType: 'JWT', AuthorizerId: jwtId });
  await route('GET /jwt-v1', echoV1, { AuthorizationType: 'JWT', AuthorizerId: jwtId });
  await route('GET /jwt-scoped', echo, { AuthorizationType: 'JWT', AuthorizerId: jwtId, AuthorizationScopes: ['read', 'admin'] });
});

const get = (path: string, headers: Record<string, string> = {}) => invokeHttpApi(env.url, apiId, path, { headers });
const claims = (extra: Record<string, unknown> = {}) => ({ iss: issuer.url, aud: 'app', sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 600, ...extra });

test('a simple-response authorizer (payload 2.0) admits the caller and its context reaches the integration as authorizer.lambda', async () => {
  const r = await get('/simple?q=1', { 'X-Token': 'allow', Cookie: 'c=1' });
  assert.equal(r.status, 200, r.text);
  const lambda = r.json().requestContext.authorizer.lambda;
  assert.equal(lambda.user, 'u1');
  assert.deepEqual(lambda.nested, { a: 1 }, 'payload 2.0 contexts keep JSON values');
  const event = lambda.event;
  assert.equal(event.version, '2.0');
  assert.equal(event.type, 'REQUEST');
  assert.equal(event.routeArn, `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/$default/GET/simple`);
  assert.deepEqual(event.identitySource, ['allow']);
  assert.equal(event.routeKey, 'GET /simple');
  assert.equal(event.rawPath, '/simple');
  assert.equal(event.rawQueryString, 'q=1');
  assert.deepEqual(event.cookies, ['c=1']);
  assert.equal(event.headers['x-token'], 'allow');
  assert.deepEqual(event.queryStringParameters, { q: '1' });
  assert.equal(event.requestContext.apiId, apiId);
  assert.equal(event.requestContext.authorizer, undefined);
  assert.equal('body' in event, false);
});

test('Lambda authorizers refuse: 403 when not authorized, 401 when an identity source is missing or the function says Unauthorized, 500 when it fails', async () => {
  const denied = await get('/simple', { 'X-Token': 'deny' });
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.json(), { message: 'Forbidden' });
  assert.ok(denied.headers['apigw-requestid']);
  const missing = await get('/simple');
  assert.equal(missing.status, 401);
  assert.deepEqual(missing.json(), { message: 'Unauthorized' });
  assert.equal((await get('/simple', { 'X-Token': '' })).status, 401, 'an empty identity is a missing one');
  const unauthorized = await get('/unauthorized', { 'X-Token': 'x' });
  assert.equal(unauthorized.status, 401);
  assert.deepEqual(unauthorized.json(), { message: 'Unauthorized' });
  const broken = await get('/broken', { 'X-Token': 'x' });
  assert.equal(broken.status, 500);
  assert.deepEqual(broken.json(), { message: 'Internal Server Error' });
  const notAllowed = await get('/not-allowed', { 'X-Token': 'allow' });
  assert.equal(notAllowed.status, 500, 'API Gateway may not call a function that grants it no permission');
});

test('results are cached by identity for the TTL; without a TTL the authorizer is called on every request', async () => {
  const nonce = async (path: string, token: string) => {
    const r = await get(path, { 'X-Token': token });
    assert.equal(r.status, 200, r.text);
    return r.json().requestContext.authorizer.lambda.nonce as string;
  };
  const first = await nonce('/cached?who=a', 'allow');
  assert.equal(await nonce('/cached?who=a', 'allow'), first);
  assert.notEqual(await nonce('/cached?who=b', 'allow'), first, 'every identity source is part of the key');
  assert.equal((await get('/cached', { 'X-Token': 'allow' })).status, 401, 'a missing identity is refused even when others are cached');
  assert.notEqual(await nonce('/simple', 'allow'), await nonce('/simple', 'allow'));
});

test('an IAM policy authorizer (payload 1.0): the REST-style event, the policy evaluated against the route ARN, the context in a 1.0 integration event', async () => {
  const r = await get('/policy/7?token=allow');
  assert.equal(r.status, 201, r.text);
  const authorizer = r.json().requestContext.authorizer;
  assert.equal(authorizer.user, 'p1');
  assert.equal(authorizer.count, '2', 'payload 1.0 context values become strings');
  assert.equal(authorizer.principalId, 'me');
  assert.equal(typeof authorizer.integrationLatency, 'number');
  const event = JSON.parse(authorizer.event);
  assert.equal(event.version, '1.0');
  assert.equal(event.type, 'REQUEST');
  assert.equal(event.methodArn, `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/$default/GET/policy/7`);
  assert.equal(event.identitySource, 'allow');
  assert.equal(event.authorizationToken, 'allow');
  assert.equal(event.resource, '/policy/{id}');
  assert.equal(event.httpMethod, 'GET');
  assert.deepEqual(event.pathParameters, { id: '7' });
  assert.deepEqual(event.queryStringParameters, { token: 'allow' });
  assert.equal(event.requestContext.routeKey, 'GET /policy/{id}');
  const denied = await get('/policy/7?token=nope');
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.json(), { message: 'Forbidden' });
  // A 2.0 integration behind a policy authorizer sees the context as authorizer.lambda.
  assert.equal((await get('/policy-v2?token=allow')).json().requestContext.authorizer.lambda.user, 'p1');
});

test('a JWT authorizer admits a valid token, with or without Bearer, and hands its claims to the integration', async () => {
  const token = issuer.token(claims({ scope: 'read write', groups: ['a', 'b'] }));
  const r = await get('/jwt', { Authorization: `Bearer ${token}` });
  assert.equal(r.status, 200, r.text);
  const jwt = r.json().requestContext.authorizer.jwt;
  assert.equal(jwt.claims.sub, 'user-1');
  assert.equal(jwt.claims.iss, issuer.url);
  assert.equal(typeof jwt.claims.exp, 'string');
  assert.equal(jwt.claims.groups, '[a b]');
  assert.deepEqual(jwt.scopes, ['read', 'write']);
  assert.equal((await get('/jwt', { Authorization: token })).status, 200, 'the token alone is accepted too');
  const v1 = (await get('/jwt-v1', { Authorization: token })).json();
  assert.equal(v1.requestContext.authorizer.claims.sub, 'user-1');
  assert.equal(issuer.hits.get('/issuer/.well-known/openid-configuration'), 1, 'the issuer\'s keys are fetched once and cached');
  assert.equal(issuer.hits.get('/issuer/jwks.json'), 1);
  // client_id stands in for a missing aud.
  const { aud: _aud, ...noAud } = claims();
  assert.equal((await get('/jwt', { Authorization: issuer.token({ ...noAud, client_id: 'app' }) })).status, 200);
});

test('a JWT authorizer refuses bad tokens with 401 and www-authenticate, and too few scopes with 403', async () => {
  const refused = async (headers: Record<string, string>, status: number, challenge?: RegExp, path = '/jwt') => {
    const r = await get(path, headers);
    assert.equal(r.status, status, r.text);
    assert.deepEqual(r.json(), { message: status === 401 ? 'Unauthorized' : 'Forbidden' });
    if (challenge) assert.match(String(r.headers['www-authenticate']), challenge);
  };
  await refused({}, 401);
  await refused({ Authorization: `Bearer ${issuer.token(claims({ exp: Math.floor(Date.now() / 1000) - 5 }))}` }, 401,
    /^Bearer scope="" error="invalid_token" error_description="the token has expired"$/);
  await refused({ Authorization: issuer.token(claims({ aud: 'someone-else' })) }, 401, /error_description="the token does not have a valid audience"/);
  await refused({ Authorization: issuer.token(claims({ iss: 'https://elsewhere.example' })) }, 401, /valid issuer/);
  await refused({ Authorization: issuer.forged(claims()) }, 401, /does not have a valid signature/);
  await refused({ Authorization: issuer.token(claims(), { kid: 'unknown' }) }, 401, /no signing key of the issuer matches its kid/);
  await refused({ Authorization: 'Bearer not-a-jwt' }, 401, /malformed/);
  await refused({ Authorization: issuer.token(claims({ scope: 'write' })) }, 403,
    /^Bearer scope="read admin" error="insufficient_scope" error_description="expected scopes: \[read admin\]"$/, '/jwt-scoped');
  const scoped = await get('/jwt-scoped', { Authorization: issuer.token(claims({ scp: ['admin'] })) });
  assert.equal(scoped.status, 200, scoped.text);
  assert.deepEqual(scoped.json().requestContext.authorizer.jwt.scopes, ['admin']);
});

test('access logs show what the authorizer said ($context.authorizer.*) or why it refused', async () => {
  const group = 'http-api-authorizers-access';
  const format = '$context.requestId|$context.authorizer.principalId|$context.authorizer.user|$context.authorizer.claims.sub|$context.authorizer.scopes|$context.authorizer.error';
  await env.apigwv2.send(new UpdateStageCommand({
    ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}`, Format: format },
  }));
  const logged = async (r: { headers: Record<string, unknown> }): Promise<string[]> => {
    const requestId = String(r.headers['apigw-requestid']);
    for (const deadline = Date.now() + 10_000; ;) {
      try {
        const events = (await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${requestId}"` }))).events ?? [];
        if (events.length) return events[0].message!.split('|').slice(1);
      } catch (e) {
        if ((e as Error).name !== 'ResourceNotFoundException') throw e;
      }
      if (Date.now() > deadline) throw new Error(`no access log line for ${requestId}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  assert.deepEqual(await logged(await get('/simple', { 'X-Token': 'allow' })), ['-', 'u1', '-', '-', '-']);
  assert.deepEqual(await logged(await get('/policy/1?token=allow')), ['me', 'p1', '-', '-', '-']);
  const jwt = await get('/jwt', { Authorization: issuer.token(claims({ scope: 'read write' })) });
  assert.equal(jwt.status, 200, jwt.text);
  assert.deepEqual(await logged(jwt), ['-', '-', 'user-1', '["read","write"]', '-']);
  assert.deepEqual(await logged(await get('/simple', { 'X-Token': 'deny' })), ['-', '-', '-', '-', 'Forbidden']);
  assert.deepEqual(await logged(await get('/simple')), ['-', '-', '-', '-', 'Unauthorized']);
  assert.deepEqual(await logged(await get('/jwt', { Authorization: issuer.token(claims({ aud: 'nope' })) })), ['-', '-', '-', '-', 'the token does not have a valid audience']);
  assert.deepEqual(await logged(await get('/broken', { 'X-Token': 'x' })), ['-', '-', '-', '-', 'Internal Server Error']);
});

test('changing an authorizer reaches an auto-deploying stage at once', async () => {
  const token = issuer.token(claims({ aud: 'app' }));
  assert.equal((await get('/jwt', { Authorization: token })).status, 200);
  await env.apigwv2.send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwtId, JwtConfiguration: { Issuer: issuer.url, Audience: ['other-app'] } }));
  assert.equal((await get('/jwt', { Authorization: token })).status, 401);
  assert.equal((await get('/jwt', { Authorization: issuer.token(claims({ aud: 'other-app' })) })).status, 200);
});
