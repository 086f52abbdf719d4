// WebSocket APIs end to end: a real `ws` client on an API made with AWS's ApiGatewayV2 client,
// served to real functions — the CONNECT, MESSAGE and DISCONNECT events with AWS's shapes, a
// $connect answering 403 refusing the connection, route selection by the body's action and
// $default, two-way routes, functions replying through the @connections API, the permission
// check, and AWS's limits (128 KB messages, binary frames, garbage on the wire).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { EventCollector, openWebSocket } from '../src/execute-api/websocket/testing.js';
import { httpCall, invokeHost } from '../src/execute-api/testing.js';

// Functions post their events to the collector, a host loopback port their network namespaces are given.
const collector = await EventCollector.start();
const env = useServer({ args: ['--function-host-ports', new URL(collector.url).port] });
let apiId: string;

const POST_EVENT = `const post = (event) => fetch(process.env.COLLECTOR, { method: 'POST', body: JSON.stringify(event) });`;
// Refuses ?deny=1; picks the first subprotocol the client offers (API Gateway needs the function to name it).
const CONNECT = `${POST_EVENT}
exports.handler = async (event) => {
  await post(event);
  if (event.queryStringParameters?.deny) return { statusCode: 403, body: 'denied' };
  const offered = event.headers['Sec-WebSocket-Protocol'];
  return offered ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': offered.split(',')[0].trim() } } : { statusCode: 200 };
};`;
const DISCONNECT = `${POST_EVENT}
exports.handler = async (event) => { await post(event); return { statusCode: 200 }; };`;
const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ routeKey: event.requestContext.routeKey, eventType: event.requestContext.eventType, body: event.body, context: event.requestContext, stageVariables: event.stageVariables }) });`;
// Replies through the @connections API at the server's endpoint (functions get it as AWS_ENDPOINT_URL).
const REPLY = `exports.handler = async (event) => {
  const id = encodeURIComponent(event.requestContext.connectionId);
  const url = process.env.AWS_ENDPOINT_URL + '/@connections/' + id;
  const got = await (await fetch(url)).json();
  const res = await fetch(url, { method: 'POST', body: 'reply:' + JSON.parse(event.body).text + ':' + (got.connectedAt ? 'known' : 'unknown') });
  return { statusCode: res.status };
};`;
const THROWS = `exports.handler = async () => { throw new Error('kaboom'); };`;
const fnArn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

env.setup(async () => {
  const environment = { Variables: { COLLECTOR: collector.url } };
  for (const [name, code] of [['ws-connect', CONNECT], ['ws-disconnect', DISCONNECT], ['ws-echo', ECHO], ['ws-reply', REPLY], ['ws-throws', THROWS], ['ws-private', ECHO]]) {
    await createNodeFunction(env.lambda, name, code, { Environment: environment, Timeout: 5 });
  }
  apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  for (const fn of ['ws-connect', 'ws-disconnect', 'ws-echo', 'ws-reply', 'ws-throws']) {
    await env.lambda.send(new AddPermissionCommand({
      FunctionName: fn, StatementId: `ws-${apiId}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
    }));
  }
  const route = async (key: string, fn: string, twoWay = false) => {
    const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn(fn) }));
    const created = await env.apigwv2.send(new CreateRouteCommand({
      ApiId: apiId, RouteKey: key, Target: `integrations/${integration.IntegrationId}`, ...(twoWay ? { RouteResponseSelectionExpression: '$default' } : {}),
    }));
    if (twoWay) await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: created.RouteId, RouteResponseKey: '$default' }));
  };
  await route('$connect', 'ws-connect');
  await route('$disconnect', 'ws-disconnect');
  await route('$default', 'ws-echo', true);
  await route('echo', 'ws-echo', true);
  await route('reply', 'ws-reply');
  await route('boom', 'ws-throws', true);
  await route('private', 'ws-private', true);
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { color: 'blue' } }));
  await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev' }));
});
after(() => collector.close());

