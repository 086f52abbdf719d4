// HTTP API authorizers' control plane end to end, through AWS's ApiGatewayV2 client and the AWS
// CLI: JWT and REQUEST (Lambda) authorizers with their defaults and AWS's checks, routes that use
// them with JWT or CUSTOM authorization and scopes, and what may not be deleted while in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, DeleteAuthorizerCommand, DeleteRouteCommand, GetAuthorizerCommand,
  GetAuthorizersCommand, GetRouteCommand, UpdateAuthorizerCommand, UpdateRouteCommand, type CreateAuthorizerCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import { testAccount, testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { invocationsUri } from '../src/testing/functions.js';

const env = useServer();
const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:any-function`;
const newApi = async () => (await env.apigwv2.send(new CreateApiCommand({ Name: 'authorizers', ProtocolType: 'HTTP' }))).ApiId!;
const jwt = (apiId: string, extra: Partial<CreateAuthorizerCommandInput> = {}) => env.apigwv2.send(new CreateAuthorizerCommand({
  ApiId: apiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
  JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['app'] }, ...extra,
}));
const lambda = (apiId: string, extra: Partial<CreateAuthorizerCommandInput> = {}) => env.apigwv2.send(new CreateAuthorizerCommand({
  ApiId: apiId, Name: 'lambda', AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.X-Token'], AuthorizerUri: invocationsUri('any-function'),
  AuthorizerPayloadFormatVersion: '2.0', ...extra,
}));

test('CreateAuthorizer answers what was configured, with AWS defaults; Get, list, update and delete', async () => {
  const apiId = await newApi();
  const created = await jwt(apiId);
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.AuthorizerId!, /^[a-z0-9]{6}$/);
  assert.equal(created.AuthorizerType, 'JWT');
  assert.deepEqual(created.IdentitySource, ['$request.header.Authorization']);
  assert.deepEqual(created.JwtConfiguration, { Issuer: 'https://issuer.example.com', Audience: ['app'] });
  assert.equal(created.AuthorizerUri, undefined);

  const fn = await lambda(apiId, { EnableSimpleResponses: true });
  assert.equal(fn.AuthorizerResultTtlInSeconds, 0, 'caching is off unless a TTL is given');
  assert.equal(fn.EnableSimpleResponses, true);
  assert.equal(fn.AuthorizerPayloadFormatVersion, '2.0');
  assert.equal(fn.AuthorizerUri, invocationsUri('any-function'));

  const got = await env.apigwv2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId }));
  assert.equal(got.Name, 'jwt');
  const listed = await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }));
  assert.deepEqual(listed.Items!.map((a) => a.AuthorizerId), [created.AuthorizerId, fn.AuthorizerId]);
  const page = await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId, MaxResults: '1' }));
  assert.equal(page.Items!.length, 1);
  assert.equal(page.NextToken, '1');

  const updated = await env.apigwv2.send(new UpdateAuthorizerCommand({
    ApiId: apiId, AuthorizerId: created.AuthorizerId, Name: 'renamed', JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['app', 'cli'] },
  }));
  assert.equal(updated.Name, 'renamed');
  assert.deepEqual(updated.JwtConfiguration!.Audience, ['app', 'cli']);
  const ttl = await env.apigwv2.send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: fn.AuthorizerId, AuthorizerResultTtlInSeconds: 300 }));
  assert.equal(ttl.AuthorizerResultTtlInSeconds, 300);
  assert.equal(ttl.EnableSimpleResponses, true, 'what an update leaves out is kept');

  await env.apigwv2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId }));
  await expectAwsError(env.apigwv2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: created.AuthorizerId })),
    'NotFoundException', `Invalid Authorizer identifier specified ${created.AuthorizerId}`, 404);
  await expectAwsError(env.apigwv2.send(new GetAuthorizersCommand({ ApiId: 'nope' })), 'NotFoundException', /Invalid API identifier specified/);
});

test('authorizers are checked as AWS checks them', async () => {
  const apiId = await newApi();
  const bad = (call: Promise<unknown>, message: RegExp) => expectAwsError(call, 'BadRequestException', message, 400);
  await bad(lambda(apiId, { AuthorizerPayloadFormatVersion: undefined }), /AuthorizerPayloadFormatVersion is required/);
  await bad(lambda(apiId, { AuthorizerPayloadFormatVersion: '3.0' }), /Supported versions are 1.0 and 2.0/);
  await bad(lambda(apiId, { AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true }), /Simple responses are supported only with .* 2.0/);
  await bad(lambda(apiId, { AuthorizerResultTtlInSeconds: 3601 }), /Value '3601' at 'authorizerResultTtlInSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600/);
  await bad(lambda(apiId, { IdentitySource: [], AuthorizerResultTtlInSeconds: 60 }), /identity source is required when authorizer caching is enabled/);
  await bad(lambda(apiId, { IdentitySource: ['method.request.header.X'] }), /Invalid identity source method.request.header.X/);
  await bad(lambda(apiId, { AuthorizerUri: fnArn }), /Invalid authorizer URI/);
  await bad(lambda(apiId, { AuthorizerUri: undefined }), /AuthorizerUri is required/);
  await bad(jwt(apiId, { JwtConfiguration: { Audience: ['app'] } }), /JwtConfiguration with an Issuer is required/);
  await bad(jwt(apiId, { AuthorizerUri: invocationsUri('x') }), /AuthorizerUri is not supported for JWT authorizers/);
  await bad(jwt(apiId, { IdentitySource: ['$request.header.A', '$request.header.B'] }), /exactly one identity source/);
  // A REQUEST authorizer without identity sources and without caching is called on every request.
  assert.deepEqual((await lambda(apiId, { IdentitySource: [] })).IdentitySource, []);
});

test('routes take JWT or CUSTOM authorization with an authorizer of the matching type, AWS_IAM with none; authorizers in use stay', async () => {
  const apiId = await newApi();
  const integrationId = (await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0' }))).IntegrationId!;
  const jwtId = (await jwt(apiId)).AuthorizerId!;
  const fnId = (await lambda(apiId)).AuthorizerId!;
  const route = (key: string, extra: Record<string, unknown>) => env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${integrationId}`, ...extra }));

  const secured = await route('GET /jwt', { AuthorizationType: 'JWT', AuthorizerId: jwtId, AuthorizationScopes: ['read'] });
  assert.equal(secured.AuthorizationType, 'JWT');
  assert.equal(secured.AuthorizerId, jwtId);
  assert.deepEqual(secured.AuthorizationScopes, ['read']);
  const custom = await route('GET /custom', { AuthorizationType: 'CUSTOM', AuthorizerId: fnId });
  assert.equal(custom.AuthorizerId, fnId);

  const bad = (call: Promise<unknown>, message: RegExp) => expectAwsError(call, 'BadRequestException', message, 400);
  await bad(route('GET /a', { AuthorizationType: 'CUSTOM', AuthorizerId: jwtId }), /needs a REQUEST authorizer/);
  await bad(route('GET /b', { AuthorizationType: 'JWT', AuthorizerId: fnId }), /needs a JWT authorizer/);
  await bad(route('GET /c', { AuthorizationType: 'JWT' }), /An authorizerId is required/);
  await bad(route('GET /d', { AuthorizationType: 'JWT', AuthorizerId: 'nope00' }), /Invalid authorizer identifier specified nope00/);
  await bad(route('GET /e', { AuthorizationType: 'CUSTOM', AuthorizerId: fnId, AuthorizationScopes: ['read'] }), /scopes are supported only for JWT/);
  await bad(route('GET /f', { AuthorizationType: 'AWS_IAM', AuthorizerId: jwtId }), /AuthorizerId and AuthorizationScopes need authorizationType JWT or CUSTOM/);
  await bad(route('GET /g', { AuthorizationType: 'AWS_IAM', AuthorizationScopes: ['read'] }), /AuthorizerId and AuthorizationScopes need authorizationType JWT or CUSTOM/);

  await expectAwsError(env.apigwv2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwtId })), 'ConflictException', new RegExp(secured.RouteId!), 409);
  // Back to NONE: the authorizer and scopes go with it, and the authorizer may be deleted.
  const open = await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: secured.RouteId, AuthorizationType: 'NONE' }));
  assert.equal(open.AuthorizerId, undefined);
  assert.equal(open.AuthorizationScopes, undefined);
  assert.equal((await env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: secured.RouteId }))).AuthorizationType, 'NONE');
  await env.apigwv2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwtId }));
  await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: custom.RouteId }));
  await env.apigwv2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: fnId }));
  assert.deepEqual((await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items, []);
});

