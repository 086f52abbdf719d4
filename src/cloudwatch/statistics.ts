// Statistic sets merged into periods, and the statistics CloudWatch computes from them. Only the
// five basic statistics exist here: percentiles need the samples' distribution, which per-minute
// statistic sets do not keep (docs/compatibility.md).
import type { StatisticSet } from '../store/cloudwatch-store.js';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = typeof BASIC_STATISTICS[number];

export const isBasicStatistic = (s: string): s is BasicStatistic => (BASIC_STATISTICS as readonly string[]).includes(s);

export interface PeriodSet extends StatisticSet {
  /** Start of the period (epoch ms). */
  timestampMs: number;
  unit?: string;
}

export function merge(into: StatisticSet, add: StatisticSet): void {
  into.sum += add.sum;
  into.sampleCount += add.sampleCount;
  if (add.min < into.min) into.min = add.min;
  if (add.max > into.max) into.max = add.max;
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
      byStart.set(start, { timestampMs: start, sum: p.sum, sampleCount: p.sampleCount, min: p.min, max: p.max, unit: p.unit });
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
