// WebSocket APIs behind custom domain names, with API keys and usage plans, and with stage route
// throttling, end to end through AWS's ApiGatewayV2 and APIGateway clients, the AWS CLI and a real
// `ws` client: upgrades on a domain's Host reach the stage its API mapping names (the CONNECT event
// naming the domain) and the @connections API answers on the domain's callback URL; a $connect
// route with apiKeyRequired admits only enabled keys of a usage plan listing the stage, whose quota
// counts the key's events; a route over its throttle gets AWS's message over the socket and a
// throttled $connect is a 429.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateIntegrationCommand, CreateRouteCommand,
  CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateApiKeyCommand, CreateBasePathMappingCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand } from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { awsCli } from '../src/testing/aws.js';
import { EventCollector, openWebSocket } from '../src/execute-api/websocket/testing.js';
import { httpCall } from '../src/execute-api/testing.js';

// Functions post their events to the collector, a host loopback port their network namespaces are given.
const collector = await EventCollector.start();
const env = useServer({ args: ['--function-host-ports', new URL(collector.url).port] });

const CONNECT = `exports.handler = async (event) => {
  await fetch(process.env.COLLECTOR, { method: 'POST', body: JSON.stringify(event) });
  return { statusCode: 200 };
};`;
const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ body: event.body, context: event.requestContext }) });`;
const fnArn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

/** A WebSocket API with a $connect function, a two-way echo on `$default` and the given routes, deployed to `stage`. */
async function webSocketApi(name: string, stage: string, routes: { key: string; apiKeyRequired?: boolean }[]): Promise<string> {
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  for (const fn of ['wsx-connect', 'wsx-echo']) {
    await env.lambda.send(new AddPermissionCommand({
      FunctionName: fn, StatementId: `wsx-${apiId}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
    }));
  }
  const integration = async (fn: string) => (await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn(fn) }))).IntegrationId;
  const connect = await integration('wsx-connect');
  const echo = await integration('wsx-echo');
  for (const r of [{ key: '$connect' }, { key: '$default' }, ...routes]) {
    const target = `integrations/${r.key === '$connect' ? connect : echo}`;
    const route = await env.apigwv2.send(new CreateRouteCommand({
      ApiId: apiId, RouteKey: r.key, Target: target, ApiKeyRequired: r.apiKeyRequired, ...(r.key === '$connect' ? {} : { RouteResponseSelectionExpression: '$default' }),
    }));
    if (r.key !== '$connect') await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  }
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: stage }));
  await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: stage }));
  return apiId;
}

env.setup(async () => {
  await createNodeFunction(env.lambda, 'wsx-connect', CONNECT, { Environment: { Variables: { COLLECTOR: collector.url } }, Timeout: 5 });
  await createNodeFunction(env.lambda, 'wsx-echo', ECHO, { Timeout: 5 });
});
after(() => collector.close());

