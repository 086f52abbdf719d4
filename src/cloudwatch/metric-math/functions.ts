// The metric math functions, as CloudWatch's "Metric math syntax and functions" describes them.
// Where the guide is silent (edges of FILL, STDDEV's divisor, MIN/MAX over an array with gaps)
// the choice is noted; docs/compatibility.md lists them.
import type { MathContext } from './evaluator.js';
import {
  MathError, arrayValue, describe, makeSeries, mapSeries, perSeries, pointsOf, scalar, seriesList, seriesValue,
  type DropCounter, type Series, type Value,
} from './values.js';

type MathFunction = (args: Value[], ctx: MathContext) => Value;

function arity(fn: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new MathError(`${fn} takes ${wanted} argument${max === 1 ? '' : 's'}, not ${args.length}.`);
  }
}

function number(fn: string, v: Value): number {
  if (v.kind !== 'scalar') throw new MathError(`${fn} expects a number here, not ${describe(v)}.`);
  return v.value;
}

function keyword(fn: string, v: Value, allowed: string[]): string {
  if (v.kind !== 'keyword' || !allowed.includes(v.name)) throw new MathError(`${fn} expects one of ${allowed.join(', ')} here.`);
  return v.name;
}

/** Each value through `f` (ABS, CEIL, …). */
const pointwise = (fn: string, f: (v: number) => number): MathFunction => (args, ctx) => {
  arity(fn, args, 1);
  return perSeries(args[0], fn, (s) => mapSeries(s, f, ctx.drops));
};

type Reducer = (values: number[]) => number;
const sum: Reducer = (vs) => vs.reduce((a, b) => a + b, 0);
const avg: Reducer = (vs) => sum(vs) / vs.length;
/** Population standard deviation (Stagecraft's choice: the guide does not say which). */
const stddev: Reducer = (vs) => {
  const mean = avg(vs);
  return Math.sqrt(avg(vs.map((v) => (v - mean) ** 2)));
};

/**
 * A reducer: of one series, a number (over its datapoints); of an array, a series (over the
 * series at each timestamp). `zeroFill`: a series without a value at a timestamp counts as 0
 * (the guide says so for AVG; SUM is the same either way).
 */
const reducer = (fn: string, f: Reducer, zeroFill: boolean): MathFunction => (args, ctx) => {
  arity(fn, args, 1);
  const { items, array } = seriesList(args[0], fn);
  if (!array) return scalar(f(items[0].values));
  const maps = items.map(pointsOf);
  const times = new Set(items.flatMap((s) => s.timestamps));
  return seriesValue(makeSeries({ label: '', periodMs: items[0]?.periodMs ?? ctx.grid.periodMs }, [...times].map((t) => {
    const present = maps.flatMap((m) => (m.has(t) ? [m.get(t)!] : zeroFill ? [0] : []));
    return [t, f(present)];
  }), ctx.drops));
};

/** Each datapoint against the one before it (the first has none and is left out). */
const consecutive = (fn: string, f: (v: number, prev: number, dtSeconds: number) => number): MathFunction => (args, ctx) => {
  arity(fn, args, 1);
  return perSeries(args[0], fn, (s) => makeSeries(s, s.timestamps.slice(1).map((t, i) => [t, f(s.values[i + 1], s.values[i], (t - s.timestamps[i]) / 1000)]), ctx.drops));
};

/** The period starts of the request's range for a series of period `periodMs`. */
function grid(ctx: MathContext, periodMs: number): number[] {
  const out: number[] = [];
  for (let t = ctx.grid.startMs - (ctx.grid.startMs % periodMs); t < ctx.grid.endMs; t += periodMs) out.push(t);
  return out;
}

/** A series with a value at every period of the range, from its timestamp (MINUTE, DAY, …). */
const timeFunction = (fn: string, f: (d: Date) => number): MathFunction => (args, ctx) => {
  arity(fn, args, 1);
  return perSeries(args[0], fn, (s) => makeSeries(s, grid(ctx, s.periodMs).map((t) => [t, f(new Date(t))]), ctx.drops));
};

function fill(s: Series, filler: Value, ctx: MathContext): Series {
  const have = pointsOf(s);
  const times = [...new Set([...grid(ctx, s.periodMs), ...s.timestamps])].sort((a, b) => a - b);
  const value = fillerFor(s, filler);
  return makeSeries(s, times.flatMap((t): [number, number][] => {
    const v = have.get(t) ?? value(t);
    return v === undefined ? [] : [[t, v]];
  }), ctx.drops);
}

