// GetMetricStatistics, GetMetricData (metric-data.ts), ListMetrics and PutMetricData over the store
// (minutes, and seconds of high-resolution metrics).
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, Datapoint, MetricDatum, Metric } from '../aws/generated/cloudwatch.js';
import type { RequestContext } from '../aws/request-context.js';
import type { CloudWatchStore, MetricDatapoint, SeriesId } from '../store/cloudwatch-store.js';
import type { MetricReader } from './metric-reader.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions, parseDimensions } from './series-key.js';
import { BASIC_STATISTICS, isBasicStatistic, merge, statistic, type BasicStatistic } from './statistics.js';
import { extendedStatistic, parseExtendedStatistic, type ExtendedStatistic } from './extended-statistics.js';
import { Histogram } from './histogram.js';
import { checkPeriod, checkTimeRange, invalidCombination, invalidValue, missingParameter } from './errors.js';
import { getMetricData } from './metric-data.js';
import { periodMs, readerSource } from './metric-source.js';
import { HIGH_RESOLUTION_RETENTION_MS } from './metric-reader.js';

export interface MetricDeps {
  store: CloudWatchStore;
  reader: MetricReader;
  now: () => number;
}

/** GetMetricStatistics answers at most this many datapoints (AWS's limit). */
const MAX_DATAPOINTS = 1440;
const LIST_PAGE = 500;
const TWO_WEEKS_MS = 14 * 24 * 3600_000;
const TWO_HOURS_MS = 2 * 3600_000;

const seriesOf = (ctx: RequestContext, namespace: string, metricName: string, dimensions: Metric['Dimensions']): SeriesId =>
  ({ accountId: ctx.accountId, region: ctx.region, namespace, metricName, dimensions: canonicalDimensions(dimensions) });


