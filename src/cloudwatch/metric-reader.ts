// Reads a series as queries see it: the datapoints in the store plus what this node has not
// flushed. (Another node's unflushed ones appear at its next flush, a few seconds later.)
// Periods of a minute or more read minutes; shorter ones (1, 5, 10, 30 s) read the seconds of
// high-resolution metrics, and the minutes of standard ones (a minute's datapoint lands in the
// period its minute starts), and only the last 3 hours of either, as CloudWatch answers them.
import type { CloudWatchStore, MetricDatapoint, Resolution, SeriesId } from '../store/cloudwatch-store.js';
import { MINUTE_MS, type MetricAggregator } from './aggregator.js';
import { toPeriods, type PeriodSet } from './statistics.js';

/** How long CloudWatch keeps high-resolution (per-second) data; after it, only minutes. */
export const HIGH_RESOLUTION_RETENTION_MS = 3 * 3600_000;

/** This node's unflushed datapoints of each resolution. */
export type Pending = Record<Resolution, MetricAggregator>;

export class MetricReader {
  constructor(private readonly store: CloudWatchStore, private readonly pending: Pending, private readonly now: () => number) {}

  /** The series' statistic sets per period in [fromMs, toMs), oldest first; with `unit`, only datapoints of that unit. */
  async periods(series: SeriesId, fromMs: number, toMs: number, periodMs: number, unit?: string): Promise<PeriodSet[]> {
    if (periodMs >= MINUTE_MS) return toPeriods(await this.#points(series, fromMs, toMs, 'minute', unit), periodMs);
    const since = Math.max(fromMs, this.now() - HIGH_RESOLUTION_RETENTION_MS);
    if (since >= toMs) return [];
    const seconds = await this.#points(series, since, toMs, 'second', unit);
    // A minute with seconds is a high-resolution metric's: its minute row holds the same samples.
    const covered = new Set(seconds.map((p) => p.timestampMs - (p.timestampMs % MINUTE_MS)));
    const minutes = (await this.#points(series, since, toMs, 'minute', unit)).filter((p) => !covered.has(p.timestampMs));
    return toPeriods([...seconds, ...minutes], periodMs);
  }

  async #points(series: SeriesId, fromMs: number, toMs: number, resolution: Resolution, unit: string | undefined): Promise<MetricDatapoint[]> {
    const stored = await this.store.datapoints(series, fromMs, toMs, resolution);
    const pending = this.pending[resolution].peek(series).filter((p) => p.timestampMs >= fromMs && p.timestampMs < toMs);
    return [...stored, ...pending].filter((p) => unit === undefined || (p.unit ?? 'None') === unit);
  }

  /** Series of an account and region with data since `sinceMs` (stored or not yet flushed). */
  async series(scope: { accountId: string; region: string }, sinceMs: number): Promise<SeriesId[]> {
    const stored = await this.store.series(scope, sinceMs);
    const seen = new Set(stored.map((s) => `${s.namespace}\0${s.metricName}\0${s.dimensions}`));
    for (const s of this.pending.minute.activeSeries(scope.accountId, scope.region)) {
      const key = `${s.namespace}\0${s.metricName}\0${s.dimensions}`;
      if (!seen.has(key)) {
        seen.add(key);
        stored.push(s);
      }
    }
    return stored;
  }
}