test('a WebSocket API stage on a custom domain: upgrades by mapping key, domainName in the events, @connections on the domain', async () => {
  const apiId = await webSocketApi('on-domain', 'prod', []);
  const domain = 'ws.example.com';
  await env.apigwv2.send(new CreateDomainNameCommand({
    DomainName: domain, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/w', EndpointType: 'REGIONAL' }],
  }));
  const mapping = await env.apigwv2.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: apiId, Stage: 'prod', ApiMappingKey: 'chat' }));
  assert.equal(mapping.$metadata.httpStatusCode, 201);
  assert.deepEqual({ ApiId: mapping.ApiId, Stage: mapping.Stage, ApiMappingKey: mapping.ApiMappingKey }, { ApiId: apiId, Stage: 'prod', ApiMappingKey: 'chat' });
  // As AWS documents: a domain's mappings are to WebSocket APIs only, or to REST and HTTP APIs only.
  const http = await env.apigwv2.send(new CreateApiCommand({ Name: 'plain', ProtocolType: 'HTTP' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: http.ApiId, StageName: 'live' }));
  await expectAwsError(env.apigwv2.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: http.ApiId, Stage: 'live', ApiMappingKey: 'http' })), 'BadRequestException');
  const rest = await env.apigw.send(new CreateRestApiCommand({ name: 'rest-beside' }));
  await expectAwsError(env.apigw.send(new CreateBasePathMappingCommand({ domainName: domain, restApiId: rest.id, basePath: 'rest' })), 'BadRequestException');

  const client = await openWebSocket(env.url, apiId, 'chat', { domain, headers: { 'X-Test': 'domain' } });
  const connected = await collector.wait((e) => e.requestContext.eventType === 'CONNECT' && e.headers?.['X-Test'] === 'domain');
  assert.equal(connected.requestContext.domainName, domain);
  assert.equal(connected.requestContext.stage, 'prod');
  assert.equal(connected.requestContext.apiId, apiId);
  const connectionId: string = connected.requestContext.connectionId;

  client.ws.send('{"action":"anything","n":1}');
  const echoed = JSON.parse(await client.next());
  assert.equal(echoed.body, '{"action":"anything","n":1}');
  assert.equal(echoed.context.domainName, domain);

  // The callback URL on a custom domain: https://{domain}/{mappingKey}/@connections/{id}.
  const port = new URL(env.url).port;
  const callback = `/chat/@connections/${encodeURIComponent(connectionId)}`;
  const posted = await httpCall(env.url, callback, { method: 'POST', headers: { Host: `${domain}:${port}` }, body: 'pushed through the domain' });
  assert.equal(posted.status, 200);
  assert.equal(await client.next(), 'pushed through the domain');
  const got = await httpCall(env.url, callback, { headers: { Host: `${domain}:${port}` } });
  assert.equal(got.status, 200);
  assert.equal(got.json().identity.sourceIp !== undefined, true);
  client.ws.close(1000);
  await client.closed;

  // The mapping key takes the stage's place: the stage name, or no mapping, is 403 on the domain.
  await assert.rejects(openWebSocket(env.url, apiId, 'prod', { domain }), (e: any) => e.status === 403);
  await assert.rejects(openWebSocket(env.url, apiId, 'chat/extra', { domain }), (e: any) => e.status === 403);
});

test('API keys on $connect: enabled keys of a usage plan listing the stage are admitted, others refused with 403; the quota counts messages', async () => {
  const apiId = await webSocketApi('keyed', 'dev', [{ key: 'paid', apiKeyRequired: true }]);
  // The $connect route requires a key too.
  const connectRoute = await awsCli(env.url, ['apigatewayv2', 'get-routes', '--api-id', apiId]);
  const connectId = connectRoute.json().Items.find((r: any) => r.RouteKey === '$connect').RouteId;
  const updated = await awsCli(env.url, ['apigatewayv2', 'update-route', '--api-id', apiId, '--route-id', connectId, '--api-key-required']);
  assert.equal(updated.code, 0, updated.stderr);
  assert.equal(updated.json().ApiKeyRequired, true);
  await env.apigwv2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev' }));

  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'ws-plan', apiStages: [{ apiId, stage: 'dev' }], quota: { limit: 3, period: 'DAY' } }));
  assert.deepEqual(plan.apiStages, [{ apiId, stage: 'dev' }]);
  const good = await env.apigw.send(new CreateApiKeyCommand({ name: 'good', enabled: true }));
  const disabled = await env.apigw.send(new CreateApiKeyCommand({ name: 'disabled', enabled: false }));
  const stray = await env.apigw.send(new CreateApiKeyCommand({ name: 'stray', enabled: true }));
  for (const key of [good, disabled]) await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  // A usage plan may list WebSocket API stages, not stages that do not exist.
  await expectAwsError(env.apigw.send(new CreateUsagePlanCommand({ name: 'bad', apiStages: [{ apiId, stage: 'nope' }] })), 'NotFoundException');

  const refused = (status: number) => (e: any) => e.status === status && JSON.parse(e.body).message === 'Forbidden';
  await assert.rejects(openWebSocket(env.url, apiId, 'dev'), refused(403));
  await assert.rejects(openWebSocket(env.url, apiId, 'dev', { headers: { 'x-api-key': disabled.value! } }), refused(403));
  await assert.rejects(openWebSocket(env.url, apiId, 'dev', { headers: { 'x-api-key': stray.value! } }), refused(403));
  await assert.rejects(openWebSocket(env.url, apiId, 'dev', { headers: { 'x-api-key': 'not-a-key-at-all' } }), refused(403));

  const client = await openWebSocket(env.url, apiId, 'dev', { headers: { 'x-api-key': good.value!, 'X-Test': 'keyed' } });
  const connected = await collector.wait((e) => e.requestContext.eventType === 'CONNECT' && e.headers?.['X-Test'] === 'keyed');
  assert.equal(connected.requestContext.identity.apiKeyId, good.id);
  assert.equal(connected.requestContext.identity.apiKey, good.value);
  // The quota (3 a day) counts the handshake and each message of a route that requires the key.
  client.ws.send('{"action":"paid"}');
  assert.equal(JSON.parse(await client.next()).context.identity.apiKeyId, good.id);
  client.ws.send('{"action":"paid"}');
  await client.next();
  client.ws.send('{"action":"paid"}');
  const over = JSON.parse(await client.next());
  assert.equal(over.message, 'Limit Exceeded');
  assert.equal(over.connectionId, connected.requestContext.connectionId);
  assert.ok(over.requestId);
  // Routes that require no key are not counted.
  client.ws.send('{"action":"free"}');
  assert.equal(JSON.parse(await client.next()).body, '{"action":"free"}');
  client.ws.close(1000);
  await client.closed;
});

