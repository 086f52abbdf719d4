// AWS/ApiGateway metrics of HTTP and WebSocket APIs: requests over real sockets (HTTP calls, a `ws`
// client, @connections posts through AWS's client), read back through SDK v3 GetMetricStatistics and
// ListMetrics and the AWS CLI — by ApiId, ApiId+Stage, and ApiId+Method+Resource+Stage for routes
// whose stage turns detailed metrics on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetMetricStatisticsCommand, ListMetricsCommand, type CloudWatchClient, type Datapoint } from '@aws-sdk/client-cloudwatch';
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand, GetRoutesCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
const window = () => ({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000) });
const functionArn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

env.setup(() => {
  cw = cloudWatchClient(env.url);
});

/** Lets API Gateway call `name` for `apiId`. */
async function permit(name: string, apiId: string): Promise<void> {
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: name, StatementId: `apigw-${apiId}`, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
}

type Dims = { Name: string; Value: string }[];
async function datapoints(MetricName: string, Dimensions: Dims): Promise<Datapoint[]> {
  const out = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ApiGateway', MetricName, Dimensions, Period: 60, Statistics: ['Sum', 'SampleCount', 'Maximum'], ...window(),
  }));
  return out.Datapoints ?? [];
}
const total = (points: Datapoint[], stat: 'Sum' | 'SampleCount' = 'Sum') => points.reduce((n, p) => n + (p[stat] ?? 0), 0);
const sum = async (MetricName: string, Dimensions: Dims) => total(await datapoints(MetricName, Dimensions));

test('HTTP API: Count, 4xx, 5xx, Latency, IntegrationLatency and DataProcessed by ApiId, ApiId+Stage and a detailed route', async () => {
  await createNodeFunction(env.lambda, 'cw-http-fn',
    "exports.handler = async (e) => ({ statusCode: e.rawPath === '/fail' ? 500 : 200, body: 'hello' });");
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'cw-http', ProtocolType: 'HTTP', Target: functionArn('cw-http-fn'), RouteKey: 'GET /items' }))).ApiId!;
  await permit('cw-http-fn', apiId);
  const [items] = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /fail', Target: items.Target }));
  await env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', RouteSettings: { 'GET /items': { DetailedMetricsEnabled: true } } }));

  const statuses = [];
  for (const path of ['/items', '/items', '/fail', '/missing']) statuses.push((await invokeHttpApi(env.url, apiId, path, { method: 'GET' })).status);
  assert.deepEqual(statuses, [200, 200, 500, 404]);

  const byApi = [{ Name: 'ApiId', Value: apiId }];
  const byStage = [...byApi, { Name: 'Stage', Value: '$default' }];
  for (const dims of [byApi, byStage]) {
    assert.equal(await sum('Count', dims), 4);
    assert.equal(await sum('4xx', dims), 1);
    assert.equal(await sum('5xx', dims), 1);
    const errors = await datapoints('4xx', dims);
    assert.equal(total(errors, 'SampleCount'), 4, 'a sample per request: Average is the error rate');
    assert.equal(errors[0].Unit, 'Count');
  }
  const latency = await datapoints('Latency', byStage);
  assert.equal(total(latency, 'SampleCount'), 4);
  assert.equal(latency[0].Unit, 'Milliseconds');
  assert.equal(total(await datapoints('IntegrationLatency', byStage), 'SampleCount'), 3, 'the unrouted request reached no integration');
  const data = await datapoints('DataProcessed', byStage);
  assert.ok(total(data) >= 3 * 'hello'.length, JSON.stringify(data));
  assert.equal(data[0].Unit, 'Bytes');
  assert.equal(await sum('4XXError', byStage), 0, 'HTTP APIs publish 4xx, not 4XXError');

  const route = [...byStage, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/items' }];
  assert.equal(await sum('Count', route), 2);
  assert.equal(await sum('Count', [...byStage, { Name: 'Method', Value: 'GET' }, { Name: 'Resource', Value: '/fail' }]), 0, 'GET /fail has no detailed metrics');

  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiId', Value: apiId }, { Name: 'Resource' }] }));
  assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['4xx', '5xx', 'Count', 'DataProcessed', 'IntegrationLatency', 'Latency']);
  assert.deepEqual(listed.Metrics![0].Dimensions!.map((d) => d.Name), ['ApiId', 'Method', 'Resource', 'Stage']);

  const cli = await awsCli(env.url, ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/ApiGateway', '--metric-name', '5xx',
    '--dimensions', `Name=ApiId,Value=${apiId}`, 'Name=Stage,Value=$default', '--period', '3600', '--statistics', 'Sum', 'Average',
    '--start-time', window().StartTime.toISOString(), '--end-time', window().EndTime.toISOString()]);
  assert.equal(cli.code, 0, cli.stderr);
  const body = cli.json();
  assert.equal(body.Label, '5xx');
  assert.equal(body.Datapoints.length, 1);
  assert.equal(body.Datapoints[0].Sum, 1);
  assert.equal(body.Datapoints[0].Average, 0.25);
});

