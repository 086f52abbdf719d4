// Metrics CloudWatch Logs metric filters (and embedded metric format records) extract from log
// events: each sample goes to the cell of its series at the minute of the event's timestamp, and,
// at StorageResolution 1, to its second too, so GetMetricStatistics and alarms read them like
// PutMetricData's. A series' unit is the one its filter names (None when it names none).
import type { MetricAggregator } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions } from './series-key.js';

export interface LogMetricSample {
  scope: { accountId: string; region: string };
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  unit: string;
  timestampMs: number;
  value: number;
  /** PutMetricData's StorageResolution: 1 keeps per-second data too (high resolution); 60, the default, minutes only. */
  storageResolution?: 1 | 60;
}

export class LogMetricsRecorder {
  constructor(private readonly aggregator: MetricAggregator, private readonly seconds: MetricAggregator) {}

  record(s: LogMetricSample): void {
    const dimensions = canonicalDimensions(Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })));
    const series = { accountId: s.scope.accountId, region: s.scope.region, namespace: s.namespace, metricName: s.metricName, dimensions };
    this.aggregator.cell(series, s.unit).add(s.timestampMs - (s.timestampMs % MINUTE_MS), s.value);
    if (s.storageResolution === 1) this.seconds.cell(series, s.unit).add(s.timestampMs - (s.timestampMs % 1000), s.value);
  }
}