test('the AWS CLI drives HTTP API authorizers: create-authorizer, get-authorizers, update-route', async () => {
  const apiId = await newApi();
  const cli = (...args: string[]) => awsCli(env.url, ['apigatewayv2', ...args]);
  const created = await cli('create-authorizer', '--api-id', apiId, '--name', 'cli-jwt', '--authorizer-type', 'JWT',
    '--identity-source', '$request.header.Authorization', '--jwt-configuration', 'Audience=app,Issuer=https://issuer.example.com');
  assert.equal(created.code, 0, created.stderr);
  const authorizer = created.json();
  assert.equal(authorizer.Name, 'cli-jwt');
  assert.deepEqual(authorizer.JwtConfiguration, { Audience: ['app'], Issuer: 'https://issuer.example.com' });
  const listed = (await cli('get-authorizers', '--api-id', apiId)).json();
  assert.equal(listed.Items[0].AuthorizerId, authorizer.AuthorizerId);
  const route = await cli('create-route', '--api-id', apiId, '--route-key', 'GET /cli', '--authorization-type', 'JWT',
    '--authorizer-id', authorizer.AuthorizerId, '--authorization-scopes', 'read', 'write');
  assert.equal(route.code, 0, route.stderr);
  assert.deepEqual(route.json().AuthorizationScopes, ['read', 'write']);
  const invalid = await cli('create-authorizer', '--api-id', apiId, '--name', 'x', '--authorizer-type', 'REQUEST', '--identity-source', '$request.header.A',
    '--authorizer-uri', invocationsUri('f'));
  assert.notEqual(invalid.code, 0);
  assert.match(invalid.stderr, /BadRequestException.*AuthorizerPayloadFormatVersion is required/);
});