test('route throttling: a message over its route\'s limit gets AWS\'s answer over the socket; a throttled $connect is a 429 (stage set by the AWS CLI)', async () => {
  const apiId = await webSocketApi('throttled', 'dev', [{ key: 'echo' }]);
  const settings = await awsCli(env.url, ['apigatewayv2', 'update-stage', '--api-id', apiId, '--stage-name', 'dev',
    '--route-settings', JSON.stringify({ echo: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.001 } })]);
  assert.equal(settings.code, 0, settings.stderr);
  assert.deepEqual(settings.json().RouteSettings.echo, { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.001 });

  const client = await openWebSocket(env.url, apiId, 'dev');
  client.ws.send('{"action":"echo","n":1}');
  assert.equal(JSON.parse(await client.next()).body, '{"action":"echo","n":1}');
  client.ws.send('{"action":"echo","n":2}');
  const throttled = JSON.parse(await client.next());
  assert.equal(throttled.message, 'Too Many Requests');
  assert.ok(throttled.connectionId && throttled.requestId);
  // Other routes have their own (here: no) limits.
  client.ws.send('{"action":"other"}');
  assert.equal(JSON.parse(await client.next()).body, '{"action":"other"}');
  client.ws.close(1000);
  await client.closed;

  const defaults = await awsCli(env.url, ['apigatewayv2', 'update-stage', '--api-id', apiId, '--stage-name', 'dev',
    '--default-route-settings', 'ThrottlingBurstLimit=0,ThrottlingRateLimit=0']);
  assert.equal(defaults.code, 0, defaults.stderr);
  await assert.rejects(openWebSocket(env.url, apiId, 'dev'), (e: any) => e.status === 429 && JSON.parse(e.body).message === 'Too Many Requests');
});

test('the AWS CLI maps a WebSocket API stage on a domain without a mapping key: the domain\'s root is the stage', async () => {
  const domain = 'root.example.com';
  await env.apigwv2.send(new CreateDomainNameCommand({
    DomainName: domain, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/r', EndpointType: 'REGIONAL' }],
  }));
  const apiId = await webSocketApi('at-root', 'dev', []);
  const created = await awsCli(env.url, ['apigatewayv2', 'create-api-mapping', '--domain-name', domain, '--api-id', apiId, '--stage', 'dev']);
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual({ ApiId: created.json().ApiId, Stage: created.json().Stage }, { ApiId: apiId, Stage: 'dev' });
  const client = await openWebSocket(env.url, apiId, '', { domain });
  client.ws.send('{"action":"hello"}');
  assert.equal(JSON.parse(await client.next()).context.domainName, domain);
  client.ws.close(1000);
  await client.closed;
});
