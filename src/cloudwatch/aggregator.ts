// In-memory per-minute statistic sets for metrics the platform publishes itself (AWS/Lambda,
// AWS/ApiGateway). The hot path holds a cell per series and calls add(): a comparison, a few
// additions and a histogram bucket's increment (for percentiles). Every few seconds drain() hands the filled minutes to the store, which adds them to
// what it holds (other nodes' too); queries merge the store with peek() of what is not flushed yet.
import type { MetricDatapoint, SeriesId } from '../store/cloudwatch-store.js';
import { seriesKey } from './series-key.js';
import { Histogram } from './histogram.js';

export const MINUTE_MS = 60_000;

/** One series' current minute. */
export class StatCell {
  minute = -1;
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  histogram = new Histogram();

  constructor(readonly series: SeriesId, readonly unit: string, private readonly sealed: MetricDatapoint[]) {}

  /** Adds one sample at `minute` (the start of the minute, epoch ms). */
  add(minute: number, value: number): void {
    if (minute !== this.minute) this.#rotate(minute);
    this.sum += value;
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // A negative sample stays out: CloudWatch has no percentiles for such minutes.
    if (value >= 0) this.histogram.add(value);
  }

  #rotate(minute: number): void {
    if (this.count > 0) this.sealed.push(this.snapshot());
    this.minute = minute;
    this.reset();
  }

  /** The minute so far (its histogram is the live one until reset(): readers copy before adding to it). */
  snapshot(): MetricDatapoint {
    return { ...this.series, timestampMs: this.minute, sum: this.sum, sampleCount: this.count, min: this.min, max: this.max, unit: this.unit, histogram: this.histogram };
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.histogram = new Histogram();
  }
}

export class MetricAggregator {
  readonly #cells = new Map<string, StatCell>();
  /** Minutes a cell moved past before the next drain. */
  #sealed: MetricDatapoint[] = [];

  /** The cell of a series (made on first use; callers keep it, so this runs once per series). */
  cell(series: SeriesId, unit: string): StatCell {
    const key = seriesKey(series);
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = new StatCell(series, unit, this.#sealed);
      this.#cells.set(key, cell);
    }
    return cell;
  }

  /** Everything recorded since the last drain, then forgotten here. */
  drain(): MetricDatapoint[] {
    const out = this.#sealed.splice(0);
    for (const cell of this.#cells.values()) {
      if (cell.count === 0) continue;
      out.push(cell.snapshot());
      cell.reset();
    }
    return out;
  }

  /** Datapoints a failed flush could not store: kept for the next one. */
  restore(points: MetricDatapoint[]): void {
    this.#sealed.push(...points);
  }

  /** Unflushed datapoints of one series (several may share a minute: the caller merges). */
  peek(series: SeriesId): MetricDatapoint[] {
    const key = seriesKey(series);
    const out = this.#sealed.filter((p) => seriesKey(p) === key);
    const cell = this.#cells.get(key);
    if (cell && cell.count > 0) out.push(cell.snapshot());
    return out;
  }

  /** Series with unflushed data of an account and region. */
  activeSeries(accountId: string, region: string): SeriesId[] {
    const seen = new Map<string, SeriesId>();
    const consider = (s: SeriesId) => {
      if (s.accountId === accountId && s.region === region) seen.set(seriesKey(s), s);
    };
    for (const p of this.#sealed) consider(p);
    for (const c of this.#cells.values()) if (c.count > 0) consider(c.series);
    return [...seen.values()].map(({ accountId, region, namespace, metricName, dimensions }) => ({ accountId, region, namespace, metricName, dimensions }));
  }
}
