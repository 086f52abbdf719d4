// The MetricSource GetMetricData and metric math alarms read from: an account and region's series
// through the MetricReader (stored minutes or seconds plus this node's unflushed ones).
import type { MetricReader } from './metric-reader.js';
import type { MetricSource } from './metric-data.js';
import { canonicalDimensions } from './series-key.js';
import { isBasicStatistic, statisticByName } from './statistics.js';
import { parseExtendedStatistic } from './extended-statistics.js';

/** A Period (s) in ms: periods under a minute read high-resolution seconds (see MetricReader). */
export const periodMs = (seconds: number): number => seconds * 1000;

export const isStatistic = (stat: string): boolean => isBasicStatistic(stat) || parseExtendedStatistic(stat) !== undefined;

export function readerSource(reader: MetricReader, scope: { accountId: string; region: string }): MetricSource {
  return {
    isStatistic,
    async read(stat, start, end) {
      const step = periodMs(stat.Period);
      const from = start.getTime() - (start.getTime() % step);
      const series = { accountId: scope.accountId, region: scope.region, namespace: stat.Metric.Namespace!, metricName: stat.Metric.MetricName!, dimensions: canonicalDimensions(stat.Metric.Dimensions) };
      const periods = await reader.periods(series, from, end.getTime(), step, stat.Unit);
      // Periods without a value for the statistic (a percentile of statistic sets) are left out.
      const points = periods.flatMap((p): [number, number][] => {
        const value = statisticByName(p, stat.Stat);
        return value === undefined ? [] : [[p.timestampMs, value]];
      });
      return { periodMs: step, points };
    },
  };
}
