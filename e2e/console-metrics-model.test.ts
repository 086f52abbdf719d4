// The console's Metrics view without a server or a browser: console/metrics-model.js's one query
// per card (functions, aliases, REST/HTTP/WebSocket stages) and the series, totals and sentences it
// makes of GetMetricData answers; console/sparkline.js's polylines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';

// The console's browser modules, untyped JavaScript.
const load = (name: string): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', name)).href);

const NOW = Date.UTC(2026, 0, 1, 12, 30, 20);
const minute = (m: number) => Date.UTC(2026, 0, 1, 12, m) / 1000;

test('one query per card: every chart line, the window in whole periods, the target as dimensions', async () => {
  const m = await load('metrics-model.js');
  const q = m.metricsQuery([{ kind: 'function', name: 'fn' }], '1h', NOW);
  // The last hour of whole minutes, the current one included, in epoch seconds (JSON 1.0).
  assert.equal(q.EndTime, minute(31));
  assert.equal(q.StartTime, minute(31) - 3600);
  assert.deepEqual(q.MetricDataQueries.map((x: any) => [x.Id, x.MetricStat.Metric.MetricName, x.MetricStat.Stat, x.MetricStat.Period]), [
    ['inv_0', 'Invocations', 'Sum', 60], ['err_0', 'Errors', 'Sum', 60], ['thr_0', 'Throttles', 'Sum', 60], ['p50_0', 'Duration', 'p50', 60], ['p99_0', 'Duration', 'p99', 60],
  ]);
  assert.deepEqual(q.MetricDataQueries[0].MetricStat.Metric, { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] });
  // Through an alias: Lambda's Resource dimension `name:alias`.
  const alias = m.metricsQuery([{ kind: 'function', name: 'fn', alias: 'prod' }], '1h', NOW);
  assert.deepEqual(alias.MetricDataQueries[0].MetricStat.Metric.Dimensions, [{ Name: 'FunctionName', Value: 'fn' }, { Name: 'Resource', Value: 'fn:prod' }]);

  // Longer windows read coarser periods, aligned to them.
  const twelve = m.metricsQuery([{ kind: 'function', name: 'fn' }], '12h', NOW);
  assert.equal(twelve.EndTime, minute(45));
  assert.equal(twelve.StartTime, minute(45) - 12 * 3600);
  assert.equal(twelve.MetricDataQueries[0].MetricStat.Period, 900);
  assert.equal(m.metricsQuery([{ kind: 'function', name: 'fn' }], '3h', NOW).MetricDataQueries[0].MetricStat.Period, 300);
  assert.equal(m.windowOf('nonsense').key, '1h', 'an unknown window (an old saved choice) is the default');

  const rest = m.metricsQuery([{ kind: 'rest', apiName: 'pets', stage: 'prod' }], '15m', NOW);
  assert.equal(rest.StartTime, minute(16));
  assert.deepEqual(rest.MetricDataQueries.map((x: any) => x.MetricStat.Metric.MetricName), ['Count', '4XXError', '5XXError', 'Latency', 'Latency']);
  assert.deepEqual(rest.MetricDataQueries[0].MetricStat.Metric, { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'pets' }, { Name: 'Stage', Value: 'prod' }] });
  const http = m.metricsQuery([{ kind: 'http', apiId: 'a1b2', stage: '$default' }], '1h', NOW);
  assert.deepEqual(http.MetricDataQueries.map((x: any) => x.MetricStat.Metric.MetricName), ['Count', '4xx', '5xx', 'Latency', 'Latency']);
  assert.deepEqual(http.MetricDataQueries[0].MetricStat.Metric.Dimensions, [{ Name: 'ApiId', Value: 'a1b2' }, { Name: 'Stage', Value: '$default' }]);
  // An API's stages: one request for the card, each stage's queries numbered after it.
  const ws = m.metricsQuery([{ kind: 'websocket', apiId: 'w1', stage: 'dev' }, { kind: 'websocket', apiId: 'w1', stage: 'prod' }], '1h', NOW);
  assert.equal(ws.MetricDataQueries.length, 14);
  assert.deepEqual(ws.MetricDataQueries.slice(7).map((x: any) => `${x.Id}:${x.MetricStat.Metric.MetricName}/${x.MetricStat.Stat}`),
    ['conn_1:ConnectCount/Sum', 'msg_1:MessageCount/Sum', 'ce_1:ClientError/Sum', 'ie_1:IntegrationError/Sum', 'xe_1:ExecutionError/Sum', 'p50_1:IntegrationLatency/p50', 'p99_1:IntegrationLatency/p99']);
  assert.deepEqual(ws.MetricDataQueries[7].MetricStat.Metric.Dimensions, [{ Name: 'ApiId', Value: 'w1' }, { Name: 'Stage', Value: 'prod' }]);
});

