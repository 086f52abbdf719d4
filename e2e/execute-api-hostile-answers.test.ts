// Functions that answer what no HTTP response can be, behind every front door that turns a
// function's answer into one — REST APIs' Lambda proxy, HTTP APIs (payload 2.0 and 1.0), function
// URLs and WebSocket $connect: interim 1xx statuses, bodies on 204 and 304, headers carrying CR/LF.
// Each gets a complete, well-formed answer (the door's 5xx for what cannot be sent), never a
// response that leaves the client waiting or injects a header line, and the connection stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { rawExchange } from '../src/execute-api/testing.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';

const env = useServer();
/** Answers with the JSON the request body holds; $connect answers with the JSON in its `r` query parameter. */
const MIRROR = 'exports.handler = async (e) => e.requestContext.eventType === "CONNECT" ? JSON.parse(e.queryStringParameters.r) : JSON.parse(e.body);';
const arn = `arn:aws:lambda:${testRegion}:${testAccount}:function:mirror`;

/** Where each front door is reached: the request line's target and the Host header. */
const doors: Record<string, { target: string; host: string }> = {};
let wsApiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'mirror', MIRROR);
  await env.lambda.send(new AddPermissionCommand({ FunctionName: 'mirror', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  await env.lambda.send(new AddPermissionCommand({ FunctionName: 'mirror', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  const port = new URL(env.url).port;

  const restId = (await env.apigw.send(new CreateRestApiCommand({ name: 'hostile' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: restId }))).items!.find((r) => r.path === '/')!.id!;
  const proxy = await env.apigw.send(new CreateResourceCommand({ restApiId: restId, parentId: root, pathPart: '{proxy+}' }));
  await putLambdaProxyMethod(env.apigw, { restApiId: restId, resourceId: proxy.id!, httpMethod: 'ANY' }, 'mirror', { credentials: apiGatewayInvokeRole });
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: restId, stageName: 'dev' }));
  doors.rest = { target: `/restapis/${restId}/dev/_user_request_/x`, host: 'localhost' };

  for (const version of ['2.0', '1.0']) {
    const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: `hostile-${version}`, ProtocolType: 'HTTP' }))).ApiId!;
    const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: version }));
    await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
    await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    doors[`http${version}`] = { target: '/x', host: `${apiId}.execute-api.localhost:${port}` };
  }

  const { FunctionUrl } = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'mirror', AuthType: 'NONE' }));
  doors.url = { target: '/x', host: `${new URL(FunctionUrl!).hostname.split('.')[0]}.lambda-url.${testRegion}.localhost:${port}` };

  wsApiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'hostile-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const wsIntegration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: wsApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: wsApiId, RouteKey: '$connect', Target: `integrations/${wsIntegration.IntegrationId}` }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: wsApiId, StageName: 'dev', AutoDeploy: true }));
});