export function metricHandlers(deps: MetricDeps): HandlerTable<Operations> {
  return {
    async GetMetricStatistics(input, ctx) {
      const hasStats = input.Statistics !== undefined && input.Statistics.length > 0;
      const hasExtended = input.ExtendedStatistics !== undefined && input.ExtendedStatistics.length > 0;
      if (hasStats === hasExtended) throw invalidCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
      const stats = input.Statistics ?? [];
      stats.forEach((s, i) => {
        if (!isBasicStatistic(s)) throw invalidValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ ${BASIC_STATISTICS.join(', ')} ].`);
      });
      const extended = checkedExtended(input.ExtendedStatistics ?? []);
      checkPeriod(input.Period, 'Period', invalidValue);
      checkTimeRange(input.StartTime, input.EndTime, invalidValue);
      const step = periodMs(input.Period);
      const from = input.StartTime.getTime() - (input.StartTime.getTime() % step);
      const to = input.EndTime.getTime();
      const requested = Math.ceil((to - from) / step);
      if (requested > MAX_DATAPOINTS) {
        throw invalidCombination(`You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
      }
      const periods = await deps.reader.periods(seriesOf(ctx, input.Namespace, input.MetricName, input.Dimensions), from, to, step, input.Unit);
      const Datapoints = periods.flatMap((p): Datapoint[] => {
        const point: Datapoint = { Timestamp: new Date(p.timestampMs), Unit: (p.unit ?? 'None') as Datapoint['Unit'] };
        for (const s of stats as BasicStatistic[]) point[s] = statistic(p, s);
        if (!extended.length) return [point];
        const values: Record<string, number> = {};
        for (const [name, stat] of extended) {
          const v = extendedStatistic(p, stat);
          if (v !== undefined) values[name] = v;
        }
        // A period without the samples' distribution (statistic sets) has no datapoint to answer.
        if (!Object.keys(values).length) return [];
        point.ExtendedStatistics = values;
        return [point];
      });
      return { Label: input.MetricName, Datapoints };
    },

    async GetMetricData(input, ctx) {
      return getMetricData(input, readerSource(deps.reader, ctx));
    },

    async ListMetrics(input, ctx) {
      const since = deps.now() - (input.RecentlyActive === 'PT3H' ? 3 * 3600_000 : TWO_WEEKS_MS);
      const all = await deps.reader.series(ctx, since);
      const matching = all.filter((s) => {
        if (input.Namespace !== undefined && s.namespace !== input.Namespace) return false;
        if (input.MetricName !== undefined && s.metricName !== input.MetricName) return false;
        const dims = parseDimensions(s.dimensions);
        return (input.Dimensions ?? []).every((f) => dims.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
      }).sort((a, b) => compare(a, b));
      const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken);
      const page = matching.slice(offset, offset + LIST_PAGE);
      return {
        Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: parseDimensions(s.dimensions) })),
        NextToken: offset + LIST_PAGE < matching.length ? Buffer.from(JSON.stringify({ o: offset + LIST_PAGE })).toString('base64') : undefined,
      };
    },

    async PutMetricData(input, ctx) {
      if (input.Namespace.startsWith('AWS/')) throw invalidValue(`The value ${input.Namespace} for parameter Namespace is invalid.`);
      if (!input.MetricData?.length) throw missingParameter('MetricData');
      const now = deps.now();
      const minutes = new Map<string, MetricDatapoint>();
      // StorageResolution 1: the seconds too, within the 3 hours CloudWatch keeps them.
      const seconds = new Map<string, MetricDatapoint>();
      input.MetricData.forEach((datum, i) => {
        const at = `MetricData.member.${i + 1}`;
        const highResolution = isHighResolution(datum, at);
        const point = datapointOf(datum, at, now);
        const series: SeriesId = seriesOf(ctx, input.Namespace, datum.MetricName, datum.Dimensions);
        const unit = datum.Unit ?? 'None';
        if (highResolution && point.timestampMs >= now - HIGH_RESOLUTION_RETENTION_MS) {
          addTo(seconds, series, unit, { ...point, timestampMs: point.timestampMs - (point.timestampMs % 1000), histogram: point.histogram?.copy() });
        }
        addTo(minutes, series, unit, { ...point, timestampMs: point.timestampMs - (point.timestampMs % MINUTE_MS) });
      });
      await deps.store.addDatapoints([...minutes.values()]);
      if (seconds.size) await deps.store.addDatapoints([...seconds.values()], 'second');
    },
  };
}

/** ExtendedStatistics of GetMetricStatistics (at most 10: the model's constraint), checked, with what each name spells. */
function checkedExtended(names: string[]): [string, ExtendedStatistic][] {
  return names.map((name, i) => {
    const stat = parseExtendedStatistic(name);
    if (!stat) throw invalidValue(`The value ${name} for parameter ExtendedStatistics.member.${i + 1} is not a valid extended statistic.`);
    return [name, stat];
  });
}

/** The data of one request's series, unit and minute (or second) merged into one statistic set. */
function addTo(into: Map<string, MetricDatapoint>, series: SeriesId, unit: string, point: DatumSet): void {
  const key = `${series.metricName}\0${series.dimensions}\0${point.timestampMs}\0${unit}`;
  const existing = into.get(key);
  if (existing) merge(existing, point);
  else into.set(key, { ...series, ...point, unit });
}

/** StorageResolution: 1 (high resolution) or 60 (standard, the default); nothing else. */
function isHighResolution(datum: MetricDatum, at: string): boolean {
  const r = datum.StorageResolution;
  if (r !== undefined && r !== 1 && r !== 60) throw invalidValue(`The value ${r} for parameter ${at}.StorageResolution is invalid.`);
  return r === 1;
}

type DatumSet = { timestampMs: number; sum: number; sampleCount: number; min: number; max: number; histogram?: Histogram };

