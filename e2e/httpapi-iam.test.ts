// AWS_IAM routes of HTTP APIs end to end: CreateRoute/UpdateRoute take them (and auto-deploy
// them); a request without a SigV4 signature is AWS's 403 {"message":"Forbidden"}; on a server
// with credentials the signature (service execute-api) is verified and a wrong one refused, on a
// server without any signed request passes; the integration learns the caller as
// requestContext.authorizer.iam (payload 2.0) or requestContext.identity (1.0), and the access log
// as $context.identity.*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, GetRouteCommand, UpdateRouteCommand, UpdateStageCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { invokeHttpApi, invokeHttpApiSigned, type SignedCall } from '../src/execute-api/testing.js';

const KEY = { accessKeyId: 'AKIAHTTPAPIIAMTEST1', secretAccessKey: 'http-api/secret+value' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `test:test,${KEY.accessKeyId}:${KEY.secretAccessKey}` } });
type Credentials = { accessKeyId: string; secretAccessKey: string };

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`;
const GROUP = 'http-api-iam-access';
const FORMAT = '{"id":"$context.requestId","accessKey":"$context.identity.accessKey","accountId":"$context.identity.accountId","error":"$context.authorizer.error","status":"$context.status"}';

/** An API with AWS_IAM routes to a 2.0 and a 1.0 integration and an open one, on an auto-deploying $default stage that logs access. */
async function iamApi(clients: { lambda: LambdaClient; apigwv2: ApiGatewayV2Client }): Promise<{ apiId: string; integrationId: string }> {
  await createNodeFunction(clients.lambda, 'iam-echo', ECHO);
  const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:iam-echo`;
  const apiId = (await clients.apigwv2.send(new CreateApiCommand({ Name: 'iam', ProtocolType: 'HTTP', Target: fnArn }))).ApiId!;
  await clients.lambda.send(new AddPermissionCommand({
    FunctionName: 'iam-echo', StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const integration = async (version: string) => (await clients.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: version,
  }))).IntegrationId!;
  const v2 = await integration('2.0');
  const v1 = await integration('1.0');
  for (const [key, target] of [['POST /iam', v2], ['GET /iam-v1', v1]]) {
    const route = await clients.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${target}`, AuthorizationType: 'AWS_IAM' }));
    assert.equal(route.AuthorizationType, 'AWS_IAM');
    assert.equal(route.AuthorizerId, undefined);
  }
  await clients.apigwv2.send(new UpdateStageCommand({
    ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${GROUP}`, Format: FORMAT },
  }));
  return { apiId, integrationId: v2 };
}

/** A request signed for the API's host (service execute-api unless told), sent with `sendBody`. */
const signed = (baseUrl: string, apiId: string, call: SignedCall, credentials: Credentials = KEY, options: { service?: string; sendBody?: string } = {}) =>
  invokeHttpApiSigned(baseUrl, apiId, call, credentials, { ...options, region: testRegion });

