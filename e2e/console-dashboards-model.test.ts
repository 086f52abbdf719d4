// The console's Dashboards page without a server or a browser: console/dashboards-model.js reading a
// dashboard body's metric rows ("." and "..." shorthands, options, metric math left out), the
// widgets' reading order, one GetMetricData query for all of them, and each widget's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';

const load = (): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', 'dashboards-model.js')).href);

const NOW = Date.UTC(2026, 0, 1, 12, 30, 20);
const minute = (m: number) => Date.UTC(2026, 0, 1, 12, m) / 1000;

test('metric rows with shorthands and options become metrics; expressions are left out', async () => {
  const m = await load();
  assert.deepEqual(m.widgetMetrics({
    stat: 'Sum',
    metrics: [
      ['AWS/Lambda', 'Invocations', 'FunctionName', 'a'],
      ['...', 'b', { label: 'B calls' }],
      ['.', 'Errors', '.', '.', { stat: 'Maximum' }],
      [{ expression: 'm1 * 2', label: 'double' }],
      'not a row',
    ],
  }), [
    { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ Name: 'FunctionName', Value: 'a' }], stat: 'Sum', label: 'Invocations a' },
    { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ Name: 'FunctionName', Value: 'b' }], stat: 'Sum', label: 'B calls' },
    { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ Name: 'FunctionName', Value: 'b' }], stat: 'Maximum', label: 'Errors b' },
  ]);
  assert.equal(m.widgetMetrics({ metrics: [['NS', 'M']] })[0].stat, 'Average', 'CloudWatch\'s default statistic');
});

test('widgets in reading order, one query for all metric widgets, lines per widget', async () => {
  const m = await load();
  const body = JSON.stringify({ widgets: [
    { type: 'text', x: 6, y: 0, properties: { markdown: '# right' } },
    { type: 'metric', x: 0, y: 6, properties: { title: 'calls', metrics: [['AWS/Lambda', 'Invocations', 'FunctionName', 'f']], stat: 'Sum' } },
    { type: 'text', x: 0, y: 0, properties: { markdown: '# left' } },
  ] });
  const widgets = m.dashboardWidgets(body);
  assert.deepEqual(widgets.map((w: any) => [w.index, w.type]), [[2, 'text'], [0, 'text'], [1, 'metric']]);
  assert.deepEqual(m.dashboardWidgets('nope'), []);
  const q = m.dashboardQuery(widgets, '15m', NOW);
  assert.equal(q.EndTime, minute(31));
  assert.equal(q.StartTime, minute(16));
  assert.deepEqual(q.MetricDataQueries, [{
    Id: 'w1_0', ReturnData: true,
    MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }, Period: 60, Stat: 'Sum' },
  }]);
  assert.equal(m.dashboardQuery(widgets.filter((w: any) => w.type === 'text'), '15m', NOW), undefined, 'no metrics, no call');
  const lines = m.dashboardLines(widgets, '15m', NOW, { MetricDataResults: [{ Id: 'w1_0', Timestamps: [minute(29), minute(30)], Values: [3, 4] }] });
  const values = lines.get(1)[0].values;
  assert.equal(values.length, 15);
  assert.deepEqual(values.slice(-3), [null, 3, 4]);
  assert.deepEqual(lines.get(0), []);
});
