// WebSocket APIs end to end: execution logs (a stage's defaultRouteSettings and a route's
// routeSettings loggingLevel and dataTraceEnabled) read back through CloudWatch Logs, $connect's
// requestParameters refusing handshakes without a required header or query string, and
// disableSchemaValidation switching the routes' request models off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateIntegrationCommand, CreateModelCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
  GetRouteCommand, GetStageCommand, UpdateApiCommand, UpdateRouteCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { awsCli } from '../src/testing/aws.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';

const env = useServer();
const CHAT = JSON.stringify({ type: 'object', required: ['action', 'text'], properties: { text: { type: 'string', maxLength: 10 } } });

/** A WebSocket API with $connect, a two-way `send` route validated by the Chat model, and $disconnect, on an auto-deployed stage `live`. */
async function chatApi(name: string, stage: Omit<ConstructorParameters<typeof CreateStageCommand>[0], 'ApiId' | 'StageName'> = {}) {
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'ws-log-echo', StatementId: `ws-${apiId}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  await env.apigwv2.send(new CreateModelCommand({ ApiId: apiId, Name: 'Chat', Schema: CHAT }));
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-log-echo` }));
  const target = `integrations/${integration.IntegrationId}`;
  const connect = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', Target: target }));
  const send = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'send', Target: target, RouteResponseSelectionExpression: '$default', RequestModels: { $default: 'Chat' } }));
  await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: send.RouteId, RouteResponseKey: '$default' }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$disconnect', Target: target }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true, ...stage }));
  return { apiId, connectRouteId: connect.RouteId!, sendRouteId: send.RouteId! };
}

/** The stage's execution log lines once `done` accepts them (or whatever there is after `waitMs` when none are expected). */
async function executionLog(apiId: string, done: (lines: string[]) => boolean, waitMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let lines: string[] = [];
    try {
      const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `API-Gateway-Execution-Logs_${apiId}/live` }));
      lines = (out.events ?? []).map((e) => e.message!);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    if (done(lines) || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('setup: the function every route calls', async () => {
  await createNodeFunction(env.lambda, 'ws-log-echo', `exports.handler = async (event) => ({ statusCode: 200, body: 'got ' + (event.body ?? '') });`);
});

test('INFO with data tracing logs the handshake, each message and the disconnect, led by their request ids', async () => {
  const { apiId } = await chatApi('ws-logs-info', { DefaultRouteSettings: { LoggingLevel: 'INFO', DataTraceEnabled: true } });
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'live' }));
  assert.equal(stage.DefaultRouteSettings?.LoggingLevel, 'INFO');
  assert.equal(stage.DefaultRouteSettings?.DataTraceEnabled, true);

  const client = await openWebSocket(env.url, apiId, 'live');
  const message = JSON.stringify({ action: 'send', text: 'hello' });
  client.ws.send(message);
  assert.equal(await client.next(), `got ${message}`);
  client.ws.close(1000);
  await client.closed;

  const lines = await executionLog(apiId, (l) => l.some((x) => x.includes('disconnected from API')));
  const of = (text: string) => lines.filter((l) => l.includes(text));
  assert.equal(of('WebSocket Request Route: [$connect]').length, 1);
  assert.equal(of('WebSocket Request Route: [send]').length, 1);
  assert.equal(of('WebSocket Request Route: [$disconnect]').length, 1);
  assert.equal(of(`connected to API [${apiId}] successfully.`).length, 1);
  assert.equal(of(`disconnected from API [${apiId}] with code [1000].`).length, 1);
  assert.equal(of('Method completed with status: 200').length, 3);
  assert.ok(of('is connecting to WebSocket API').length === 1);
  assert.equal(of(`Method request body before transformations: ${message}`).length, 1);
  assert.ok(of('Endpoint response body before transformations:').some((l) => l.includes('got ')));
  assert.ok(of('Received response. Status: 200, Integration latency:').length >= 3);
  // Every line starts with its event's request id, and each event has its own.
  for (const line of lines) assert.match(line, /^\([^)]+\) /);
  const ids = new Set(of('Starting execution for request:').map((l) => /^\(([^)]+)\)/.exec(l)![1]));
  assert.equal(ids.size, 3);
});

test('ERROR on one route logs only its failures; OFF logs nothing; disableSchemaValidation lets invalid messages through', async () => {
  const { apiId } = await chatApi('ws-logs-error', { RouteSettings: {} });
  await env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'live', RouteSettings: { send: { LoggingLevel: 'ERROR' } } }));
  assert.equal((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: 'live' }))).RouteSettings?.send?.LoggingLevel, 'ERROR');
  await expectAwsError(env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'live', DefaultRouteSettings: { LoggingLevel: 'LOUD' as 'INFO' } })), 'BadRequestException');

  const client = await openWebSocket(env.url, apiId, 'live');
  client.ws.send(JSON.stringify({ action: 'send', text: 'fine' }));
  assert.match(await client.next(), /^got /);
  client.ws.send(JSON.stringify({ action: 'send', text: 'far too long a line' }));
  const refused = JSON.parse(await client.next());
  assert.equal(refused.message, 'Invalid request body');
  const lines = await executionLog(apiId, (l) => l.some((x) => x.includes('Method completed with status: 400')));
  assert.ok(lines.length > 0 && lines.every((l) => l.startsWith(`(${refused.requestId}) `)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('Request body does not match model schema')));
  assert.ok(!lines.some((l) => l.includes('$connect')));

  await env.apigwv2.send(new UpdateApiCommand({ ApiId: apiId, DisableSchemaValidation: true }));
  const long = JSON.stringify({ action: 'send', text: 'far too long a line' });
  client.ws.send(long);
  assert.equal(await client.next(), `got ${long}`);
  await env.apigwv2.send(new UpdateApiCommand({ ApiId: apiId, DisableSchemaValidation: false }));
  client.ws.send(long);
  assert.equal(JSON.parse(await client.next()).message, 'Invalid request body');
  client.ws.close();
  await client.closed;

  const off = await chatApi('ws-logs-off', { DefaultRouteSettings: { LoggingLevel: 'OFF' } });
  const quiet = await openWebSocket(env.url, off.apiId, 'live');
  quiet.ws.send(JSON.stringify({ action: 'send', text: 'far too long a line' }));
  assert.equal(JSON.parse(await quiet.next()).message, 'Invalid request body');
  quiet.ws.close();
  await quiet.closed;
  assert.deepEqual(await executionLog(off.apiId, (l) => l.length > 0, 1_000), []);
});

