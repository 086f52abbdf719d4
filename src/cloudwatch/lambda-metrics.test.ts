// AWS/Lambda metrics beyond Invocations/Errors/Duration/Throttles: unreserved concurrency,
// provisioned concurrency, extensions' time and the asynchronous queue's, with an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricAggregator } from './aggregator.js';
import { LambdaMetricsRecorder } from './lambda-metrics.js';
import { canonicalDimensions, type Dimension } from './series-key.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const byName: Dimension = { Name: 'FunctionName', Value: 'f' };
const live: Dimension = { Name: 'Resource', Value: 'f:live' };

function recorder(now = () => 90_000) {
  const agg = new MetricAggregator();
  const lambda = new LambdaMetricsRecorder(agg, now);
  const drained = () => {
    const points = agg.drain();
    /** [dimension sets as canonical JSON, sum, count, max] of one metric, sorted. */
    const of = (metricName: string) =>
      points.filter((p) => p.metricName === metricName).map((p) => [p.dimensions, p.sum, p.sampleCount, p.max, p.unit, p.timestampMs]).sort();
    return { of, points };
  };
  return { lambda, drained };
}
const dims = (...d: Dimension[]) => canonicalDimensions(d);

test('UnreservedConcurrentExecutions and ClaimedAccountConcurrency: account-wide samples, with no dimensions', () => {
  const { lambda, drained } = recorder();
  lambda.invocation(lambda.started({ ...scope, name: 'f' }, '$LATEST'), false, 1, { account: 3, function: 1, unreserved: 2, claimed: 8 });
  lambda.invocation(lambda.started({ ...scope, name: 'g' }, '$LATEST'), false, 1, { account: 1, function: 1 });
  const { of } = drained();
  assert.deepEqual(of('UnreservedConcurrentExecutions'), [['[]', 2, 1, 2, 'Count', 60_000]], 'a sample only where it was taken');
  assert.deepEqual(of('ClaimedAccountConcurrency'), [['[]', 8, 1, 8, 'Count', 60_000]]);
});

test('provisioned concurrency: invocations on it or spilled over, busy environments and utilization', () => {
  const { lambda, drained } = recorder();
  const fn = { ...scope, name: 'f', qualifier: 'live' };
  lambda.provisioned(lambda.started(fn, '1'), { onProvisioned: true, busy: 1, allocated: 2 });
  lambda.provisioned(lambda.started(fn, '1'), { onProvisioned: true, busy: 2, allocated: 2 });
  lambda.provisioned(lambda.started(fn, '1'), { onProvisioned: false, busy: 2, allocated: 2 });
  const { of } = drained();
  const sets = [dims(byName), dims(byName, live)].sort();
  assert.deepEqual(of('ProvisionedConcurrencyInvocations').map((p) => [p[0], p[1]]), sets.map((d) => [d, 2]));
  assert.deepEqual(of('ProvisionedConcurrencySpilloverInvocations').map((p) => [p[0], p[1]]), sets.map((d) => [d, 1]));
  assert.deepEqual(of('ProvisionedConcurrentExecutions').map((p) => [p[0], p[3]]), sets.map((d) => [d, 2]), 'read its Maximum');
  assert.deepEqual(of('ProvisionedConcurrencyUtilization'), [[dims(byName, live), 2.5, 3, 1, 'None', 60_000]], 'by Resource only');
});

test('PostRuntimeExtensionsDuration: in Milliseconds under the dimension sets of Duration', () => {
  const { lambda, drained } = recorder();
  lambda.postRuntimeExtensions(lambda.started({ ...scope, name: 'f', qualifier: 'live' }, '3'), 40);
  lambda.postRuntimeExtensions(lambda.started({ ...scope, name: 'f', qualifier: 'live' }, '3'), 0);
  const points = drained().of('PostRuntimeExtensionsDuration');
  assert.deepEqual(points.map((p) => p[0]), [dims(), dims(byName), dims(byName, live), dims(byName, live, { Name: 'ExecutedVersion', Value: '3' })].sort());
  for (const p of points) assert.deepEqual(p.slice(1), [40, 2, 40, 'Milliseconds', 60_000]);
});

test('asynchronous events: received, age and dropped by function and resource; delivery failures also account-wide', () => {
  let now = 90_000;
  const { lambda, drained } = recorder(() => now);
  const fn = { ...scope, name: 'f', qualifier: 'live' };
  lambda.async.received(fn);
  lambda.async.age(fn, 5);
  lambda.async.age(fn, 65_000);
  lambda.async.dropped(fn);
  lambda.async.deadLetterError(fn);
  now = 130_000;
  lambda.async.destinationDeliveryFailure({ ...scope, name: 'f' });
  const { of } = drained();
  const sets = [dims(byName), dims(byName, live)].sort();
  assert.deepEqual(of('AsyncEventsReceived').map((p) => [p[0], p[1], p[4]]), sets.map((d) => [d, 1, 'Count']));
  assert.deepEqual(of('AsyncEventAge').map((p) => [p[0], p[1], p[2], p[3], p[4]]), sets.map((d) => [d, 65_005, 2, 65_000, 'Milliseconds']));
  assert.deepEqual(of('AsyncEventsDropped').map((p) => p[0]), sets);
  assert.deepEqual(of('DeadLetterErrors').map((p) => [p[0], p[1]]), [dims(), ...sets].sort().map((d) => [d, 1]));
  assert.deepEqual(of('DestinationDeliveryFailures').map((p) => [p[0], p[5]]), [[dims(), 120_000], [dims(byName), 120_000]], 'unqualified: no Resource set');
});
