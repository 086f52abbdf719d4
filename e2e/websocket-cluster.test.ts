// WebSocket APIs in a cluster: two nodes on one PostgreSQL database, signatures verified. A client
// connects to node A; @connections calls sent to node B — through AWS's client on the stage's
// callback URL and on B's own endpoint, and from a function B runs (a broadcast) — reach it, with
// the signature checked by A. A closed connection is gone on B too; so is one of a node that
// crashed, whose row B then removes; a node that starts again removes the rows it left.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import {
  ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { apiGatewayInvokeRole, createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { sdkLayerZip } from '../src/testing/sdk-layer.js';
import { httpCall } from '../src/execute-api/testing.js';
import { openWebSocket, type TestSocket } from '../src/execute-api/websocket/testing.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { runCli } from '../src/cli/testing.js';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

const ID = `exports.handler = async (event) => ({ statusCode: 200, body: event.requestContext.connectionId });`;
// A chat's broadcast: the function, run by whichever node the sender is connected to, posts to the connection named.
const BROADCAST = `const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
exports.handler = async (event) => {
  const { to, text } = JSON.parse(event.body);
  await new ApiGatewayManagementApiClient({}).send(new PostToConnectionCommand({ ConnectionId: to, Data: text }));
  return { statusCode: 200 };
};`;

/** The node URLs recorded for a connection (one row while a node holds it). */
async function rowsOf(url: string, connectionId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT node_url FROM websocket_connections WHERE connection_id = $1', [connectionId])).rows.map((r) => r.node_url as string);
  } finally {
    await client.end();
  }
}

const rowsFor = async (url: string, connectionId: string): Promise<number> => (await rowsOf(url, connectionId)).length;

async function connect(url: string, apiId: string): Promise<{ client: TestSocket; id: string }> {
  const client = await openWebSocket(url, apiId, 'live', { headers: { 'User-Agent': 'cluster-test/1' } });
  client.ws.send('who am i');
  return { client, id: await client.next() };
}