test('WebSocket API: ConnectCount, MessageCount both ways, ClientError, IntegrationError, ExecutionError and IntegrationLatency', async () => {
  await createNodeFunction(env.lambda, 'cw-ws-fn', `exports.handler = async (event) => {
    const { routeKey } = event.requestContext;
    if (routeKey === '$connect') return { statusCode: event.queryStringParameters?.deny ? 401 : 200 };
    if (routeKey === 'boom') throw new Error('boom');
    return { statusCode: 200, body: 'echo:' + event.body };
  };`);
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'cw-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await permit('cw-ws-fn', apiId);
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: functionArn('cw-ws-fn') }));
  const target = `integrations/${integration.IntegrationId}`;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', Target: target }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'boom', Target: target }));
  const echo = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'echo', Target: target, RouteResponseSelectionExpression: '$default' }));
  await env.apigwv2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: echo.RouteId, RouteResponseKey: '$default' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true,
    DefaultRouteSettings: { DetailedMetricsEnabled: true }, RouteSettings: { boom: { DetailedMetricsEnabled: false } },
  }));

  await assert.rejects(openWebSocket(env.url, apiId, 'live', { query: 'deny=1' }), (e: { status?: number }) => e.status === 401);
  const client = await openWebSocket(env.url, apiId, 'live');
  client.ws.send(JSON.stringify({ action: 'echo' }));
  assert.equal(await client.next(), 'echo:{"action":"echo"}');
  client.ws.send(JSON.stringify({ action: 'boom' }));
  assert.equal(JSON.parse(await client.next()).message, 'Internal server error');
  client.ws.send(JSON.stringify({ action: 'nowhere' }));
  const refused = JSON.parse(await client.next());
  assert.equal(refused.message, 'Forbidden');
  const management = new ApiGatewayManagementApiClient({
    endpoint: `${env.url}/restapis/${apiId}/live/_user_request_`, region: testRegion, credentials: testCredentials, maxAttempts: 1,
  });
  await management.send(new PostToConnectionCommand({ ConnectionId: refused.connectionId, Data: Buffer.from('from the backend') }));
  assert.equal(await client.next(), 'from the backend');
  client.ws.close();
  await client.closed;

  const byApi = [{ Name: 'ApiId', Value: apiId }];
  const byStage = [...byApi, { Name: 'Stage', Value: 'live' }];
  for (const dims of [byApi, byStage]) {
    assert.equal(await sum('ConnectCount', dims), 2);
    assert.equal(await sum('MessageCount', dims), 7, 'three messages in, three answers and one post out');
    assert.equal(await sum('IntegrationError', dims), 1, 'the $connect function refused with 401');
    assert.equal(await sum('ExecutionError', dims), 1, 'the boom function failed');
    assert.equal(await sum('ClientError', dims), 1, 'no route took the message');
  }
  const latency = await datapoints('IntegrationLatency', byStage);
  assert.equal(total(latency, 'SampleCount'), 4, 'two $connect calls, echo and boom');
  assert.equal(latency[0].Unit, 'Milliseconds');
  const route = (key: string) => [...byStage, { Name: 'Method', Value: key }, { Name: 'Resource', Value: key }];
  assert.equal(await sum('MessageCount', route('echo')), 2, 'the echo route: in and out');
  assert.equal(await sum('ConnectCount', route('$connect')), 2);
  assert.equal(await sum('IntegrationError', route('$connect')), 1);
  const detailed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiId', Value: apiId }, { Name: 'Resource' }] }));
  const resources = new Set(detailed.Metrics!.map((m) => m.Dimensions!.find((d) => d.Name === 'Resource')!.Value));
  assert.deepEqual([...resources].sort(), ['$connect', 'echo'], 'boom turned its detailed metrics off; a message no route took has no route series');

  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiId', Value: apiId }, { Name: 'Stage', Value: 'live' }] }));
  const names = new Set(listed.Metrics!.map((m) => m.MetricName));
  assert.deepEqual([...names].sort(), ['ClientError', 'ConnectCount', 'ExecutionError', 'IntegrationError', 'IntegrationLatency', 'MessageCount']);
});
