// Log metrics (metric filters, embedded metric format) at StorageResolution 1: each sample in its
// second's cell as well as its minute's; at the standard resolution, minutes only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricAggregator } from './aggregator.js';
import { LogMetricsRecorder } from './log-metrics.js';

const sample = { scope: { accountId: '000000000000', region: 'us-east-1' }, namespace: 'App', metricName: 'Latency', dimensions: { Service: 's' }, unit: 'Milliseconds' };

test('storageResolution 1 records seconds besides minutes; the default records minutes only', () => {
  const minutes = new MetricAggregator();
  const seconds = new MetricAggregator();
  const logs = new LogMetricsRecorder(minutes, seconds);
  logs.record({ ...sample, timestampMs: 61_200, value: 3, storageResolution: 1 });
  logs.record({ ...sample, timestampMs: 61_900, value: 5, storageResolution: 1 });
  logs.record({ ...sample, timestampMs: 65_000, value: 7, storageResolution: 1 });
  logs.record({ ...sample, metricName: 'Standard', timestampMs: 65_000, value: 1 });
  const summary = (points: ReturnType<MetricAggregator['drain']>) => points.map((p) => [p.metricName, p.timestampMs, p.sum, p.sampleCount, p.unit]).sort();
  assert.deepEqual(summary(seconds.drain()), [['Latency', 61_000, 8, 2, 'Milliseconds'], ['Latency', 65_000, 7, 1, 'Milliseconds']]);
  assert.deepEqual(summary(minutes.drain()), [['Latency', 60_000, 15, 3, 'Milliseconds'], ['Standard', 60_000, 1, 1, 'Milliseconds']]);
});