test('$connect requestParameters: a handshake without a required header or query string is refused with 400', async () => {
  const { apiId, connectRouteId, sendRouteId } = await chatApi('ws-params', { DefaultRouteSettings: { LoggingLevel: 'ERROR' } });
  const updated = await env.apigwv2.send(new UpdateRouteCommand({
    ApiId: apiId, RouteId: connectRouteId, RequestParameters: { 'route.request.header.Auth': { Required: true }, 'route.request.querystring.room': { Required: true }, 'route.request.querystring.nick': { Required: false } },
  }));
  assert.deepEqual(updated.RequestParameters, { 'route.request.header.Auth': { Required: true }, 'route.request.querystring.room': { Required: true }, 'route.request.querystring.nick': { Required: false } });
  assert.deepEqual((await env.apigwv2.send(new GetRouteCommand({ ApiId: apiId, RouteId: connectRouteId }))).RequestParameters?.['route.request.header.Auth'], { Required: true });
  await expectAwsError(env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: sendRouteId, RequestParameters: { 'route.request.header.Auth': { Required: true } } })), 'BadRequestException');
  await expectAwsError(env.apigwv2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: connectRouteId, RequestParameters: { 'method.request.header.Auth': { Required: true } } })), 'BadRequestException');

  await assert.rejects(openWebSocket(env.url, apiId, 'live', { query: 'room=a' }), (e: Error & { status?: number }) => e.status === 400);
  await assert.rejects(openWebSocket(env.url, apiId, 'live', { headers: { Auth: 'x' } }), (e: Error & { status?: number }) => e.status === 400);
  await assert.rejects(openWebSocket(env.url, apiId, 'live'), (e: Error & { body?: string }) => JSON.parse(e.body!).message === 'Missing required request parameters: [Auth, room]');
  const client = await openWebSocket(env.url, apiId, 'live', { headers: { auth: 'x' }, query: 'room=a' });
  client.ws.close();
  await client.closed;
  const lines = await executionLog(apiId, (l) => l.filter((x) => x.includes('Missing required request parameters')).length >= 2);
  assert.ok(lines.some((l) => l.includes('Missing required request parameters: [Auth]')), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('Missing required request parameters: [room]')));
});

test('the AWS CLI sets logging levels and $connect request parameters', async () => {
  const { apiId, connectRouteId } = await chatApi('ws-logs-cli');
  const staged = await awsCli(env.url, ['apigatewayv2', 'update-stage', '--api-id', apiId, '--stage-name', 'live',
    '--default-route-settings', 'LoggingLevel=ERROR,DataTraceEnabled=true', '--route-settings', '{"send": {"LoggingLevel": "INFO"}}']);
  assert.equal(staged.code, 0, staged.stderr);
  assert.equal(staged.json().DefaultRouteSettings.LoggingLevel, 'ERROR');
  assert.equal(staged.json().DefaultRouteSettings.DataTraceEnabled, true);
  assert.equal(staged.json().RouteSettings.send.LoggingLevel, 'INFO');
  const routed = await awsCli(env.url, ['apigatewayv2', 'update-route', '--api-id', apiId, '--route-id', connectRouteId,
    '--request-parameters', '{"route.request.querystring.room": {"Required": true}}']);
  assert.equal(routed.code, 0, routed.stderr);
  assert.deepEqual(routed.json().RequestParameters, { 'route.request.querystring.room': { Required: true } });
  const api = await awsCli(env.url, ['apigatewayv2', 'update-api', '--api-id', apiId, '--disable-schema-validation']);
  assert.equal(api.json().DisableSchemaValidation, true);

  // HTTP APIs have no execution logs: AWS's answer as users report it.
  const http = (await env.apigwv2.send(new CreateApiCommand({ Name: 'http-no-exec-logs', ProtocolType: 'HTTP' }))).ApiId!;
  const refused = await awsCli(env.url, ['apigatewayv2', 'create-stage', '--api-id', http, '--stage-name', 'dev', '--default-route-settings', 'LoggingLevel=INFO']);
  assert.match(refused.stderr, /BadRequestException.*Execution logs are not supported on protocolType HTTP/);
  assert.equal((await awsCli(env.url, ['apigatewayv2', 'create-stage', '--api-id', http, '--stage-name', 'dev', '--default-route-settings', 'ThrottlingRateLimit=5'])).code, 0);
});
