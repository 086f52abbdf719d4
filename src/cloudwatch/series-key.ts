// How a metric series is named: its dimensions in one canonical form (sorted by name), so the
// same set sent in any order is the same series, in memory and in the store.
import type { SeriesId } from '../store/cloudwatch-store.js';

export interface Dimension {
  Name: string;
  Value: string;
}

export function canonicalDimensions(dimensions: readonly Dimension[] | undefined): string {
  if (!dimensions?.length) return '[]';
  const sorted = [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify(sorted.map((d) => ({ Name: d.Name, Value: d.Value })));
}

export function parseDimensions(canonical: string): Dimension[] {
  return JSON.parse(canonical) as Dimension[];
}

/** One string naming a series (for Maps). */
export function seriesKey(s: SeriesId): string {
  return `${s.accountId}\0${s.region}\0${s.namespace}\0${s.metricName}\0${s.dimensions}`;
}