test('@connections calls sent to one node reach a connection another node holds; gone after close or the holder\'s crash', async (t) => {
  db = await createTestDatabase();
  const options = { args: ['--database', db.url], env: { STAGECRAFT_CREDENTIALS: `${testCredentials.accessKeyId}:${testCredentials.secretAccessKey}` } };
  const a = await TestServer.start(options);
  const b = await TestServer.start(options);
  t.after(async () => {
    await a.stop();
    await b.stop();
  });

  await createNodeFunction(a.lambda, 'ws-id', ID);
  const layer = await a.lambda.send(new PublishLayerVersionCommand({ LayerName: 'apigw-management-sdk', Content: { ZipFile: await sdkLayerZip('@aws-sdk/client-apigatewaymanagementapi') } }));
  await createNodeFunction(a.lambda, 'ws-broadcast', BROADCAST, { Layers: [layer.LayerVersionArn!], Timeout: 20 });
  const apiId = (await a.apigwv2.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const integration = (fn: string) => a.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:${fn}`, CredentialsArn: apiGatewayInvokeRole,
  }));
  const route = await a.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${(await integration('ws-id')).IntegrationId}` }));
  await a.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await a.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'broadcast', Target: `integrations/${(await integration('ws-broadcast')).IntegrationId}` }));
  await a.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }));

  const { client, id } = await connect(a.url, apiId);
  const onB = new ApiGatewayManagementApiClient({ endpoint: `${b.url}/restapis/${apiId}/live/_user_request_`, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  const bOwnEndpoint = new ApiGatewayManagementApiClient({ endpoint: b.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  t.after(() => {
    onB.destroy();
    bOwnEndpoint.destroy();
  });

  // GetConnection and PostToConnection through B reach the connection A holds.
  const info = await onB.send(new GetConnectionCommand({ ConnectionId: id }));
  assert.equal(info.Identity?.UserAgent, 'cluster-test/1');
  assert.ok(info.ConnectedAt instanceof Date && Math.abs(info.ConnectedAt.getTime() - Date.now()) < 60_000);
  await onB.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('from node B') }));
  assert.equal(await client.next(), 'from node B');
  const large = 'y'.repeat(100 * 1024);
  await bOwnEndpoint.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(large) }));
  assert.equal(await client.next(), large, 'B\'s own endpoint reaches it too, with a message of 100 KB');

  // A chat on two nodes: a sender connected to B broadcasts; the function B runs posts to the client on A.
  const sender = await connect(b.url, apiId);
  sender.client.ws.send(JSON.stringify({ action: 'broadcast', to: id, text: 'hello from a client of B' }));
  assert.equal(await client.next(20_000), 'hello from a client of B');

  // The holder checks the signature, with the same credentials list: unsigned and wrongly signed calls are refused.
  const unsigned = await httpCall(b.url, `/restapis/${apiId}/live/_user_request_/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'no' });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.json().message, 'Missing Authentication Token');
  const wrongKey = new ApiGatewayManagementApiClient({ endpoint: b.url, region: testRegion, credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' }, maxAttempts: 1 });
  t.after(() => wrongKey.destroy());
  await assert.rejects(wrongKey.send(new GetConnectionCommand({ ConnectionId: id })), (e: any) => e.$metadata?.httpStatusCode === 403);

  // Another API's callback URL does not reach the connection, on either node.
  const other = (await b.apigwv2.send(new CreateApiCommand({ Name: 'other', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const onOther = new ApiGatewayManagementApiClient({ endpoint: `${b.url}/restapis/${other}/live/_user_request_`, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  t.after(() => onOther.destroy());
  await expectAwsError(onOther.send(new GetConnectionCommand({ ConnectionId: id })), 'GoneException', undefined, 410);

  // DeleteConnection through B closes it; it is gone from then on.
  const deleted = await onB.send(new DeleteConnectionCommand({ ConnectionId: id }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  assert.equal((await client.closed).code, 1000);
  await expectAwsError(onB.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('late') })), 'GoneException', undefined, 410);
  await expectAwsError(onB.send(new GetConnectionCommand({ ConnectionId: id })), 'GoneException', undefined, 410);

  // A connection its client closed: gone on B, and its row removed by A.
  const closing = await connect(a.url, apiId);
  assert.deepEqual(await rowsOf(db.url, closing.id), [`http://127.0.0.1:${a.server.port}`], 'recorded with A\'s default URL: its address');
  closing.client.ws.close();
  await closing.client.closed;
  await expectAwsError(onB.send(new GetConnectionCommand({ ConnectionId: closing.id })), 'GoneException', undefined, 410);
  for (let waited = 0; (await rowsFor(db.url, closing.id)) > 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await rowsFor(db.url, closing.id), 0);

  // Node A crashes: B finds it unreachable, answers 410 and removes the row A left.
  const orphan = await connect(a.url, apiId);
  await a.server.kill9();
  await orphan.client.closed;
  assert.equal(await rowsFor(db.url, orphan.id), 1, 'a crashed node leaves its rows');
  await expectAwsError(onB.send(new PostToConnectionCommand({ ConnectionId: orphan.id, Data: Buffer.from('anyone?') })), 'GoneException', undefined, 410);
  assert.equal(await rowsFor(db.url, orphan.id), 0, 'B removed the row of the node that does not answer');
  sender.client.ws.close();
  await sender.client.closed;
});

test('a node that starts again removes the rows it left when it crashed', async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  let a = await TestServer.start({ args: ['--database', database.url, '--advertise-url', 'http://node-a.internal:4566/'] });
  t.after(() => a.stop());
  await createNodeFunction(a.lambda, 'ws-id', ID);
  const apiId = (await a.apigwv2.send(new CreateApiCommand({ Name: 'restart', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const target = (await a.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-id`, CredentialsArn: apiGatewayInvokeRole,
  }))).IntegrationId;
  const route = await a.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${target}` }));
  await a.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await a.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }));
  const { client, id } = await connect(a.url, apiId);
  assert.deepEqual(await rowsOf(database.url, id), ['http://node-a.internal:4566'], 'recorded with the URL the node advertises');
  a = await a.restart({ crash: true });
  await client.closed;
  assert.equal(await rowsFor(database.url, id), 0);
});

test('serve refuses an --advertise-url that is not an http(s) URL', async () => {
  const wrong = await runCli(['serve', '--port', '0', '--advertise-url', 'node-a:4566']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--advertise-url must be an http\(s\) URL such as http:\/\/10\.0\.0\.7:4566, got 'node-a:4566'/);
});