/** What a gap at `t` is filled with; REPEAT and LINEAR take an edge gap's nearest value (Stagecraft's choice). */
function fillerFor(s: Series, filler: Value): (t: number) => number | undefined {
  if (filler.kind === 'scalar') return () => filler.value;
  if (filler.kind === 'series') {
    const other = pointsOf(filler.series);
    return (t) => other.get(t);
  }
  const mode = keyword('FILL', filler, ['REPEAT', 'LINEAR']);
  const { timestamps: ts, values: vs } = s;
  return (t) => {
    if (!ts.length) return undefined;
    const next = ts.findIndex((x) => x > t);
    if (next === 0) return vs[0];
    if (next < 0) return vs[vs.length - 1];
    if (mode === 'REPEAT') return vs[next - 1];
    const [t0, t1, v0, v1] = [ts[next - 1], ts[next], vs[next - 1], vs[next]];
    return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  };
}

/** IF(condition, whenTrue, whenFalse?) per the guide's table of syntaxes. */
function ifFunction(args: Value[], ctx: MathContext): Value {
  arity('IF', args, 2, 3);
  const [cond, whenTrue, whenFalse] = args;
  for (const v of args) if (v.kind !== 'scalar' && v.kind !== 'series') throw new MathError(`IF takes numbers and time series, not ${describe(v)}.`);
  if (cond.kind === 'scalar') {
    const chosen = cond.value !== 0 ? whenTrue : whenFalse;
    if (chosen) return chosen;
    return seriesValue({ label: '', timestamps: [], values: [], periodMs: ctx.grid.periodMs });
  }
  const c = (cond as { series: Series }).series;
  const lookup = (v: Value | undefined): ((t: number, missing: number | undefined) => number | undefined) => {
    if (v === undefined) return () => undefined;
    if (v.kind === 'scalar') return () => v.value;
    const points = pointsOf((v as { series: Series }).series);
    return (t, missing) => points.get(t) ?? missing;
  };
  const [onTrue, onFalse] = [lookup(whenTrue), lookup(whenFalse)];
  return seriesValue(makeSeries(c, c.timestamps.flatMap((t, i): [number, number][] => {
    // A true datapoint missing in whenTrue is 0; a false one missing in whenFalse is dropped.
    const v = c.values[i] !== 0 ? onTrue(t, 0) : onFalse(t, undefined);
    return v === undefined ? [] : [[t, v]];
  }), ctx.drops));
}

function metrics(args: Value[], ctx: MathContext): Value {
  arity('METRICS', args, 0, 1);
  const filter = args[0];
  if (filter && filter.kind !== 'string') throw new MathError(`METRICS takes a string, not ${describe(filter)}.`);
  return arrayValue(ctx.metrics().filter((m) => !filter || m.id.includes(filter.value)).map((m) => m.series));
}

const arrayArg = (fn: string, v: Value): Series[] => {
  if (v.kind !== 'array') throw new MathError(`${fn} takes an array of time series, not ${describe(v)}.`);
  return v.items;
};

const SORT_BY: Record<string, Reducer> = {
  AVG: avg, SUM: sum, MIN: (vs) => Math.min(...vs), MAX: (vs) => Math.max(...vs),
};

function sort(args: Value[]): Value {
  arity('SORT', args, 3, 4);
  const items = arrayArg('SORT', args[0]);
  const by = SORT_BY[keyword('SORT', args[1], Object.keys(SORT_BY))];
  const order = keyword('SORT', args[2], ['ASC', 'DESC']) === 'ASC' ? 1 : -1;
  const key = (s: Series) => (s.values.length ? by(s.values) : -Infinity);
  const sorted = [...items].sort((a, b) => order * (key(a) - key(b)));
  return arrayValue(args[3] === undefined ? sorted : sorted.slice(0, number('SORT', args[3])));
}

function slice(args: Value[]): Value {
  arity('SLICE', args, 2, 3);
  const items = arrayArg('SLICE', args[0]);
  const start = number('SLICE', args[1]);
  return arrayValue(items.slice(start, args[2] === undefined ? undefined : number('SLICE', args[2])));
}

const firstOrLast = (fn: string, pick: (items: Series[]) => Series | undefined): MathFunction => (args, ctx) => {
  arity(fn, args, 1);
  return seriesValue(pick(arrayArg(fn, args[0])) ?? { label: '', timestamps: [], values: [], periodMs: ctx.grid.periodMs });
};