test('CONNECT and DISCONNECT events reach Lambda with AWS\'s shapes', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev', { query: 'token=abc&tag=1&tag=2', headers: { 'User-Agent': 'ws-test/1', 'X-Custom': 'v' } });
  const connectEvent = await collector.wait((e) => e.requestContext.eventType === 'CONNECT' && e.headers?.['X-Custom'] === 'v');
  const c = connectEvent.requestContext;
  assert.equal(c.routeKey, '$connect');
  assert.equal(c.stage, 'dev');
  assert.equal(c.apiId, apiId);
  assert.equal(c.messageDirection, 'IN');
  assert.equal(c.domainName, `${apiId}.execute-api.localhost`);
  assert.match(c.connectionId, /^[A-Za-z0-9]{15}=$/);
  assert.equal(typeof c.connectedAt, 'number');
  assert.equal(typeof c.requestTimeEpoch, 'number');
  assert.match(c.requestTime, /^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.ok(c.requestId && c.extendedRequestId);
  assert.equal(c.identity.userAgent, 'ws-test/1');
  assert.ok(c.identity.sourceIp);
  assert.equal(connectEvent.isBase64Encoded, false);
  assert.ok(connectEvent.headers['Sec-WebSocket-Key']);
  assert.equal(connectEvent.headers['Sec-WebSocket-Version'], '13');
  assert.equal(connectEvent.headers['X-Forwarded-Proto'], 'http');
  assert.ok(connectEvent.headers['X-Amzn-Trace-Id']);
  assert.deepEqual(connectEvent.multiValueHeaders['X-Custom'], ['v']);
  assert.deepEqual(connectEvent.queryStringParameters, { token: 'abc', tag: '2' });
  assert.deepEqual(connectEvent.multiValueQueryStringParameters, { token: ['abc'], tag: ['1', '2'] });
  assert.deepEqual(connectEvent.stageVariables, { color: 'blue' });

  client.ws.close(1000, 'bye');
  assert.deepEqual(await client.closed, { code: 1000, reason: 'bye' });
  const gone = await collector.wait((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === c.connectionId);
  assert.equal(gone.requestContext.routeKey, '$disconnect');
  assert.equal(gone.requestContext.disconnectStatusCode, 1000);
  assert.equal(gone.requestContext.disconnectReason, 'bye');
  assert.equal(gone.requestContext.connectedAt, c.connectedAt);
  assert.equal(gone.headers.Host, `${apiId}.execute-api.localhost:${new URL(env.url).port}`);
  assert.equal(gone.isBase64Encoded, false);
});

test('a $connect answering 403 refuses the connection; unknown stages are 403 too', async () => {
  await assert.rejects(openWebSocket(env.url, apiId, 'dev', { query: 'deny=1' }), (e: any) => e.status === 403 && e.body === 'denied');
  await assert.rejects(openWebSocket(env.url, apiId, 'nope'), (e: any) => e.status === 403);
});

test('a subprotocol the $connect function names is the connection\'s', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev', { protocols: ['chat.v2', 'chat.v1'] });
  assert.equal(client.ws.protocol, 'chat.v2');
  client.ws.close();
  await client.closed;
});

test('route selection: the body\'s action picks the route, $default takes the rest; two-way routes answer with the function\'s body', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev', { pathStyle: true });
  client.ws.send(JSON.stringify({ action: 'echo', text: 'hi' }));
  const echoed = JSON.parse(await client.next());
  assert.equal(echoed.routeKey, 'echo');
  assert.equal(echoed.eventType, 'MESSAGE');
  assert.equal(echoed.body, '{"action":"echo","text":"hi"}');
  assert.equal(echoed.context.messageDirection, 'IN');
  assert.ok(echoed.context.messageId);
  assert.ok(echoed.context.identity.sourceIp);
  client.ws.send(JSON.stringify({ action: 'unknown' }));
  assert.equal(JSON.parse(await client.next()).routeKey, '$default');
  assert.ok((await httpCall(env.url, '/_stagecraft/health')).json().webSocketConnections >= 1, 'the health endpoint counts connections');
  client.ws.send('not json at all');
  const plain = JSON.parse(await client.next());
  assert.equal(plain.routeKey, '$default');
  assert.equal(plain.body, 'not json at all');
  client.ws.close();
  await client.closed;
});

test('a function replies through PostToConnection to its own connection, after GetConnection', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev');
  client.ws.send(JSON.stringify({ action: 'reply', text: 'ping' }));
  assert.equal(await client.next(), 'reply:ping:known');
  client.ws.close();
  await client.closed;
});

test('a failing function and a function API Gateway may not call answer AWS\'s error message', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev');
  client.ws.send(JSON.stringify({ action: 'boom' }));
  const boom = JSON.parse(await client.next());
  assert.equal(boom.message, 'Internal server error');
  assert.ok(boom.connectionId && boom.requestId);
  client.ws.send(JSON.stringify({ action: 'private' }));
  assert.equal(JSON.parse(await client.next()).message, 'Internal server error');
  client.ws.close();
  await client.closed;
});

