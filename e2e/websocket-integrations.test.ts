// WebSocket APIs' integrations beyond the Lambda proxy, end to end with AWS's ApiGatewayV2 client, the
// AWS CLI and a real `ws` client: MOCK routes answering through integration response templates
// (selected by key and template selection expression), $connect admitting by a MOCK's statusCode,
// HTTP_PROXY passing the message to an HTTP server as is, HTTP sending it through a request template
// with request parameters, a Lambda function without the proxy, and AWS's error message when the
// endpoint cannot be reached.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand,
  CreateStageCommand, DeleteIntegrationCommand, DeleteRouteCommand, GetIntegrationResponsesCommand, GetRoutesCommand, UpdateIntegrationResponseCommand, type CreateIntegrationRequest,
} from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';

const env = useServer();
let apiId: string;
let echo: Server;
/** What the HTTP endpoint received, last first. */
const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

const echoUrl = () => `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

env.setup(async () => {
  echo = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.unshift({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    });
  });
  await new Promise<void>((ok) => echo.listen(0, '127.0.0.1', () => ok()));
  await createNodeFunction(env.lambda, 'ws-greeter', `exports.handler = async (event) => ({ greeting: 'hi ' + event.name });`, { Timeout: 5 });
  apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'integrations', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'ws-greeter', StatementId: `ws-${apiId}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { color: 'blue' }, AutoDeploy: true }));
});
after(() => new Promise<void>((ok) => (echo ? echo.close(() => ok()) : ok())));

/** A two-way route (a $default route response) to a new integration; its responses by key. */
async function route(key: string, integration: Omit<CreateIntegrationRequest, 'ApiId'>, responses: Record<string, { templates?: Record<string, string>; selection?: string }> = {}, twoWay = true): Promise<string> {
  const { IntegrationId } = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, ...integration }));
  for (const [responseKey, r] of Object.entries(responses)) {
    await env.apigwv2.send(new CreateIntegrationResponseCommand({
      ApiId: apiId, IntegrationId, IntegrationResponseKey: responseKey, ResponseTemplates: r.templates, TemplateSelectionExpression: r.selection,
    }));
  }
  const { RouteId } = await env.apigwv2.send(new CreateRouteCommand({
    ApiId: apiId, RouteKey: key, Target: `integrations/${IntegrationId}`, ...(twoWay ? { RouteResponseSelectionExpression: '$default' } : {}),
  }));
  if (twoWay) await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId, RouteResponseKey: '$default' }));
  return IntegrationId!;
}

const connect = (query?: string) => openWebSocket(env.url, apiId, 'dev', { query });

