// The @connections API of WebSocket APIs end to end, through AWS's ApiGatewayManagementApi client
// and the AWS CLI on the stage's callback URL: PostToConnection (text, messages sent in 32 KB
// frames, the 128 KB limit), GetConnection, DeleteConnection, AWS's 410 GoneException for
// connections that are gone; signatures when credentials are configured; and the idle and lifetime
// limits (shortened here with --websocket-timeouts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { sdkLayerZip } from '../src/testing/sdk-layer.js';
import { apiGatewayInvokeRole, createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { httpCall } from '../src/execute-api/testing.js';
import { openWebSocket, signedHandshakeHeaders, type TestSocket } from '../src/execute-api/websocket/testing.js';

const IDLE_MS = 2000;
const MAX_MS = 6000;
const env = useServer({ args: ['--websocket-timeouts', `${IDLE_MS},${MAX_MS}`] });
let apiId: string;
let management: ApiGatewayManagementApiClient;

/** The stage's callback URL in the path form (no resolver needed for *.localhost names). */
const callbackUrl = () => `${env.url}/restapis/${apiId}/live/_user_request_`;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'ws-id', `exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.connectionId });`);
  apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'manage', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'ws-id', StatementId: 'ws', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-id`,
  }));
  const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
  await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }));
  management = new ApiGatewayManagementApiClient({ endpoint: callbackUrl(), region: testRegion, credentials: testCredentials, maxAttempts: 1 });
});

/** A connection and its id (the $default route answers with it), kept from going idle (this server's idle timeout is short) by pings. */
async function connected(): Promise<{ client: TestSocket; id: string }> {
  const client = await openWebSocket(env.url, apiId, 'live', { headers: { 'User-Agent': 'manage-test/2' } });
  const pinger = setInterval(() => client.ws.ping(), IDLE_MS / 4);
  client.ws.on('close', () => clearInterval(pinger));
  client.ws.send('who am i');
  return { client, id: await client.next() };
}

test('GetConnection, PostToConnection and DeleteConnection through AWS\'s client; then GoneException', async () => {
  const { client, id } = await connected();
  const info = await management.send(new GetConnectionCommand({ ConnectionId: id }));
  assert.ok(info.ConnectedAt instanceof Date && Math.abs(info.ConnectedAt.getTime() - Date.now()) < 60_000);
  assert.ok(info.LastActiveAt instanceof Date && info.LastActiveAt.getTime() >= info.ConnectedAt.getTime());
  assert.equal(info.Identity?.UserAgent, 'manage-test/2');
  assert.ok(info.Identity?.SourceIp);

  await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('hello from the backend') }));
  assert.equal(await client.next(), 'hello from the backend');
  const large = 'z'.repeat(100 * 1024);
  await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(large) }));
  assert.equal(await client.next(), large);
  await expectAwsError(management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(128 * 1024 + 1, 'a') })), 'PayloadTooLargeException', undefined, 413);
  // An empty body is an empty message (it was a 500).
  assert.equal((await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: new Uint8Array(0) }))).$metadata.httpStatusCode, 200);
  assert.equal(await client.next(), '');

  const deleted = await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  assert.equal((await client.closed).code, 1000);
  await expectAwsError(management.send(new GetConnectionCommand({ ConnectionId: id })), 'GoneException', undefined, 410);
  await expectAwsError(management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('late') })), 'GoneException', undefined, 410);
  await expectAwsError(management.send(new DeleteConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), 'GoneException', undefined, 410);
});

test('the callback URL on the API\'s host and the server\'s own endpoint; AWS\'s 410 has no body', async () => {
  const { client, id } = await connected();
  const port = new URL(env.url).port;
  const onHost = await httpCall(env.url, `/live/@connections/${encodeURIComponent(id)}`, {
    method: 'POST', headers: { Host: `${apiId}.execute-api.localhost:${port}` }, body: 'via the host',
  });
  assert.equal(onHost.status, 200);
  assert.equal(await client.next(), 'via the host');
  const own = await httpCall(env.url, `/@connections/${encodeURIComponent(id)}`);
  assert.equal(own.status, 200);
  assert.ok(own.json().connectedAt);
  // Another API's callback URL does not reach this connection.
  const other = (await env.apigwv2.send(new CreateApiCommand({ Name: 'other', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const gone = await httpCall(env.url, `/restapis/${other}/live/_user_request_/@connections/${encodeURIComponent(id)}`);
  assert.equal(gone.status, 410);
  assert.equal(gone.headers['x-amzn-errortype'], 'GoneException');
  assert.equal(gone.text, '');
  client.ws.close();
  await client.closed;
});

test('the AWS CLI posts to a connection', async () => {
  const { client, id } = await connected();
  const cli = await awsCli(callbackUrl(), ['apigatewaymanagementapi', 'post-to-connection', '--connection-id', id, '--data', 'from the CLI', '--cli-binary-format', 'raw-in-base64-out']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(await client.next(), 'from the CLI');
  const gone = await awsCli(callbackUrl(), ['apigatewaymanagementapi', 'get-connection', '--connection-id', 'BBBBBBBBBBBBBBB=']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /GoneException/);
  client.ws.close();
  await client.closed;
});

// A function written for AWS: AWS's SDK client, at AWS_ENDPOINT_URL given explicitly or read from the environment.
const SDK_REPLY = `const { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
exports.handler = async (event) => {
  const id = event.requestContext.connectionId;
  const fromEnvironment = new ApiGatewayManagementApiClient({});
  const info = await fromEnvironment.send(new GetConnectionCommand({ ConnectionId: id }));
  const explicit = new ApiGatewayManagementApiClient({ endpoint: process.env.AWS_ENDPOINT_URL });
  await explicit.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'sdk:' + info.Identity.UserAgent }));
  return { statusCode: 200 };
};`;

test('a function replies with AWS\'s ApiGatewayManagementApiClient (from a layer) at AWS_ENDPOINT_URL', async () => {
  const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'apigw-management-sdk', Content: { ZipFile: await sdkLayerZip('@aws-sdk/client-apigatewaymanagementapi') } }));
  await createNodeFunction(env.lambda, 'ws-sdk', SDK_REPLY, { Layers: [layer.LayerVersionArn!], Timeout: 20 });
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'ws-sdk', StatementId: 'ws', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-sdk` }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'sdk', Target: `integrations/${integration.IntegrationId}` }));
  const { client } = await connected();
  client.ws.send(JSON.stringify({ action: 'sdk' }));
  assert.equal(await client.next(20_000), 'sdk:manage-test/2');
  client.ws.close();
  await client.closed;
});