/** The POST that makes the function answer `answer`, as raw HTTP/1.1. */
const post = (door: string, answer: unknown, close = true): string => {
  const body = JSON.stringify(answer);
  return `POST ${doors[door].target} HTTP/1.1\r\nHost: ${doors[door].host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
};

/** What each door answers for a function answer it cannot send: status line and body. */
const FAILED: Record<string, [string, string]> = {
  rest: ['HTTP/1.1 502 Bad Gateway', '{"message": "Internal server error"}'],
  'http2.0': ['HTTP/1.1 500 Internal Server Error', '{"message":"Internal Server Error"}'],
  'http1.0': ['HTTP/1.1 500 Internal Server Error', '{"message":"Internal Server Error"}'],
  url: ['HTTP/1.1 502 Bad Gateway', 'Internal Server Error'],
};

const split = (raw: string) => {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).split('\r\n');
  return { statusLine: head[0], headers: head.slice(1).map((l) => l.toLowerCase()), body: raw.slice(end + 4) };
};

test('an interim 1xx status from a function is the door\'s 5xx, not an answer that leaves the client waiting', async () => {
  for (const door of Object.keys(FAILED)) {
    for (const statusCode of [100, 101, '103', 199]) {
      const answer = split(await rawExchange(env.url, post(door, { statusCode, body: 'interim' })));
      assert.deepEqual([answer.statusLine, answer.body], FAILED[door], `${door} ${statusCode}`);
    }
  }
  for (const statusCode of [100, 101]) {
    const refused = await openWebSocket(env.url, wsApiId, 'dev', { query: `r=${encodeURIComponent(JSON.stringify({ statusCode }))}` }).then(() => undefined, (e: { status?: number; body?: string }) => e);
    assert.deepEqual([refused?.status, refused?.body], [502, '{"message":"Internal server error"}'], `$connect ${statusCode}`);
  }
});

test('204 and 304 answers end at their headers: no body, no Content-Length, and the connection serves the next request', async () => {
  for (const door of Object.keys(FAILED)) {
    for (const statusCode of [204, 304]) {
      // Pipelined: the bodyless answer, then an ordinary one on the same connection.
      const raw = await rawExchange(env.url, post(door, { statusCode, body: 'not sent' }, false) + post(door, { statusCode: 200, body: 'next' }));
      const second = raw.indexOf('HTTP/1.1 200 OK');
      assert.ok(second > 0, `${door} ${statusCode}: ${raw}`);
      const first = split(raw.slice(0, second));
      assert.match(first.statusLine, new RegExp(`^HTTP/1\\.1 ${statusCode} `), door);
      assert.equal(first.body, '', `${door} ${statusCode}: no body`);
      assert.ok(!first.headers.some((h) => h.startsWith('content-length:') || h.startsWith('transfer-encoding:')), `${door} ${statusCode}: ${first.headers.join(' | ')}`);
      assert.equal(split(raw.slice(second)).body, 'next', door);
    }
  }
  const refused = await openWebSocket(env.url, wsApiId, 'dev', { query: `r=${encodeURIComponent(JSON.stringify({ statusCode: 304, body: 'not sent' }))}` }).then(() => undefined, (e: { status?: number; body?: string }) => e);
  assert.deepEqual([refused?.status, refused?.body], [304, '']);
});

test('headers and cookies with CR/LF or invalid names never reach the wire: the door\'s 5xx with its own reason phrase', async () => {
  const hostile = [
    { statusCode: 200, headers: { 'x-a': 'one\r\nInjected: yes' }, body: 'b' },
    { statusCode: 200, headers: { 'x-a\r\nInjected': 'yes' }, body: 'b' },
    { statusCode: 200, headers: { 'bad name': 'v' }, body: 'b' },
    { statusCode: 200, headers: { 'x-a': 'caf\u00e9 \u2603' }, body: 'b' },
    { statusCode: 200, cookies: ['a=1\r\nInjected: yes'], body: 'b' },
  ];
  // (The 1.0 format has no `cookies`: REST APIs and 1.0 HTTP APIs refuse the key itself.)
  for (const door of Object.keys(FAILED)) {
    for (const answer of hostile) {
      const raw = await rawExchange(env.url, post(door, answer));
      assert.ok(!/\r\ninjected:/i.test(raw), `${door}: ${raw}`);
      const { statusLine, body } = split(raw);
      assert.deepEqual([statusLine, body], FAILED[door], `${door} ${JSON.stringify(answer)}`);
    }
  }
});

test('headers the gateway owns: REST APIs remap them to x-amzn-Remapped-*, the other doors drop the hop-by-hop ones; none is a 5xx', async () => {
  const answer = { statusCode: 200, headers: { Trailer: 'X-Later', 'Keep-Alive': 'timeout=1', 'Content-Length': '999', Connection: 'close', Server: 'mine', 'x-amzn-RequestId': 'fake', 'X-Own': 'kept' }, body: 'ok' };
  const rest = split(await rawExchange(env.url, post('rest', answer)));
  assert.equal(rest.statusLine, 'HTTP/1.1 200 OK');
  assert.equal(rest.body, 'ok');
  for (const line of ['x-amzn-remapped-trailer: x-later', 'x-amzn-remapped-content-length: 999', 'x-amzn-remapped-connection: close', 'x-amzn-remapped-server: mine',
    'x-amzn-remapped-x-amzn-requestid: fake', 'x-own: kept', 'content-length: 2']) assert.ok(rest.headers.includes(line), `${line} in ${rest.headers.join(' | ')}`);
  assert.ok(!rest.headers.some((h) => h.startsWith('trailer:') || h.startsWith('keep-alive:') || h === 'x-amzn-requestid: fake'), rest.headers.join(' | '));
  for (const door of ['http2.0', 'http1.0', 'url']) {
    const other = split(await rawExchange(env.url, post(door, answer)));
    assert.deepEqual([other.statusLine, other.body], ['HTTP/1.1 200 OK', 'ok'], door);
    assert.ok(other.headers.includes('x-own: kept') && other.headers.includes('content-length: 2'), `${door}: ${other.headers.join(' | ')}`);
    assert.ok(!other.headers.some((h) => h.startsWith('trailer:') || h.startsWith('keep-alive:') || h === 'content-length: 999'), `${door}: ${other.headers.join(' | ')}`);
  }
});
