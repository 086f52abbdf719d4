// Statistic sets merged into periods, and the statistics CloudWatch computes from them: the five
// basic ones here, the extended ones (percentiles...) from the sets' histograms in
// ./extended-statistics.ts.
import type { StatisticSet } from '../store/cloudwatch-store.js';
import { extendedStatistic, parseExtendedStatistic } from './extended-statistics.js';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = typeof BASIC_STATISTICS[number];

export const isBasicStatistic = (s: string): s is BasicStatistic => (BASIC_STATISTICS as readonly string[]).includes(s);

export interface PeriodSet extends StatisticSet {
  /** Start of the period (epoch ms). */
  timestampMs: number;
  unit?: string;
}

/** Adds `add` to `into` (whose histogram it may change: `into` must own it). */
export function merge(into: StatisticSet, add: StatisticSet): void {
  into.sum += add.sum;
  into.sampleCount += add.sampleCount;
  if (add.min < into.min) into.min = add.min;
  if (add.max > into.max) into.max = add.max;
  // A set without a histogram leaves the sum's short of samples: no percentiles, as intended.
  if (add.histogram) {
    if (into.histogram) into.histogram.merge(add.histogram);
    else into.histogram = add.histogram.copy();
  }
}

/** Minutes (any order, several per minute allowed) merged into periods aligned to multiples of `periodMs`, oldest first. */
export function toPeriods(points: readonly (StatisticSet & { timestampMs: number; unit?: string })[], periodMs: number): PeriodSet[] {
  const byStart = new Map<number, PeriodSet>();
  for (const p of points) {
    const start = p.timestampMs - (p.timestampMs % periodMs);
    const set = byStart.get(start);
    if (set) {
      merge(set, p);
      set.unit ??= p.unit;
    } else {
      byStart.set(start, { timestampMs: start, sum: p.sum, sampleCount: p.sampleCount, min: p.min, max: p.max, unit: p.unit, ...(p.histogram && { histogram: p.histogram.copy() }) });
    }
  }
  return [...byStart.values()].sort((a, b) => a.timestampMs - b.timestampMs);
}

export function statistic(set: StatisticSet, stat: BasicStatistic): number {
  switch (stat) {
    case 'SampleCount': return set.sampleCount;
    case 'Sum': return set.sum;
    case 'Minimum': return set.min;
    case 'Maximum': return set.max;
    case 'Average': return set.sampleCount ? set.sum / set.sampleCount : 0;
  }
}

/** A basic or extended statistic by name; undefined where the period has no value for it (see extendedStatistic). */
export function statisticByName(set: StatisticSet, name: string): number | undefined {
  if (isBasicStatistic(name)) return statistic(set, name);
  const stat = parseExtendedStatistic(name);
  return stat && extendedStatistic(set, stat);
}