test('a MOCK route answers over the socket from its integration response template; keys match the MOCK status', async () => {
  await route('mock', { IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default', RequestTemplates: { $default: '{"statusCode": 200}' } }, {
    $default: { selection: '\\$default', templates: { $default: '{"reply":"mocked","stage":"$context.stage","connection":"$context.connectionId"}' } },
  });
  await route('lookup', {
    IntegrationType: 'MOCK', TemplateSelectionExpression: '${request.body.kind}',
    RequestTemplates: { missing: '{"statusCode": 404}', $default: '{"statusCode": 200}' },
  }, {
    '/2\\d\\d/': { selection: '${integration.response.statuscode}', templates: { 200: '{"found":true}' } },
    '/4\\d\\d/': { templates: { $default: '{"found":false}' } },
  });
  // A one-way route: the MOCK runs, nothing comes back.
  await route('quiet', { IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' }, TemplateSelectionExpression: '\\$default' }, {}, false);
  const client = await connect();
  client.ws.send(JSON.stringify({ action: 'quiet' }));
  client.ws.send(JSON.stringify({ action: 'mock' }));
  const reply = JSON.parse(await client.next());
  assert.equal(reply.reply, 'mocked');
  assert.equal(reply.stage, 'dev');
  assert.match(reply.connection, /^[A-Za-z0-9]{15}=$/);
  client.ws.send(JSON.stringify({ action: 'lookup', kind: 'missing' }));
  assert.deepEqual(JSON.parse(await client.next()), { found: false });
  client.ws.send(JSON.stringify({ action: 'lookup', kind: 'there' }));
  assert.deepEqual(JSON.parse(await client.next()), { found: true });
  client.ws.close();
});

test('an HTTP_PROXY route sends the message as is and answers with the endpoint\'s body', async () => {
  await route('proxy', { IntegrationType: 'HTTP_PROXY', IntegrationUri: `${echoUrl()}/proxied`, IntegrationMethod: 'POST' });
  const client = await connect();
  const message = JSON.stringify({ action: 'proxy', text: 'as is' });
  client.ws.send(message);
  const reply = JSON.parse(await client.next());
  assert.deepEqual(reply, { method: 'POST', url: '/proxied', body: message });
  assert.equal(received[0].headers['x-amzn-apigateway-api-id'], apiId);
  client.ws.close();
});

test('an HTTP route sends its request template\'s output with mapped parameters and maps the answer', async () => {
  await route('http', {
    IntegrationType: 'HTTP', IntegrationUri: `${echoUrl()}/templated`, IntegrationMethod: 'POST', TemplateSelectionExpression: '\\$default',
    RequestTemplates: { $default: '{"wrapped": $input.json(\'$.text\'), "connection": "$context.connectionId"}' },
    RequestParameters: { 'integration.request.header.x-connection': 'context.connectionId', 'integration.request.querystring.color': 'stageVariables.color' },
  }, { $default: { selection: '${integration.response.statuscode}', templates: { 200: '{"got": $input.json(\'$.body\')}' } } });
  const client = await connect();
  client.ws.send(JSON.stringify({ action: 'http', text: 'hello' }));
  const reply = JSON.parse(await client.next());
  const sent = JSON.parse(reply.got);
  assert.equal(sent.wrapped, 'hello');
  assert.match(sent.connection, /^[A-Za-z0-9]{15}=$/);
  assert.equal(received[0].url, '/templated?color=blue');
  assert.equal(received[0].headers['x-connection'], sent.connection);
  assert.equal(received[0].headers['content-type'], 'application/json');
  client.ws.close();
});

test('an AWS (Lambda, no proxy) route calls the function with the transformed message', async () => {
  await route('greet', {
    IntegrationType: 'AWS', IntegrationMethod: 'POST', TemplateSelectionExpression: '\\$default',
    IntegrationUri: `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:ws-greeter/invocations`,
    RequestTemplates: { $default: '{"name": $input.json(\'$.who\')}' },
  }, { $default: { selection: '\\$default', templates: { $default: '{"said": $input.json(\'$.greeting\')}' } } });
  const client = await connect();
  client.ws.send(JSON.stringify({ action: 'greet', who: 'bob' }));
  assert.deepEqual(JSON.parse(await client.next()), { said: 'hi bob' });
  client.ws.close();
});

test('an unreachable endpoint answers AWS\'s Internal server error over the socket', async () => {
  await route('down', { IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:1/nothing', IntegrationMethod: 'POST' });
  const client = await connect();
  client.ws.send(JSON.stringify({ action: 'down' }));
  const error = JSON.parse(await client.next());
  assert.equal(error.message, 'Internal server error');
  assert.ok(error.connectionId && error.requestId);
  client.ws.close();
});

test('$connect with a MOCK integration admits on 2xx and refuses otherwise', async () => {
  const integrationId = await route('$connect', {
    IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default',
    RequestTemplates: { $default: '#if($input.params(\'deny\') == "1"){"statusCode": 403}#else{"statusCode": 200}#end' },
  }, {}, false);
  try {
    const admitted = await connect('ok=1');
    admitted.ws.close();
    await assert.rejects(connect('deny=1'), (e: Error & { status?: number }) => e.status === 403);
  } finally {
    // Later tests connect without the query.
    const routes = await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }));
    const connectRoute = routes.Items!.find((r) => r.RouteKey === '$connect')!;
    await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: connectRoute.RouteId }));
    await env.apigwv2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId }));
  }
});