test('an answer becomes series per period, totals and sentences', async () => {
  const m = await load('metrics-model.js');
  const answer = {
    MetricDataResults: [
      { Id: 'inv_0', Timestamps: [minute(20), minute(30)], Values: [6, 2], StatusCode: 'Complete' },
      { Id: 'err_0', Timestamps: [minute(30)], Values: [1], StatusCode: 'Complete' },
      { Id: 'thr_0', Timestamps: [], Values: [], StatusCode: 'Complete' },
      // ISO timestamps (another protocol's answer) read the same.
      { Id: 'p50_0', Timestamps: [new Date(minute(20) * 1000).toISOString(), new Date(minute(30) * 1000).toISOString()], Values: [12, 8.04], StatusCode: 'Complete' },
      { Id: 'p99_0', Timestamps: [minute(20), minute(30)], Values: [40, 95.25], StatusCode: 'Complete' },
    ],
  };
  const view = m.metricsView([{ kind: 'function', name: 'fn' }], '15m', NOW, answer);
  assert.deepEqual(view.failed, []);
  const v = view.sections[0];
  assert.equal(v.empty, false);
  assert.deepEqual(v.charts.map((c: any) => [c.title, c.text]), [
    ['Invocations', '8'],
    ['Errors', '1 (error rate 12.5%)'],
    ['Throttles', '0'],
    ['Duration', 'p50 12 ms · p99 95.3 ms (peak)'],
  ]);
  assert.equal(v.charts[1].summary, 'Errors, last 15 minutes: 1 (error rate 12.5%)');
  // 15 periods from 12:16: counts read 0 where nothing was recorded, percentiles null.
  const inv = v.charts[0].lines[0].points;
  assert.equal(inv.length, 15);
  assert.deepEqual(inv[0], [minute(16) * 1000, 0]);
  assert.deepEqual(inv[4], [minute(20) * 1000, 6]);
  assert.deepEqual(inv[14], [minute(30) * 1000, 2]);
  const p99 = v.charts[3].lines[1].points.map((p: any) => p[1]);
  assert.deepEqual([p99[3], p99[4], p99[5], p99[14]], [null, 40, null, 95.25]);

  // Errors only: the rate needs invocations, and throttles alone are something that happened.
  const [throttled] = m.metricsView([{ kind: 'function', name: 'fn' }], '15m', NOW, { MetricDataResults: [{ Id: 'thr_0', Timestamps: [minute(30)], Values: [3] }] }).sections;
  assert.equal(throttled.empty, false);
  assert.deepEqual(throttled.charts.map((c: any) => c.text), ['0', '0', '3', 'no data']);
});

test('request charts sum 4xx and 5xx into the error rate; WebSocket stages count connections and messages', async () => {
  const m = await load('metrics-model.js');
  const [rest] = m.metricsView([{ kind: 'rest', apiName: 'pets', stage: 'prod' }], '1h', NOW, {
    MetricDataResults: [
      { Id: 'count_0', Timestamps: [minute(29), minute(30)], Values: [5, 3] },
      { Id: 'e4_0', Timestamps: [minute(29), minute(30)], Values: [2, 0] },
      { Id: 'e5_0', Timestamps: [minute(30)], Values: [1] },
      { Id: 'p50_0', Timestamps: [minute(30)], Values: [3] },
      { Id: 'p99_0', Timestamps: [minute(30)], Values: [7] },
    ],
  }).sections;
  assert.deepEqual(rest.charts.map((c: any) => [c.title, c.text]), [
    ['Requests', '8'], ['Errors', '4xx 2 · 5xx 1 (error rate 37.5%)'], ['Latency', 'p50 3 ms · p99 7 ms (peak)'],
  ]);
  assert.equal(rest.charts[0].lines[0].points.length, 60);

  // Two stages in one answer: each section reads its own Ids.
  const [dev, ws] = m.metricsView([{ kind: 'websocket', apiId: 'w1', stage: 'dev' }, { kind: 'websocket', apiId: 'w1', stage: 'prod' }], '1h', NOW, {
    MetricDataResults: [{ Id: 'conn_1', Timestamps: [minute(30)], Values: [2] }, { Id: 'msg_1', Timestamps: [minute(30)], Values: [5] }, { Id: 'xe_1', Timestamps: [minute(30)], Values: [1] }],
  }).sections;
  assert.deepEqual([dev.empty, dev.target.stage, ws.empty, ws.target.stage], [true, 'dev', false, 'prod']);
  assert.deepEqual(ws.charts.map((c: any) => [c.title, c.text]), [
    ['Connections', '2'], ['Messages', '5'], ['Errors', 'client 0 · integration 0 · execution 1'], ['Integration latency', 'no data'],
  ]);
});

test('nothing in the window: the empty sentence; a partial answer is flagged', async () => {
  const m = await load('metrics-model.js');
  const [none] = m.metricsView([{ kind: 'function', name: 'fn' }], '1h', NOW, { MetricDataResults: [{ Id: 'inv_0', Timestamps: [], Values: [] }] }).sections;
  assert.deepEqual([none.empty, none.emptyText], [true, 'No invocations in the last hour.']);
  assert.equal(m.metricsView([{ kind: 'http', apiId: 'a', stage: 's' }], '15m', NOW, {}).sections[0].emptyText, 'No requests in the last 15 minutes.');
  assert.equal(m.metricsView([{ kind: 'websocket', apiId: 'a', stage: 's' }], '12h', NOW, {}).sections[0].emptyText, 'No connections or messages in the last 12 hours.');
  const partial = m.metricsView([{ kind: 'function', name: 'fn' }], '1h', NOW, { MetricDataResults: [{ Id: 'inv_0', Timestamps: [minute(30)], Values: [1], StatusCode: 'PartialData' }] });
  assert.deepEqual(partial.failed, ['inv_0']);
});

test('sparkline points: scaled from 0 to the highest value, gaps split the line, a lone point shows', async () => {
  const s = await load('sparkline.js');
  assert.deepEqual(s.polylinePoints([0, 5, 10], 100, 22, 10), ['0,21 50,11 100,1']);
  assert.deepEqual(s.polylinePoints([0, 0], 100, 22, 0), ['0,21 100,21'], 'all zero: flat along the bottom');
  assert.deepEqual(s.polylinePoints([4, null, 2, 4, null], 100, 22, 4), ['0,1 1.5,1', '50,11 75,1']);
  assert.deepEqual(s.polylinePoints([null, null], 100, 22, 0), []);
});
