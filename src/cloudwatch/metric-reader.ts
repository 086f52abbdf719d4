// Reads a series as queries see it: the minutes in the store plus what this node has not flushed.
// (Another node's unflushed minutes appear at its next flush, a few seconds later.)
import type { CloudWatchStore, SeriesId } from '../store/cloudwatch-store.js';
import type { MetricAggregator } from './aggregator.js';
import { toPeriods, type PeriodSet } from './statistics.js';

export class MetricReader {
  constructor(private readonly store: CloudWatchStore, private readonly aggregator: MetricAggregator) {}

  /** The series' statistic sets per period in [fromMs, toMs), oldest first; with `unit`, only datapoints of that unit. */
  async periods(series: SeriesId, fromMs: number, toMs: number, periodMs: number, unit?: string): Promise<PeriodSet[]> {
    const stored = await this.store.datapoints(series, fromMs, toMs);
    const pending = this.aggregator.peek(series).filter((p) => p.timestampMs >= fromMs && p.timestampMs < toMs);
    const all = [...stored, ...pending].filter((p) => unit === undefined || (p.unit ?? 'None') === unit);
    return toPeriods(all, periodMs);
  }

  /** Series of an account and region with data since `sinceMs` (stored or not yet flushed). */
  async series(scope: { accountId: string; region: string }, sinceMs: number): Promise<SeriesId[]> {
    const stored = await this.store.series(scope, sinceMs);
    const seen = new Set(stored.map((s) => `${s.namespace}\0${s.metricName}\0${s.dimensions}`));
    for (const s of this.aggregator.activeSeries(scope.accountId, scope.region)) {
      const key = `${s.namespace}\0${s.metricName}\0${s.dimensions}`;
      if (!seen.has(key)) {
        seen.add(key);
        stored.push(s);
      }
    }
    return stored;
  }
}