test('a message over 128 KB closes the connection with 1009, a binary frame with 1003; both reach $disconnect', async () => {
  const big = await openWebSocket(env.url, apiId, 'dev');
  big.ws.send('x'.repeat(128 * 1024 + 1));
  assert.equal((await big.closed).code, 1009);
  await collector.wait((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.disconnectStatusCode === 1009);
  const fits = await openWebSocket(env.url, apiId, 'dev');
  fits.ws.send(JSON.stringify({ action: 'echo', text: 'y'.repeat(100 * 1024) }));
  assert.equal(JSON.parse(await fits.next()).routeKey, 'echo');
  fits.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal((await fits.closed).code, 1003);
});

test('garbage after the handshake, a malformed handshake (400) and a half-finished one do not hurt the server', async () => {
  const port = Number(new URL(env.url).port);
  const raw = connect(port, '127.0.0.1');
  await new Promise<void>((ok) => raw.once('connect', () => ok()));
  raw.write(`GET /dev HTTP/1.1\r\nHost: ${apiId}.execute-api.localhost:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((ok) => raw.once('data', () => ok()));
  raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]));
  await new Promise<void>((ok) => raw.once('close', () => ok()));
  const badKey = await httpCall(env.url, '/dev', {
    headers: { Host: `${apiId}.execute-api.localhost:${port}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'short', 'Sec-WebSocket-Version': '13', 'X-Test': 'bad-key' },
  });
  assert.equal(badKey.status, 400);
  const half = connect(port, '127.0.0.1');
  half.write(`GET /dev HTTP/1.1\r\nHost: ${apiId}.execute-api.localhost:${port}\r\nUpgrade: websocket\r\n`);
  half.destroy();
  const client = await openWebSocket(env.url, apiId, 'dev');
  client.ws.send(JSON.stringify({ action: 'echo' }));
  assert.equal(JSON.parse(await client.next()).routeKey, 'echo');
  client.ws.close();
});

