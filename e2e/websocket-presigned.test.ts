// AWS_IAM $connect routes with presigned handshake URLs, on a server with credentials configured:
// a URL presigned by AWS's signer (X-Amz-* query) connects and names its key in the events; a
// tampered, expired or wrong-key URL is refused with a 403 before $connect runs. HTTP APIs'
// AWS_IAM routes verify presigned queries the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { apiGatewayInvokeRole, createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';
import { TestServer } from '../src/testing/fixture.js';
import { httpCall } from '../src/execute-api/testing.js';
import { openWebSocket, presignedHandshakeQuery } from '../src/execute-api/websocket/testing.js';

test('an AWS_IAM $connect admits a presigned handshake URL and refuses a tampered, expired or wrong-key one', async (t) => {
  const server = await TestServer.start({ env: { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } });
  t.after(() => server.stop());
  await createNodeFunction(server.lambda, 'ws-who', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ identity: event.requestContext.identity }) });`);
  const api = (await server.apigwv2.send(new CreateApiCommand({ Name: 'presigned', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const integration = await server.apigwv2.send(new CreateIntegrationCommand({
    ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-who`, CredentialsArn: apiGatewayInvokeRole,
  }));
  await server.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$connect', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'AWS_IAM' }));
  const route = await server.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
  await server.apigwv2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await server.apigwv2.send(new CreateStageCommand({ ApiId: api, StageName: 'live', AutoDeploy: true }));

  const query = await presignedHandshakeQuery(server.url, api, 'live', testCredentials, { query: { room: 'blue' } });
  const client = await openWebSocket(server.url, api, 'live', { query });
  client.ws.send('who');
  const seen = JSON.parse(await client.next());
  assert.equal(seen.identity.accessKey, testCredentials.accessKeyId);
  assert.equal(seen.identity.accountId, testAccount);
  client.ws.close();
  await client.closed;

  const refusedWith = async (q: string, message: RegExp) => assert.rejects(openWebSocket(server.url, api, 'live', { query: q }),
    (e: any) => e.status === 403 && message.test(JSON.parse(e.body).message));
  await refusedWith(query.replace('room=blue', 'room=red'), /^The request signature we calculated does not match/);
  await refusedWith(await presignedHandshakeQuery(server.url, api, 'live', { ...testCredentials, secretAccessKey: 'not-the-secret' }), /^The request signature we calculated does not match/);
  await refusedWith(await presignedHandshakeQuery(server.url, api, 'live', { accessKeyId: 'nobody', secretAccessKey: 'x' }), /^The security token included in the request is invalid\.$/);
  await refusedWith(await presignedHandshakeQuery(server.url, api, 'live', testCredentials, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) }), /^Signature expired: /);
  // Signed for another service: the signature is right, its scope is not.
  await refusedWith(query.replace('%2Fexecute-api%2F', '%2Flambda%2F'), /^The request signature we calculated does not match/);
});

test('an AWS_IAM route of an HTTP API verifies a presigned query', async (t) => {
  const server = await TestServer.start({ env: { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } });
  t.after(() => server.stop());
  await createNodeFunction(server.lambda, 'http-who', `exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.authorizer.iam.accessKey });`);
  const api = (await server.apigwv2.send(new CreateApiCommand({ Name: 'http-presigned', ProtocolType: 'HTTP' }))).ApiId!;
  const integration = await server.apigwv2.send(new CreateIntegrationCommand({
    ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:http-who`, PayloadFormatVersion: '2.0', CredentialsArn: apiGatewayInvokeRole,
  }));
  await server.apigwv2.send(new CreateRouteCommand({ ApiId: api, RouteKey: 'GET /live', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'AWS_IAM' }));
  await server.apigwv2.send(new CreateStageCommand({ ApiId: api, StageName: '$default', AutoDeploy: true }));
  const host = `${api}.execute-api.localhost:${new URL(server.url).port}`;
  // The same presigning as a handshake's: GET /live on the API's host.
  const query = await presignedHandshakeQuery(server.url, api, 'live', testCredentials);
  const ok = await httpCall(server.url, `/live?${query}`, { headers: { Host: host } });
  assert.equal(ok.status, 200);
  assert.equal(ok.text, testCredentials.accessKeyId);
  const bad = await httpCall(server.url, `/live?${query.replace(/X-Amz-Signature=./, 'X-Amz-Signature=z')}`, { headers: { Host: host } });
  assert.equal(bad.status, 403);
});