test('an idle connection is closed (1001), and so is any connection once it reaches the most a connection may last', async () => {
  const idle = await openWebSocket(env.url, apiId, 'live');
  const started = Date.now();
  assert.equal((await idle.closed).code, 1001);
  assert.ok(Date.now() - started >= IDLE_MS - 200);

  const busy = await openWebSocket(env.url, apiId, 'live');
  const opened = Date.now();
  const pinger = setInterval(() => busy.ws.ping(), IDLE_MS / 4);
  const closed = await busy.closed;
  clearInterval(pinger);
  assert.equal(closed.code, 1001);
  assert.ok(Date.now() - opened >= MAX_MS - 300, 'pings keep a connection from going idle until its lifetime ends');
});

test('with credentials configured, @connections calls must be signed (AWS\'s client signs them), and so must handshakes of an AWS_IAM $connect', async (t) => {
  const signed = await TestServer.start({ env: { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } });
  t.after(() => signed.stop());
  await createNodeFunction(signed.lambda, 'ws-id', `exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.connectionId });`);
  const api = (await signed.apigwv2.send(new CreateApiCommand({ Name: 'signed', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const integration = await signed.apigwv2.send(new CreateIntegrationCommand({
    ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-id`, CredentialsArn: apiGatewayInvokeRole,
  }));
  const route = await signed.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
  await signed.apigwv2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await signed.apigwv2.send(new CreateStageCommand({ ApiId: api, StageName: 'live', AutoDeploy: true }));
  const client = await openWebSocket(signed.url, api, 'live');
  client.ws.send('id');
  const id = await client.next();
  const endpoint = `${signed.url}/restapis/${api}/live/_user_request_`;
  const unsigned = await httpCall(signed.url, `/restapis/${api}/live/_user_request_/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'no' });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.json().message, 'Missing Authentication Token');
  const sdk = new ApiGatewayManagementApiClient({ endpoint, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  t.after(() => sdk.destroy());
  await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('signed') }));
  assert.equal(await client.next(), 'signed');
  const wrongKey = new ApiGatewayManagementApiClient({ endpoint, region: testRegion, credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' }, maxAttempts: 1 });
  t.after(() => wrongKey.destroy());
  await assert.rejects(wrongKey.send(new GetConnectionCommand({ ConnectionId: id })), (e: any) => e.$metadata?.httpStatusCode === 403);
  client.ws.close();
  await client.closed;

  // An AWS_IAM $connect route admits signed handshakes only.
  await signed.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$connect', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'AWS_IAM' }));
  await assert.rejects(openWebSocket(signed.url, api, 'live'), (e: any) => e.status === 403 && JSON.parse(e.body).message === 'Forbidden');
  const forged = await signedHandshakeHeaders(signed.url, api, 'live', { accessKeyId: 'nobody', secretAccessKey: 'x' });
  await assert.rejects(openWebSocket(signed.url, api, 'live', { headers: forged }),
    (e: any) => e.status === 403 && JSON.parse(e.body).message === 'The security token included in the request is invalid.');
  const admitted = await openWebSocket(signed.url, api, 'live', { headers: await signedHandshakeHeaders(signed.url, api, 'live', testCredentials) });
  admitted.ws.send('id');
  assert.match(await admitted.next(), /=$/);
  // Its events name the caller: the signature's access key, in the API owner's account.
  await createNodeFunction(signed.lambda, 'ws-who', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.identity) });`);
  const who = await signed.apigwv2.send(new CreateIntegrationCommand({
    ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-who`, CredentialsArn: apiGatewayInvokeRole,
  }));
  const whoRoute = await signed.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: 'whoami', Target: `integrations/${who.IntegrationId}` }));
  await signed.apigwv2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: whoRoute.RouteId, RouteResponseKey: '$default' }));
  admitted.ws.send(JSON.stringify({ action: 'whoami' }));
  const identity = JSON.parse(await admitted.next());
  assert.equal(identity.accessKey, testCredentials.accessKeyId);
  assert.equal(identity.accountId, testAccount);
  assert.ok(identity.sourceIp);
  admitted.ws.close();
  await admitted.closed;
});
