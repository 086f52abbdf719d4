// AWS/ApiGateway metrics of HTTP and WebSocket API stages, with an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricAggregator } from './aggregator.js';
import { HttpApiMetricsRecorder } from './httpapi-metrics.js';
import { WebSocketMetricsRecorder } from './websocket-metrics.js';
import { detailedRoute, routeDimensions } from './apigatewayv2-cells.js';
import { canonicalDimensions, type Dimension } from './series-key.js';

const api = { accountId: '000000000000', region: 'us-east-1', apiId: 'a1b2c3' };
const byApi = [{ Name: 'ApiId', Value: 'a1b2c3' }];
const byStage = [...byApi, { Name: 'Stage', Value: 'prod' }];
const byRoute = (method: string, resource: string) => [...byStage, { Name: 'Method', Value: method }, { Name: 'Resource', Value: resource }];

function pointsOf(agg: MetricAggregator) {
  const points = agg.drain();
  return (metricName: string, dims: Dimension[]) => points.find((p) => p.namespace === 'AWS/ApiGateway' && p.metricName === metricName && p.dimensions === canonicalDimensions(dims));
}

test('HTTP APIs: Count, 4xx, 5xx, Latency, IntegrationLatency and DataProcessed by ApiId and ApiId+Stage', () => {
  const agg = new MetricAggregator();
  const http = new HttpApiMetricsRecorder(agg, () => 125_000);
  http.request(api, 'prod', undefined, 200, 12, 8, 100);
  http.request(api, 'prod', undefined, 404, 2, undefined, 30);
  http.request(api, 'prod', undefined, 503, 30, 29, 50);
  const find = pointsOf(agg);
  for (const dims of [byApi, byStage]) {
    assert.deepEqual([find('Count', dims)?.sum, find('Count', dims)?.sampleCount], [3, 3]);
    assert.deepEqual([find('4xx', dims)?.sum, find('4xx', dims)?.sampleCount], [1, 3], 'a sample per request: Average is the error rate');
    assert.equal(find('5xx', dims)?.sum, 1);
    assert.deepEqual([find('Latency', dims)?.min, find('Latency', dims)?.max, find('Latency', dims)?.unit], [2, 30, 'Milliseconds']);
    assert.deepEqual([find('IntegrationLatency', dims)?.sampleCount, find('IntegrationLatency', dims)?.sum], [2, 37], 'only requests that reached an integration');
    assert.deepEqual([find('DataProcessed', dims)?.sum, find('DataProcessed', dims)?.unit], [180, 'Bytes']);
    assert.equal(find('Count', dims)?.timestampMs, 120_000);
  }
  assert.equal(find('4XXError', byStage), undefined, 'HTTP APIs name their errors 4xx and 5xx');
  assert.equal(find('Count', [{ Name: 'ApiName', Value: 'a1b2c3' }]), undefined);
});

test('HTTP APIs: a route with detailed metrics also counts by ApiId+Method+Resource+Stage', () => {
  const agg = new MetricAggregator();
  const http = new HttpApiMetricsRecorder(agg, () => 60_000);
  http.request(api, 'prod', 'GET /pets/{id}', 200, 5, 4, 10);
  http.request(api, 'prod', '$default', 500, 5, 4, 10);
  http.request(api, 'prod', undefined, 200, 5, 4, 10);
  const find = pointsOf(agg);
  assert.equal(find('Count', byStage)?.sum, 3);
  assert.equal(find('Count', byRoute('GET', '/pets/{id}'))?.sum, 1);
  assert.equal(find('5xx', byRoute('$default', '$default'))?.sum, 1);
});

test('detailedRoute: the route\'s own setting, else the stage default', () => {
  const stage = { defaultRouteSettings: { detailedMetricsEnabled: false }, routeSettings: { 'GET /a': { detailedMetricsEnabled: true }, 'GET /b': {} } };
  assert.equal(detailedRoute(stage, 'GET /a'), 'GET /a');
  assert.equal(detailedRoute(stage, 'GET /b'), undefined);
  assert.equal(detailedRoute(stage, undefined), undefined);
  const on = { defaultRouteSettings: { detailedMetricsEnabled: true }, routeSettings: { 'GET /off': { detailedMetricsEnabled: false } } };
  assert.equal(detailedRoute(on, 'POST /x'), 'POST /x');
  assert.equal(detailedRoute(on, 'GET /off'), undefined);
  assert.deepEqual(routeDimensions('ANY /{proxy+}'), { method: 'ANY', resource: '/{proxy+}' });
  assert.deepEqual(routeDimensions('sendMessage'), { method: 'sendMessage', resource: 'sendMessage' });
});

test('WebSocket APIs: ConnectCount, MessageCount (both ways), the three errors and IntegrationLatency', () => {
  const agg = new MetricAggregator();
  const ws = new WebSocketMetricsRecorder(agg, () => 61_000);
  ws.event(api, 'prod', undefined, 'CONNECT', undefined, 20);
  ws.event(api, 'prod', undefined, 'CONNECT', 'client', undefined);
  ws.event(api, 'prod', undefined, 'MESSAGE', undefined, 5);
  ws.event(api, 'prod', undefined, 'MESSAGE', 'integration', 7);
  ws.event(api, 'prod', undefined, 'MESSAGE', 'execution', 9);
  ws.event(api, 'prod', undefined, 'DISCONNECT', undefined, 3);
  ws.sent(api, 'prod', undefined);
  const find = pointsOf(agg);
  for (const dims of [byApi, byStage]) {
    assert.equal(find('ConnectCount', dims)?.sum, 2);
    assert.equal(find('MessageCount', dims)?.sum, 4, 'three from the client, one to it');
    assert.deepEqual([find('ClientError', dims)?.sum, find('ClientError', dims)?.sampleCount], [1, 6]);
    assert.equal(find('IntegrationError', dims)?.sum, 1);
    assert.equal(find('ExecutionError', dims)?.sum, 1);
    assert.deepEqual([find('IntegrationLatency', dims)?.sampleCount, find('IntegrationLatency', dims)?.max], [5, 20]);
  }
});

test('WebSocket APIs: routes with detailed metrics count by route too; @connections posts only by ApiId and stage', () => {
  const agg = new MetricAggregator();
  const ws = new WebSocketMetricsRecorder(agg, () => 0);
  ws.event(api, 'prod', 'sendMessage', 'MESSAGE', undefined, 1);
  ws.sent(api, 'prod', 'sendMessage');
  ws.sent(api, 'prod', undefined);
  const find = pointsOf(agg);
  assert.equal(find('MessageCount', byStage)?.sum, 3);
  assert.equal(find('MessageCount', byRoute('sendMessage', 'sendMessage'))?.sum, 2);
});