/**
 * One datum's statistic set and time (ms, the caller rounds it), checked as CloudWatch checks it. Its samples reach the
 * histogram when CloudWatch can tell them: single values, Values/Counts, and statistic sets of one
 * sample or of equal Minimum and Maximum; never negative ones.
 */
function datapointOf(datum: MetricDatum, at: string, now: number): DatumSet {
  const kinds = [datum.Value !== undefined && 'Value', datum.StatisticValues !== undefined && 'StatisticValues', datum.Values !== undefined && 'Values'].filter(Boolean);
  if (kinds.length > 1) throw invalidCombination(`The parameters ${at}.${kinds[0]} and ${at}.${kinds[1]} are mutually exclusive and you have specified both.`);
  const time = datum.Timestamp?.getTime() ?? now;
  if (Number.isNaN(time)) throw invalidValue(`The parameter ${at}.Timestamp is not a valid timestamp.`);
  if (time < now - TWO_WEEKS_MS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past.`);
  if (time > now + TWO_HOURS_MS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  const timestampMs = time;
  const finite = (v: number, name: string) => {
    if (!Number.isFinite(v)) throw invalidValue(`The value ${v} for parameter ${at}.${name} is invalid.`);
    return v;
  };
  if (datum.Value !== undefined) {
    const v = finite(datum.Value, 'Value');
    return withHistogram({ timestampMs, sum: v, sampleCount: 1, min: v, max: v }, [[v, 1]]);
  }
  if (datum.StatisticValues !== undefined) {
    const s = datum.StatisticValues;
    if (finite(s.SampleCount, 'StatisticValues.SampleCount') <= 0) throw invalidValue(`The value ${s.SampleCount} for parameter ${at}.StatisticValues.SampleCount is invalid.`);
    if (finite(s.Minimum, 'StatisticValues.Minimum') > finite(s.Maximum, 'StatisticValues.Maximum')) {
      throw invalidValue(`The parameter ${at}.StatisticValues.Minimum must be less than or equal to the parameter ${at}.StatisticValues.Maximum.`);
    }
    const set = { timestampMs, sum: finite(s.Sum, 'StatisticValues.Sum'), sampleCount: s.SampleCount, min: s.Minimum, max: s.Maximum };
    if (s.SampleCount === 1) return withHistogram(set, [[s.Sum, 1]]);
    return s.Minimum === s.Maximum ? withHistogram(set, [[s.Minimum, s.SampleCount]]) : set;
  }
  if (datum.Values !== undefined) {
    const counts = datum.Counts ?? datum.Values.map(() => 1);
    if (counts.length !== datum.Values.length) throw invalidValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    if (!datum.Values.length) throw missingParameter(`${at}.Values`);
    const set = { timestampMs, sum: 0, sampleCount: 0, min: Infinity, max: -Infinity };
    const samples = datum.Values.map((raw, j): [number, number] => {
      const v = finite(raw, `Values.member.${j + 1}`);
      const c = finite(counts[j], `Counts.member.${j + 1}`);
      set.sum += v * c;
      set.sampleCount += c;
      set.min = Math.min(set.min, v);
      set.max = Math.max(set.max, v);
      return [v, c];
    });
    return withHistogram(set, samples);
  }
  throw missingParameter(`${at}.Value`);
}

/** The set with its samples' histogram, unless one is negative (CloudWatch then has no percentiles). */
function withHistogram(set: DatumSet, samples: [value: number, count: number][]): DatumSet {
  if (samples.some(([v]) => v < 0)) return set;
  const histogram = new Histogram();
  for (const [v, c] of samples) histogram.add(v, c);
  return { ...set, histogram };
}

function compare(a: SeriesId, b: SeriesId): number {
  const ka = `${a.namespace}\0${a.metricName}\0${a.dimensions}`;
  const kb = `${b.namespace}\0${b.metricName}\0${b.dimensions}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function decodeToken(token: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // falls through to the error
  }
  throw invalidValue('The service cannot process the request because the NextToken is invalid.');
}