function timeSeries(args: Value[], ctx: MathContext): Value {
  arity('TIME_SERIES', args, 1);
  const v = number('TIME_SERIES', args[0]);
  return seriesValue(makeSeries({ label: '', periodMs: ctx.grid.periodMs }, grid(ctx, ctx.grid.periodMs).map((t) => [t, v]), ctx.drops));
}

function runningSum(s: Series, drops: DropCounter): Series {
  let total = 0;
  return mapSeries(s, (v) => (total += v), drops);
}

const unsupported = (fn: string): MathFunction => () => {
  throw new MathError(`The function ${fn} is not supported by Stagecraft.`);
};

export const FUNCTIONS: Record<string, MathFunction> = {
  ABS: pointwise('ABS', Math.abs),
  CEIL: pointwise('CEIL', Math.ceil),
  FLOOR: pointwise('FLOOR', Math.floor),
  LOG: pointwise('LOG', Math.log),
  LOG10: pointwise('LOG10', Math.log10),
  AVG: reducer('AVG', avg, true),
  SUM: reducer('SUM', sum, true),
  STDDEV: reducer('STDDEV', stddev, true),
  // Of an array: over the series that have a value there (Stagecraft's choice).
  MAX: reducer('MAX', (vs) => (vs.length ? Math.max(...vs) : NaN), false),
  MIN: reducer('MIN', (vs) => (vs.length ? Math.min(...vs) : NaN), false),
  DATAPOINT_COUNT: reducer('DATAPOINT_COUNT', (vs) => vs.length, false),
  DIFF: consecutive('DIFF', (v, prev) => v - prev),
  DIFF_TIME: consecutive('DIFF_TIME', (_v, _prev, dt) => dt),
  RATE: consecutive('RATE', (v, prev, dt) => (v - prev) / dt),
  RUNNING_SUM: (args, ctx) => {
    arity('RUNNING_SUM', args, 1);
    return perSeries(args[0], 'RUNNING_SUM', (s) => runningSum(s, ctx.drops));
  },
  FILL: (args, ctx) => {
    arity('FILL', args, 2);
    if (args[1].kind === 'array') throw new MathError('FILL takes a number, a time series, REPEAT or LINEAR as its second argument.');
    return perSeries(args[0], 'FILL', (s) => fill(s, args[1], ctx));
  },
  IF: ifFunction,
  METRICS: metrics,
  METRIC_COUNT: (args) => {
    arity('METRIC_COUNT', args, 1);
    return scalar(arrayArg('METRIC_COUNT', args[0]).length);
  },
  REMOVE_EMPTY: (args) => {
    arity('REMOVE_EMPTY', args, 1);
    return arrayValue(arrayArg('REMOVE_EMPTY', args[0]).filter((s) => s.values.length > 0));
  },
  FIRST: firstOrLast('FIRST', (items) => items[0]),
  LAST: firstOrLast('LAST', (items) => items[items.length - 1]),
  SORT: sort,
  SLICE: slice,
  PERIOD: (args) => {
    arity('PERIOD', args, 1);
    if (args[0].kind !== 'series') throw new MathError(`PERIOD takes a metric, not ${describe(args[0])}.`);
    return scalar(args[0].series.periodMs / 1000);
  },
  TIME_SERIES: timeSeries,
  MINUTE: timeFunction('MINUTE', (d) => d.getUTCMinutes()),
  HOUR: timeFunction('HOUR', (d) => d.getUTCHours()),
  // 1 = Monday … 7 = Sunday.
  DAY: timeFunction('DAY', (d) => d.getUTCDay() || 7),
  DATE: timeFunction('DATE', (d) => d.getUTCDate()),
  MONTH: timeFunction('MONTH', (d) => d.getUTCMonth() + 1),
  YEAR: timeFunction('YEAR', (d) => d.getUTCFullYear()),
  EPOCH: timeFunction('EPOCH', (d) => d.getTime() / 1000),
  SEARCH: unsupported('SEARCH'),
  ANOMALY_DETECTION_BAND: unsupported('ANOMALY_DETECTION_BAND'),
  INSIGHT_RULE_METRIC: unsupported('INSIGHT_RULE_METRIC'),
  SERVICE_QUOTA: unsupported('SERVICE_QUOTA'),
  LAMBDA: unsupported('LAMBDA'),
};