test('plain requests to a WebSocket API\'s endpoint are 403; upgrade requests for anything else are answered as plain requests', async () => {
  const plain = await invokeHost(env.url, apiId, 'dev', '/');
  assert.equal(plain.status, 403);
  assert.deepEqual(plain.json(), { message: 'Forbidden' });
  const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' };
  const health = await httpCall(env.url, '/_stagecraft/health', { headers: upgrade });
  assert.equal(health.status, 200);
  assert.equal(health.json().status, 'ok');
  const h2c = await httpCall(env.url, '/_stagecraft/health', { headers: { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAARAAAAAAAIAAAAA' } });
  assert.equal(h2c.status, 200);
});

const AUTHORIZER = `${POST_EVENT}
exports.handler = async (event) => {
  await post(event);
  const token = event.headers.Auth;
  if (token === 'bad') throw new Error('Unauthorized');
  const effect = token === 'letmein' ? 'Allow' : 'Deny';
  return { principalId: 'alice-id', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] }, context: { user: 'alice', admin: false } };
};`;

test('a Lambda REQUEST authorizer on $connect admits, refuses (403) or rejects (401) the handshake; its context reaches every event', async () => {
  await createNodeFunction(env.lambda, 'ws-authorizer', AUTHORIZER, { Environment: { Variables: { COLLECTOR: collector.url } }, Timeout: 5 });
  const guarded = (await env.apigwv2.send(new CreateApiCommand({ Name: 'guarded', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  for (const fn of ['ws-authorizer', 'ws-connect', 'ws-echo']) {
    await env.lambda.send(new AddPermissionCommand({
      FunctionName: fn, StatementId: `ws-${guarded}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${guarded}/*`,
    }));
  }
  const authorizer = await env.apigwv2.send(new CreateAuthorizerCommand({
    ApiId: guarded, Name: 'token', AuthorizerType: 'REQUEST', IdentitySource: ['route.request.header.Auth'],
    AuthorizerUri: `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/${fnArn('ws-authorizer')}/invocations`,
  }));
  const integration = async (fn: string) => `integrations/${(await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: guarded, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn(fn) }))).IntegrationId}`;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: guarded, RouteKey: '$connect', Target: await integration('ws-connect'), AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
  const echo = await env.apigwv2.send(new CreateRouteCommand({ ApiId: guarded, RouteKey: '$default', Target: await integration('ws-echo') }));
  await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: guarded, RouteId: echo.RouteId, RouteResponseKey: '$default' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: guarded, StageName: 'dev', AutoDeploy: true }));

  await assert.rejects(openWebSocket(env.url, guarded, 'dev'), (e: any) => e.status === 401 && JSON.parse(e.body).message === 'Unauthorized');
  await assert.rejects(openWebSocket(env.url, guarded, 'dev', { headers: { Auth: 'nope' } }), (e: any) => e.status === 403 && JSON.parse(e.body).message === 'Forbidden');
  await assert.rejects(openWebSocket(env.url, guarded, 'dev', { headers: { Auth: 'bad' } }), (e: any) => e.status === 401);
  const client = await openWebSocket(env.url, guarded, 'dev', { headers: { Auth: 'letmein' } });
  const asked = await collector.wait((e) => e.type === 'REQUEST' && e.headers?.Auth === 'letmein');
  assert.equal(asked.methodArn, `arn:aws:execute-api:${testRegion}:${testAccount}:${guarded}/dev/$connect`);
  assert.equal(asked.requestContext.eventType, 'CONNECT');
  assert.equal(asked.requestContext.routeKey, '$connect');
  assert.deepEqual(asked.queryStringParameters, {});
  const connected = await collector.wait((e) => e.type === undefined && e.requestContext?.eventType === 'CONNECT' && e.requestContext.apiId === guarded);
  assert.equal(connected.requestContext.authorizer.user, 'alice');
  assert.equal(connected.requestContext.authorizer.admin, 'false');
  assert.equal(connected.requestContext.authorizer.principalId, 'alice-id');
  client.ws.send('hello');
  const echoed = JSON.parse(await client.next());
  assert.equal(echoed.context.authorizer.user, 'alice');
  client.ws.close();
  await client.closed;
});

test('a stage with access log settings writes a line per CONNECT, MESSAGE and DISCONNECT event in its format', async () => {
  const group = 'websocket-access';
  const format = '$context.eventType $context.routeKey $context.connectionId $context.status $context.error.message $context.disconnectStatusCode $context.identity.sourceIp';
  await env.apigwv2.send(new CreateStageCommand({
    ApiId: apiId, StageName: 'logged', AccessLogSettings: { DestinationArn: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}`, Format: format },
  }));
  await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'logged' }));
  const client = await openWebSocket(env.url, apiId, 'logged', { headers: { 'X-Test': 'logged' } });
  const id = (await collector.wait((e) => e.requestContext.eventType === 'CONNECT' && e.headers?.['X-Test'] === 'logged')).requestContext.connectionId;
  client.ws.send(JSON.stringify({ action: 'echo' }));
  await client.next();
  client.ws.send(JSON.stringify({ action: 'boom' }));
  await client.next();
  client.ws.close(1000, 'bye');
  await client.closed;
  const deadline = Date.now() + 10_000;
  let lines: string[] = [];
  while (lines.length < 4 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      lines = ((await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${id}"` }))).events ?? []).map((e) => e.message!);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
  }
  const shown = lines.map((l) => l.replace(/ \S+$/, ''));
  // Each event also counts as a request of its stage.
  const metrics = (await httpCall(env.url, '/_stagecraft/metrics')).text;
  assert.match(metrics, new RegExp(`stagecraft_apigateway_requests_total\\{[^}]*api_id="${apiId}"[^}]*stage="logged"[^}]*status="500"[^}]*\\} 1`));
  assert.deepEqual(shown.sort(), [
    `CONNECT $connect ${id} 200 - -`,
    `DISCONNECT $disconnect ${id} 200 - 1000`,
    `MESSAGE boom ${id} 500 Internal server error -`,
    `MESSAGE echo ${id} 200 - -`,
  ]);
});

test('a server that stops closes its connections with 1001 Going away, and $disconnect hears of it first; the API outlives the restart', async () => {
  const client = await openWebSocket(env.url, apiId, 'dev', { headers: { 'X-Test': 'shutdown' } });
  const connected = await collector.wait((e) => e.requestContext.eventType === 'CONNECT' && e.headers?.['X-Test'] === 'shutdown');
  await env.restart();
  assert.deepEqual(await client.closed, { code: 1001, reason: 'Going away' });
  const gone = await collector.wait((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === connected.requestContext.connectionId);
  assert.equal(gone.requestContext.disconnectStatusCode, 1001);
  assert.equal(gone.requestContext.disconnectReason, 'Going away');
  // The restarted server serves the API again.
  const again = await openWebSocket(env.url, apiId, 'dev');
  again.ws.send(JSON.stringify({ action: 'echo' }));
  assert.equal(JSON.parse(await again.next()).routeKey, 'echo');
  again.ws.close();
  await again.closed;
});
