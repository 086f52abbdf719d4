// Request validation for WebSocket APIs end to end: models through AWS's client and the AWS CLI
// (create, get, list, update, template, delete), a route whose requestModels and
// modelSelectionExpression pick a model per message, and a `ws` client whose invalid messages are
// refused with AWS's "Invalid request body" while valid ones reach the function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateIntegrationCommand, CreateModelCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
  DeleteModelCommand, GetModelCommand, GetModelTemplateCommand, UpdateModelCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';

const env = useServer();
const CHAT = JSON.stringify({ type: 'object', required: ['action', 'text'], properties: { action: { type: 'string' }, text: { type: 'string', maxLength: 10 } } });
const PING = JSON.stringify({ type: 'object', required: ['action', 'seq'], properties: { seq: { type: 'integer' }, tag: { type: 'string', pattern: '^(a+)+$' } } });

test('models through the AWS CLI: create, get, list, update, template, delete; HTTP APIs have none', async () => {
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'cli-models', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const created = await awsCli(env.url, ['apigatewayv2', 'create-model', '--api-id', apiId, '--name', 'Chat', '--content-type', 'application/json', '--schema', CHAT]);
  assert.equal(created.code, 0, created.stderr);
  const model = created.json();
  assert.equal(model.Name, 'Chat');
  assert.equal(model.ContentType, 'application/json');
  assert.equal(model.Schema, CHAT);
  assert.match(model.ModelId, /^[a-z0-9]{6}$/);
  const got = await awsCli(env.url, ['apigatewayv2', 'get-model', '--api-id', apiId, '--model-id', model.ModelId]);
  assert.deepEqual(got.json(), model);
  const listed = await awsCli(env.url, ['apigatewayv2', 'get-models', '--api-id', apiId]);
  assert.deepEqual(listed.json().Items, [model]);
  const updated = await awsCli(env.url, ['apigatewayv2', 'update-model', '--api-id', apiId, '--model-id', model.ModelId, '--description', 'chat lines']);
  assert.equal(updated.json().Description, 'chat lines');
  assert.equal(updated.json().Schema, CHAT);
  const template = await awsCli(env.url, ['apigatewayv2', 'get-model-template', '--api-id', apiId, '--model-id', model.ModelId]);
  assert.equal(template.code, 0, template.stderr);
  assert.match(template.json().Value, /"text"/);
  const duplicate = await awsCli(env.url, ['apigatewayv2', 'create-model', '--api-id', apiId, '--name', 'Chat', '--schema', CHAT]);
  assert.match(duplicate.stderr, /ConflictException/);
  const badSchema = await awsCli(env.url, ['apigatewayv2', 'create-model', '--api-id', apiId, '--name', 'Bad', '--schema', '{"type": 7}']);
  assert.match(badSchema.stderr, /BadRequestException/);
  assert.equal((await awsCli(env.url, ['apigatewayv2', 'delete-model', '--api-id', apiId, '--model-id', model.ModelId])).code, 0);
  const gone = await awsCli(env.url, ['apigatewayv2', 'get-model', '--api-id', apiId, '--model-id', model.ModelId]);
  assert.match(gone.stderr, /NotFoundException/);

  const http = (await env.apigwv2.send(new CreateApiCommand({ Name: 'http-models', ProtocolType: 'HTTP' }))).ApiId!;
  await expectAwsError(env.apigwv2.send(new CreateModelCommand({ ApiId: http, Name: 'M', Schema: CHAT })), 'BadRequestException');
});

// The timeout turns a pattern that backtracks for ever (Ping's tag) into a failure rather than a hang.
test('a route\'s models refuse invalid messages with "Invalid request body" and let valid ones through', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'ws-model-echo', `exports.handler = async (event) => ({ statusCode: 200, body: 'got ' + event.body });`);
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'validated', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'ws-model-echo', StatementId: 'ws', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const chat = await env.apigwv2.send(new CreateModelCommand({ ApiId: apiId, Name: 'Chat', ContentType: 'application/json', Schema: CHAT }));
  await env.apigwv2.send(new CreateModelCommand({ ApiId: apiId, Name: 'Ping', Schema: PING }));
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:ws-model-echo` }));
  await expectAwsError(env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'nope', Target: `integrations/${integration.IntegrationId}`, RequestModels: { $default: 'Missing' } })),
    'BadRequestException');
  const route = await env.apigwv2.send(new CreateRouteCommand({
    ApiId: apiId, RouteKey: 'send', Target: `integrations/${integration.IntegrationId}`, RouteResponseSelectionExpression: '$default',
    ModelSelectionExpression: '$request.body.kind', RequestModels: { ping: 'Ping', $default: 'Chat' },
  }));
  assert.deepEqual(route.RequestModels, { ping: 'Ping', $default: 'Chat' });
  assert.equal(route.ModelSelectionExpression, '$request.body.kind');
  await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }));

  const client = await openWebSocket(env.url, apiId, 'live');
  const good = JSON.stringify({ action: 'send', text: 'hello' });
  client.ws.send(good);
  assert.equal(await client.next(), `got ${good}`);
  client.ws.send(JSON.stringify({ action: 'send', text: 'far too long a line' }));
  const refused = JSON.parse(await client.next());
  assert.equal(refused.message, 'Invalid request body');
  assert.ok(refused.connectionId && refused.requestId);
  // The selection expression picks the Ping model for kind "ping".
  client.ws.send(JSON.stringify({ action: 'send', kind: 'ping', seq: 'one' }));
  assert.equal(JSON.parse(await client.next()).message, 'Invalid request body');
  const ping = JSON.stringify({ action: 'send', kind: 'ping', seq: 1 });
  client.ws.send(ping);
  assert.equal(await client.next(), `got ${ping}`);
  // A pattern that backtracks catastrophically runs in linear time: the message is refused at once.
  client.ws.send(JSON.stringify({ action: 'send', kind: 'ping', seq: 2, tag: `${'a'.repeat(40)}!` }));
  assert.equal(JSON.parse(await client.next()).message, 'Invalid request body');

  // A model a route names is neither deleted nor renamed; a new schema applies on the auto-deployed stage.
  await expectAwsError(env.apigwv2.send(new DeleteModelCommand({ ApiId: apiId, ModelId: chat.ModelId })), 'ConflictException');
  await expectAwsError(env.apigwv2.send(new UpdateModelCommand({ ApiId: apiId, ModelId: chat.ModelId, Name: 'Renamed' })), 'ConflictException');
  await env.apigwv2.send(new UpdateModelCommand({ ApiId: apiId, ModelId: chat.ModelId, Schema: JSON.stringify({ type: 'object', required: ['action', 'text'], properties: { text: { type: 'string', maxLength: 100 } } }) }));
  assert.equal((await env.apigwv2.send(new GetModelCommand({ ApiId: apiId, ModelId: chat.ModelId }))).Name, 'Chat');
  assert.ok((await env.apigwv2.send(new GetModelTemplateCommand({ ApiId: apiId, ModelId: chat.ModelId }))).Value);
  const longer = JSON.stringify({ action: 'send', text: 'far too long a line' });
  client.ws.send(longer);
  assert.equal(await client.next(), `got ${longer}`);
  client.ws.close();
  await client.closed;
});
