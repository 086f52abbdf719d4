// CloudWatch's extended statistics, estimated from a period's histogram (./histogram.ts):
// percentiles pNN.NN; trimmed mean, winsorized mean, trimmed count and trimmed sum (tmNN, wmNN,
// tcNN, tsNN, IQM, TM(a:b), WM(a%:b%), TC(a:b), TS(a:b)); and percentile rank PR(a:b). Bounds are
// percentages of the samples ("10%") or metric values ("150"); a value range keeps the samples
// above its lower bound and at or below its upper one, as CloudWatch defines it.
import type { StatisticSet } from '../store/cloudwatch-store.js';
import type { Bucket } from './histogram.js';

interface Bound {
  value: number;
  percent: boolean;
}

export type ExtendedStatistic =
  | { kind: 'p'; percentile: number }
  | { kind: 'TM' | 'WM' | 'TC' | 'TS' | 'PR'; lo?: Bound; hi?: Bound };

const NUMBER = '(\\d+(?:\\.\\d+)?)';
const PERCENTILE = new RegExp(`^p${NUMBER}$`);
const SHORT = new RegExp(`^(tm|wm|tc|ts)${NUMBER}$`);
const RANGE = /^(TM|WM|TC|TS|PR)\(([^:()]*):([^:()]*)\)$/;
const BOUND = new RegExp(`^${NUMBER}(%?)$`);

/** The statistic an extended statistic's name spells, or undefined if it spells none. */
export function parseExtendedStatistic(name: string): ExtendedStatistic | undefined {
  let m = PERCENTILE.exec(name);
  if (m) {
    const percentile = Number(m[1]);
    // Up to two decimal places (p99.99), as CloudWatch documents.
    return percentile <= 100 && !/\.\d{3,}$/.test(m[1]) ? { kind: 'p', percentile } : undefined;
  }
  if (name === 'IQM') return { kind: 'TM', lo: { value: 25, percent: true }, hi: { value: 75, percent: true } };
  m = SHORT.exec(name);
  if (m) {
    const hi = Number(m[2]);
    return hi <= 100 ? { kind: m[1].toUpperCase() as 'TM', hi: { value: hi, percent: true } } : undefined;
  }
  m = RANGE.exec(name);
  if (!m) return undefined;
  const kind = m[1] as 'TM' | 'WM' | 'TC' | 'TS' | 'PR';
  const lo = parseBound(m[2]);
  const hi = parseBound(m[3]);
  if (lo === null || hi === null || (!lo && !hi)) return undefined;
  const bounds = [lo, hi].filter((b): b is Bound => b !== undefined);
  if (bounds.some((b) => b.percent && b.value > 100)) return undefined;
  // Mixed kinds of bounds mean nothing; PR takes values, WM percentages.
  if (bounds.length === 2 && bounds[0].percent !== bounds[1].percent) return undefined;
  if (kind === 'PR' && bounds.some((b) => b.percent)) return undefined;
  if (kind === 'WM' && bounds.some((b) => !b.percent)) return undefined;
  if (lo && hi && lo.value > hi.value) return undefined;
  return { kind, lo, hi };
}

/** undefined for an empty bound, null for one that is not a number. */
function parseBound(text: string): Bound | undefined | null {
  if (text === '') return undefined;
  const m = BOUND.exec(text);
  return m ? { value: Number(m[1]), percent: m[2] === '%' } : null;
}

/**
 * The statistic of a period, or undefined where CloudWatch has none: a period whose samples did not
 * all reach the histogram (published as statistic sets, or negative), or a mean of no samples.
 */
export function extendedStatistic(set: StatisticSet, stat: ExtendedStatistic): number | undefined {
  const h = set.histogram;
  if (!h || set.sampleCount <= 0 || Math.abs(h.count - set.sampleCount) > 1e-9 * set.sampleCount) return undefined;
  const buckets = h.sorted();
  const n = h.count;
  const clamp = (v: number) => Math.min(set.max, Math.max(set.min, v));
  if (stat.kind === 'p') return percentileOf(set, buckets, stat.percentile);

  if (stat.kind === 'PR') {
    const kept = byValue(buckets, stat.lo, stat.hi);
    return (kept.count / n) * 100;
  }
  const percentBounds = stat.lo?.percent ?? stat.hi?.percent ?? true;
  if (stat.kind === 'WM') {
    const loP = stat.lo?.value ?? 0;
    const hiP = stat.hi?.value ?? 100;
    const inside = byRank(buckets, (loP / 100) * n, (hiP / 100) * n, clamp);
    const low = percentileOf(set, buckets, loP);
    const high = percentileOf(set, buckets, hiP);
    return (inside.sum + (loP / 100) * n * low + (1 - hiP / 100) * n * high) / n;
  }
  const kept = percentBounds
    ? byRank(buckets, ((stat.lo?.value ?? 0) / 100) * n, ((stat.hi?.value ?? 100) / 100) * n, clamp)
    : byValue(buckets, stat.lo, stat.hi, clamp);
  switch (stat.kind) {
    case 'TC': return kept.count;
    case 'TS': return kept.sum;
    case 'TM': return kept.count > 0 ? kept.sum / kept.count : undefined;
  }
}

/** Nearest rank: the smallest bucket value with at least `p`% of the samples at or below it (p0, p100: the exact extremes). */
function percentileOf(set: StatisticSet, buckets: readonly Bucket[], p: number): number {
  if (p <= 0) return set.min;
  if (p >= 100) return set.max;
  const n = set.histogram!.count;
  const rank = (p / 100) * n;
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= rank - 1e-9 * n) return Math.min(set.max, Math.max(set.min, b.value));
  }
  return set.max;
}

/** Count and sum of the samples ranked in (fromRank, toRank]: buckets cut at the edges in proportion. */
function byRank(buckets: readonly Bucket[], fromRank: number, toRank: number, clamp: (v: number) => number): { count: number; sum: number } {
  let seen = 0;
  let count = 0;
  let sum = 0;
  for (const b of buckets) {
    const part = Math.max(0, Math.min(seen + b.count, toRank) - Math.max(seen, fromRank));
    count += part;
    sum += part * clamp(b.value);
    seen += b.count;
  }
  return { count, sum };
}

/** Count and sum of the samples in (lo, hi]: a bucket the bound cuts counts in proportion (an interpolation, as CloudWatch's). */
function byValue(buckets: readonly Bucket[], lo: Bound | undefined, hi: Bound | undefined, clamp = (v: number) => v): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (const b of buckets) {
    const from = Math.max(b.low, lo?.value ?? -Infinity);
    const to = Math.min(b.high, hi?.value ?? Infinity);
    if (to <= from) continue;
    const part = b.count * (b.high > b.low ? (to - from) / (b.high - b.low) : 1);
    count += part;
    sum += part * clamp(b.value);
  }
  return { count, sum };
}

/**
 * AWS's low-sample rule for percentile alarms: a period has too few samples to be significant below
 * 10/(1-q) samples for 0.5 <= q < 1, and below 10/q for 0 < q < 0.5 (q the percentile as a fraction).
 */
export function tooFewSamples(stat: ExtendedStatistic, sampleCount: number): boolean {
  if (stat.kind !== 'p') return false;
  // In percent (10/(1-q) = 1000/(100-p)), so p90's 100 samples are not 100.00000000000003.
  const p = stat.percentile;
  if (p >= 50 && p < 100) return sampleCount < 1000 / (100 - p);
  if (p > 0 && p < 50) return sampleCount < 1000 / p;
  return false;
}
