// GetMetricData: MetricStat queries read from a metric source, metric math expressions evaluated
// over them (and over each other), results labelled as CloudWatch labels them, then paged.
import type { GetMetricDataInput, GetMetricDataOutput, MessageData, MetricStat } from '../aws/generated/cloudwatch.js';
import { checkTimeRange, validationError } from './errors.js';
import { checkQueries, type CheckedQuery } from './metric-data-queries.js';
import { maxDatapoints, page, type FullResult } from './metric-data-pages.js';
import { evaluate, type MathContext } from './metric-math/evaluator.js';
import { DropCounter, MathError, describe, seriesValue, type Series, type Value } from './metric-math/values.js';

export interface MetricSource {
  isStatistic(stat: string): boolean;
  /** A MetricStat's statistic per period of [start, end), oldest first, and the period it used (ms). */
  read(stat: MetricStat, start: Date, end: Date): Promise<{ periodMs: number; points: [number, number][] }>;
}

/** CloudWatch's message on a result some of whose datapoints came out NaN or infinite (and were dropped). */
const ARITHMETIC_ERROR: MessageData = {
  Code: 'ArithmeticError',
  Value: 'One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)',
};
const MINUTE_MS = 60_000;

export interface TimeRange {
  start: Date;
  end: Date;
}

const expressionError = (id: string, message: string) => validationError(`Error in expression ${id}: ${message}\n`);

export async function getMetricData(input: GetMetricDataInput, source: MetricSource): Promise<GetMetricDataOutput> {
  checkTimeRange(input.StartTime, input.EndTime, validationError);
  maxDatapoints(input);
  const checked = checkQueries(input.MetricDataQueries, (s) => source.isStatistic(s));
  const results = await queryResults(checked, { start: input.StartTime, end: input.EndTime }, source);
  if (input.ScanBy !== 'TimestampAscending') {
    for (const r of results) {
      r.timestamps.reverse();
      r.values.reverse();
    }
  }
  return { ...page(results, input), Messages: [] };
}

/**
 * The returned queries' results over [start, end), datapoints oldest first, in request order:
 * what GetMetricData pages, and what an alarm on metric math would evaluate.
 */
export async function queryResults(checked: CheckedQuery[], range: TimeRange, source: MetricSource): Promise<FullResult[]> {
  const metrics = await readMetrics(checked, range, source);
  const values = evaluateAll(checked, metrics, range);
  const results: FullResult[] = [];
  for (const c of checked) {
    if (c.query.ReturnData === false) continue;
    const { value, dropped } = values.get(c.query.Id)!;
    const Messages = dropped ? [ARITHMETIC_ERROR] : [];
    const add = (Label: string, s: Series) => results.push({ Id: c.query.Id, Label, timestamps: [...s.timestamps], values: [...s.values], Messages });
    if (value.kind === 'series') add(c.query.Label ?? (c.kind === 'metric' ? value.series.label : c.query.Id), value.series);
    else if (value.kind === 'array') for (const s of value.items) add(c.query.Label ? (s.label ? `${c.query.Label} ${s.label}` : c.query.Label) : s.label, s);
    else throw expressionError(c.query.Id, `The expression must return a time series or an array of time series, not ${describe(value)}.`);
  }
  return results;
}

async function readMetrics(checked: CheckedQuery[], range: TimeRange, source: MetricSource): Promise<Map<string, Series>> {
  const reads = checked.flatMap((c) => (c.kind === 'metric' ? [c] : [])).map(async (c): Promise<[string, Series]> => {
    const { periodMs, points } = await source.read(c.stat, range.start, range.end);
    const label = c.query.Label ?? c.stat.Metric.MetricName!;
    return [c.query.Id, { label, periodMs, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) }];
  });
  return new Map(await Promise.all(reads));
}

/**
 * Every query's value (a metric's series, an expression's result) and how many datapoints it
 * dropped. Expressions are evaluated once each, on first use; the checks ruled out cycles.
 */
function evaluateAll(checked: CheckedQuery[], metrics: Map<string, Series>, range: TimeRange): Map<string, { value: Value; dropped: number }> {
  const expressions = new Map(checked.flatMap((c) => (c.kind === 'expression' ? [[c.query.Id, c] as const] : [])));
  const metricList = [...metrics.entries()].map(([id, series]) => ({ id, series }));
  // An expression without a Period uses the request's shortest metric period (Stagecraft's choice).
  const defaultPeriodMs = metricList.length ? Math.min(...metricList.map((m) => m.series.periodMs)) : MINUTE_MS;
  const out = new Map<string, { value: Value; dropped: number }>();
  for (const [id, series] of metrics) out.set(id, { value: seriesValue(series), dropped: 0 });
  const valueOf = (id: string): Value => {
    const known = out.get(id);
    if (known) return known.value;
    const c = expressions.get(id)!;
    const ctx: MathContext = {
      resolve: valueOf,
      metrics: () => metricList,
      grid: {
        startMs: range.start.getTime(),
        endMs: range.end.getTime(),
        periodMs: c.query.Period === undefined ? defaultPeriodMs : c.query.Period * 1000,
      },
      drops: new DropCounter(),
    };
    try {
      const value = evaluate(c.tree, ctx);
      out.set(id, { value, dropped: ctx.drops.dropped });
      return value;
    } catch (e) {
      if (e instanceof MathError) throw expressionError(id, e.message);
      throw e;
    }
  };
  for (const id of expressions.keys()) valueOf(id);
  return out;
}