async function logLine(logs: TestServer['logs'], requestId: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: `"${requestId}"` }))).events ?? [];
      if (events.length) return JSON.parse(events[0].message!);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    if (Date.now() > deadline) throw new Error(`no access log line for ${requestId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let apiId: string;
let integrationId: string;
env.setup(async () => {
  ({ apiId, integrationId } = await iamApi(env));
});

test('an unsigned request to an AWS_IAM route is 403 Forbidden, before the integration; open routes stay open', async () => {
  const r = await invokeHttpApi(env.url, apiId, '/iam', { method: 'POST', body: '{}' });
  assert.equal(r.status, 403);
  assert.deepEqual(r.json(), { message: 'Forbidden' });
  assert.ok(r.headers['apigw-requestid']);
  const bearer = await invokeHttpApi(env.url, apiId, '/iam', { method: 'POST', headers: { Authorization: 'Bearer token' } });
  assert.equal(bearer.status, 403, 'only a SigV4 Authorization header counts');
  const line = await logLine(env.logs, String(r.headers['apigw-requestid']));
  assert.deepEqual(line, { id: r.headers['apigw-requestid'], accessKey: '-', accountId: '-', error: 'Forbidden', status: '403' });
  assert.equal((await invokeHttpApi(env.url, apiId, '/open')).status, 200, 'the $default route has no authorization');
});

test('with credentials configured, a signature by a configured key is admitted and the caller reaches the integration', async () => {
  const r = await signed(env.url, apiId, { method: 'POST', path: '/iam', query: { a: 'b c' }, body: '{"x":1}' });
  assert.equal(r.status, 200, r.text);
  const event = r.json();
  assert.deepEqual(event.requestContext.authorizer, {
    iam: { accessKey: KEY.accessKeyId, accountId: testAccount, callerId: null, cognitoIdentity: null, principalOrgId: null, userArn: null, userId: null },
  });
  assert.equal(event.body, '{"x":1}');
  const line = await logLine(env.logs, String(r.headers['apigw-requestid']));
  assert.deepEqual(line, { id: r.headers['apigw-requestid'], accessKey: KEY.accessKeyId, accountId: testAccount, error: '-', status: '200' });

  const v1 = await signed(env.url, apiId, { method: 'GET', path: '/iam-v1' });
  assert.equal(v1.status, 200, v1.text);
  const identity = v1.json().requestContext.identity;
  assert.equal(identity.accessKey, KEY.accessKeyId);
  assert.equal(identity.accountId, testAccount);
  assert.equal(identity.userArn, null);
  assert.equal(v1.json().requestContext.authorizer, undefined);
});

test('with credentials configured, a wrong secret, an unknown key, a changed body, a scope of another service or an incomplete presigned query is refused with 403', async () => {
  const wrong = await signed(env.url, apiId, { method: 'POST', path: '/iam', body: '{}' }, { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-it' });
  assert.equal(wrong.status, 403);
  assert.deepEqual(wrong.json(), {
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  });
  const line = await logLine(env.logs, String(wrong.headers['apigw-requestid']));
  assert.match(line.error, /^The request signature we calculated does not match/);
  const unknown = await signed(env.url, apiId, { method: 'POST', path: '/iam', body: '{}' }, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
  assert.equal(unknown.status, 403);
  assert.deepEqual(unknown.json(), { message: 'The security token included in the request is invalid.' });
  const tampered = await signed(env.url, apiId, { method: 'POST', path: '/iam', body: '{"x":1}' }, KEY, { sendBody: '{"x":2}' });
  assert.equal(tampered.status, 403);
  const otherService = await signed(env.url, apiId, { method: 'POST', path: '/iam', body: '{}' }, KEY, { service: 'lambda' });
  assert.equal(otherService.status, 403);
  assert.deepEqual(otherService.json(), { message: "Credential should be scoped to correct service: 'execute-api'. " });
  const presigned = await invokeHttpApi(env.url, apiId, `/iam?X-Amz-Signature=${'0'.repeat(64)}&X-Amz-Credential=${KEY.accessKeyId}%2F20260101%2F${testRegion}%2Fexecute-api%2Faws4_request`, { method: 'POST' });
  assert.equal(presigned.status, 403);
  // A presigned query is verified too: this one lacks most of its parameters.
  assert.deepEqual(presigned.json(), {
    message: "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'. Re-examine the query-string parameters.",
  });
});

test('UpdateRoute switches a route to AWS_IAM and back, redeploying the auto-deploy stage each time', async () => {
  const created = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /switch', Target: `integrations/${integrationId}` }));
  assert.equal((await invokeHttpApi(env.url, apiId, '/switch')).status, 200);
  const iam = await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: created.RouteId, AuthorizationType: 'AWS_IAM' }));
  assert.equal(iam.AuthorizationType, 'AWS_IAM');
  assert.equal((await invokeHttpApi(env.url, apiId, '/switch')).status, 403);
  assert.equal((await signed(env.url, apiId, { method: 'GET', path: '/switch' })).status, 200);
  await env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: created.RouteId, AuthorizationType: 'NONE' }));
  assert.equal((await env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: created.RouteId }))).AuthorizationType, 'NONE');
  assert.equal((await invokeHttpApi(env.url, apiId, '/switch')).status, 200);
});

test('without credentials configured, any signed request passes (its access key reaches the integration); unsigned ones are still 403', async () => {
  const server = await TestServer.start();
  try {
    const { apiId: id } = await iamApi(server);
    const anyKey = { accessKeyId: 'AKIAANYKEY0000000000', secretAccessKey: 'anything' };
    const r = await signed(server.url, id, { method: 'POST', path: '/iam', body: '{}' }, anyKey, { sendBody: '{"changed":true}' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().requestContext.authorizer.iam.accessKey, anyKey.accessKeyId);
    const unsigned = await invokeHttpApi(server.url, id, '/iam', { method: 'POST' });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(unsigned.json(), { message: 'Forbidden' });
  } finally {
    await server.stop();
  }
});