test('integration responses through the AWS CLI: create-integration MOCK, create-integration-response, and AWS\'s checks', async () => {
  const created = await awsCli(env.url, [
    'apigatewayv2', 'create-integration', '--api-id', apiId, '--integration-type', 'MOCK',
    '--template-selection-expression', '\\$default', '--request-templates', '{"$default": "{\\"statusCode\\": 200}"}',
  ]);
  assert.equal(created.code, 0, created.stderr);
  const integration = created.json();
  assert.equal(integration.IntegrationType, 'MOCK');
  assert.equal(integration.TemplateSelectionExpression, '\\$default');
  assert.deepEqual(integration.RequestTemplates, { $default: '{"statusCode": 200}' });
  assert.equal(integration.PassthroughBehavior, 'WHEN_NO_MATCH');
  const response = await awsCli(env.url, [
    'apigatewayv2', 'create-integration-response', '--api-id', apiId, '--integration-id', integration.IntegrationId,
    '--integration-response-key', '$default', '--response-templates', '{"$default": "{\\"ok\\": true}"}', '--template-selection-expression', '\\$default',
  ]);
  assert.equal(response.code, 0, response.stderr);
  const made = response.json();
  assert.equal(made.IntegrationResponseKey, '$default');
  assert.deepEqual(made.ResponseTemplates, { $default: '{"ok": true}' });
  const listed = await awsCli(env.url, ['apigatewayv2', 'get-integration-responses', '--api-id', apiId, '--integration-id', integration.IntegrationId]);
  assert.deepEqual(listed.json().Items.map((i: { IntegrationResponseId: string }) => i.IntegrationResponseId), [made.IntegrationResponseId]);

  const duplicate = await awsCli(env.url, [
    'apigatewayv2', 'create-integration-response', '--api-id', apiId, '--integration-id', integration.IntegrationId, '--integration-response-key', '$default',
  ]);
  assert.notEqual(duplicate.code, 0);
  assert.match(duplicate.stderr, /ConflictException/);
  await expectAwsError(env.apigwv2.send(new CreateIntegrationResponseCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId, IntegrationResponseKey: '200' })),
    'BadRequestException', /Invalid integration response key 200/);
  const updated = await env.apigwv2.send(new UpdateIntegrationResponseCommand({
    ApiId: apiId, IntegrationId: integration.IntegrationId, IntegrationResponseId: made.IntegrationResponseId, IntegrationResponseKey: '/2\\d\\d/',
  }));
  assert.equal(updated.IntegrationResponseKey, '/2\\d\\d/');
  assert.deepEqual(updated.ResponseTemplates, { $default: '{"ok": true}' });
  await expectAwsError(env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS', IntegrationUri: 'arn:aws:apigateway:us-east-1:s3:path/bucket' })),
    'BadRequestException', /Lambda functions only/);
  const http = (await env.apigwv2.send(new CreateApiCommand({ Name: 'plain', ProtocolType: 'HTTP' }))).ApiId!;
  const proxied = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: http, IntegrationType: 'HTTP_PROXY', IntegrationUri: echoUrl(), IntegrationMethod: 'GET' }));
  await expectAwsError(env.apigwv2.send(new CreateIntegrationResponseCommand({ ApiId: http, IntegrationId: proxied.IntegrationId, IntegrationResponseKey: '$default' })),
    'BadRequestException', /only for WebSocket APIs/);
  // Deleting the integration takes its responses along.
  await env.apigwv2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId }));
  await expectAwsError(env.apigwv2.send(new GetIntegrationResponsesCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId })), 'NotFoundException');
});

test('a deployment freezes the integration responses with the integrations', async () => {
  const { DeploymentId } = await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'frozen', DeploymentId }));
  const client = await openWebSocket(env.url, apiId, 'frozen');
  client.ws.send(JSON.stringify({ action: 'lookup', kind: 'missing' }));
  assert.deepEqual(JSON.parse(await client.next()), { found: false });
  client.ws.close();
});
