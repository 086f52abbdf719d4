// What metric math computes with: scalars, time series (TS), arrays of time series (TS[]), and the
// string and keyword arguments some functions take; and the one rule every operation shares: a
// datapoint whose value comes out NaN or infinite (a division by zero) is dropped, and the result
// says so (CloudWatch's ArithmeticError message).

/** A time series: timestamps (epoch ms, ascending) and their values. */
export interface Series {
  label: string;
  timestamps: number[];
  values: number[];
  /** The period of the metric it comes from (ms); PERIOD() reads it. */
  periodMs: number;
}

export type Value =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: Series }
  | { kind: 'array'; items: Series[] }
  | { kind: 'string'; value: string }
  | { kind: 'keyword'; name: string };

/** An error in an expression: GetMetricData reports it as a ValidationError naming the query. */
export class MathError extends Error {}

export const scalar = (value: number): Value => ({ kind: 'scalar', value });
export const seriesValue = (series: Series): Value => ({ kind: 'series', series });
export const arrayValue = (items: Series[]): Value => ({ kind: 'array', items });

export const describe = (v: Value): string =>
  ({ scalar: 'a number', series: 'a time series', array: 'an array of time series', string: 'a string', keyword: `the keyword ${v.kind === 'keyword' ? v.name : ''}` })[v.kind];

/** Counts the datapoints dropped for a non-numeric value while one expression is evaluated. */
export class DropCounter {
  dropped = 0;
}

/** A series from (timestamp, value) pairs in any order; non-finite values are dropped and counted. */
export function makeSeries(like: Pick<Series, 'label' | 'periodMs'>, points: Iterable<[number, number]>, drops: DropCounter): Series {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const [t, v] of sorted) {
    if (!Number.isFinite(v)) {
      drops.dropped++;
      continue;
    }
    timestamps.push(t);
    values.push(v);
  }
  return { label: like.label, periodMs: like.periodMs, timestamps, values };
}

export function pointsOf(s: Series): Map<number, number> {
  return new Map(s.timestamps.map((t, i) => [t, s.values[i]]));
}

/** Each datapoint through `f`. */
export function mapSeries(s: Series, f: (v: number, t: number) => number, drops: DropCounter): Series {
  return makeSeries(s, s.timestamps.map((t, i) => [t, f(s.values[i], t)]), drops);
}

/**
 * Two series point by point, over the timestamps of either: a value missing in one is taken as
 * 0, as CloudWatch documents for arithmetic and comparisons.
 */
export function combineSeries(a: Series, b: Series, f: (x: number, y: number) => number, drops: DropCounter): Series {
  const pa = pointsOf(a);
  const pb = pointsOf(b);
  const times = new Set([...a.timestamps, ...b.timestamps]);
  return makeSeries(a, [...times].map((t) => [t, f(pa.get(t) ?? 0, pb.get(t) ?? 0)]), drops);
}

/** A TS or TS[] argument as a list (and whether it was an array). */
export function seriesList(v: Value, fn: string): { items: Series[]; array: boolean } {
  if (v.kind === 'series') return { items: [v.series], array: false };
  if (v.kind === 'array') return { items: v.items, array: true };
  throw new MathError(`${fn} takes a time series or an array of time series, not ${describe(v)}.`);
}

/** The result of applying a per-series function to a TS or a TS[], in the same shape. */
export function perSeries(v: Value, fn: string, f: (s: Series) => Series): Value {
  const { items, array } = seriesList(v, fn);
  return array ? arrayValue(items.map(f)) : seriesValue(f(items[0]));
}
