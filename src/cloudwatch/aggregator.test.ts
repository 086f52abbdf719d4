// The per-minute aggregation behind AWS/Lambda metrics, with an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricAggregator } from './aggregator.js';
import { LambdaMetricsRecorder } from './lambda-metrics.js';
import { canonicalDimensions } from './series-key.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const ONE = { account: 1, function: 1 };
const series = (metricName: string, dims: { Name: string; Value: string }[]) =>
  ({ ...scope, namespace: 'AWS/Lambda', metricName, dimensions: canonicalDimensions(dims) });

test('a cell keeps sum, count, min and max per minute, and seals a minute it moves past', () => {
  const agg = new MetricAggregator();
  const cell = agg.cell(series('Duration', []), 'Milliseconds');
  cell.add(60_000, 5);
  cell.add(60_000, 1);
  cell.add(120_000, 7);
  assert.deepEqual(agg.peek(series('Duration', [])).map((p) => [p.timestampMs, p.sum, p.sampleCount, p.min, p.max]), [[60_000, 6, 2, 1, 5], [120_000, 7, 1, 7, 7]]);
  const drained = agg.drain();
  assert.equal(drained.length, 2);
  assert.deepEqual(agg.drain(), [], 'a drain forgets what it handed over');
  cell.add(120_000, 3);
  assert.deepEqual(agg.drain().map((p) => [p.timestampMs, p.sum, p.sampleCount]), [[120_000, 3, 1]]);
});

test('an invocation through an alias counts under every dimension set Lambda publishes', () => {
  const agg = new MetricAggregator();
  let now = 90_000;
  const lambda = new LambdaMetricsRecorder(agg, () => now);
  const fn = { ...scope, name: 'checkout', qualifier: 'live' };
  lambda.invocation(lambda.started(fn, '3'), false, 12, ONE);
  lambda.invocation(lambda.started(fn, '3'), true, 30, ONE);
  now = 125_000;
  lambda.invocation(lambda.started({ ...scope, name: 'checkout' }, '$LATEST'), false, 2, ONE);
  lambda.throttle(fn);
  const points = agg.drain();
  const find = (metricName: string, dims: { Name: string; Value: string }[], minute: number) =>
    points.find((p) => p.metricName === metricName && p.dimensions === canonicalDimensions(dims) && p.timestampMs === minute);
  const byName = { Name: 'FunctionName', Value: 'checkout' };
  const resource = { Name: 'Resource', Value: 'checkout:live' };
  for (const dims of [[], [byName], [resource, byName], [byName, resource, { Name: 'ExecutedVersion', Value: '3' }]]) {
    assert.equal(find('Invocations', dims, 60_000)?.sum, 2, JSON.stringify(dims));
    assert.deepEqual(find('Errors', dims, 60_000) && [find('Errors', dims, 60_000)!.sum, find('Errors', dims, 60_000)!.sampleCount], [1, 2]);
    assert.deepEqual([find('Duration', dims, 60_000)?.min, find('Duration', dims, 60_000)?.max], [12, 30]);
  }
  assert.equal(find('Invocations', [byName], 120_000)?.sum, 1);
  assert.equal(find('Invocations', [{ Name: 'ExecutedVersion', Value: '$LATEST' }, byName], 120_000), undefined, 'unqualified: no Resource sets');
  assert.equal(find('Throttles', [resource, byName], 120_000)?.sum, 1);
  assert.equal(find('Invocations', [byName, resource, { Name: 'ExecutedVersion', Value: '3' }], 120_000), undefined);
});

test('a version qualifier gets a Resource set but no ExecutedVersion set', () => {
  const agg = new MetricAggregator();
  const lambda = new LambdaMetricsRecorder(agg, () => 0);
  lambda.invocation(lambda.started({ ...scope, name: 'f', qualifier: '2' }, '2'), false, 1, ONE);
  assert.deepEqual(agg.drain().filter((p) => p.metricName === 'Invocations').map((p) => p.dimensions).sort(), [
    '[]', '[{"Name":"FunctionName","Value":"f"}]', '[{"Name":"FunctionName","Value":"f"},{"Name":"Resource","Value":"f:2"}]',
  ].sort());
});

test('ConcurrentExecutions: the in-flight counts as each invocation ends, for the account, the function and the version or alias', () => {
  const agg = new MetricAggregator();
  const lambda = new LambdaMetricsRecorder(agg, () => 0);
  const live = { ...scope, name: 'f', qualifier: 'live' };
  // Two invocations of the alias overlap (each executed version counts for the alias); one of version 1 runs alone.
  const first = lambda.started(live, '1');
  const second = lambda.started(live, '2');
  lambda.invocation(second, false, 1, { account: 3, function: 3 });
  lambda.ended(second);
  lambda.invocation(first, false, 1, { account: 2, function: 2 });
  lambda.ended(first);
  const one = lambda.started({ ...scope, name: 'f', qualifier: '1' }, '1');
  lambda.invocation(one, false, 1, { account: 1, function: 1 });
  lambda.ended(one);
  lambda.invocation(lambda.started({ ...scope, name: 'f' }, '$LATEST'), false, 1, { account: 4, function: 2 });
  const points = agg.drain().filter((p) => p.metricName === 'ConcurrentExecutions');
  assert.deepEqual(points.map((p) => [p.dimensions, p.max, p.sampleCount, p.sum]).sort(), [
    ['[]', 4, 4, 10],
    ['[{"Name":"FunctionName","Value":"f"},{"Name":"Resource","Value":"f:1"}]', 1, 1, 1],
    ['[{"Name":"FunctionName","Value":"f"},{"Name":"Resource","Value":"f:live"}]', 2, 2, 3],
    ['[{"Name":"FunctionName","Value":"f"}]', 3, 4, 8],
  ]);
});
