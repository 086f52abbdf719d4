// Usage-plan quota periods: calendar days, weeks (Monday to Sunday) and months in UTC, named by
// their days as yyyy-MM-dd (how counts are stored and GetUsage speaks). A plan's quota `offset`
// is, as AWS documents it, the number of requests subtracted from the limit in the initial
// period: here the period the plan was created in.
import type { QuotaSettings } from '../aws/generated/apigateway.js';

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
const DAY_MS = 86_400_000;

/** The start (epoch ms, UTC) of the quota period containing `now`; weeks start on Monday. */
export function periodStart(period: QuotaPeriod, now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

/** The UTC day of `ms` as yyyy-MM-dd. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Epoch ms of a yyyy-MM-dd day, or undefined when it is not a real date in that form. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || dayOf(ms) !== text ? undefined : ms;
}

/** The first and last day (inclusive) of the period containing `now`. */
export function periodDays(period: QuotaPeriod, now: number): { first: string; last: string } {
  const start = periodStart(period, now);
  const d = new Date(start);
  const next = period === 'DAY' ? start + DAY_MS
    : period === 'WEEK' ? start + 7 * DAY_MS
      : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { first: dayOf(start), last: dayOf(next - DAY_MS) };
}

/** The days from `first` to `last` inclusive. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let ms = parseDay(first)!, end = parseDay(last)!; ms <= end; ms += DAY_MS) days.push(dayOf(ms));
  return days;
}

/** A quota in force: its period and the requests allowed in the period containing `now`. */
export interface QuotaInForce {
  period: QuotaPeriod;
  limit: number;
}

/** The plan's quota at `now`, the offset taken off in the period the plan was created in; undefined without one. */
export function quotaAt(quota: Readonly<QuotaSettings> | undefined, createdDate: number | undefined, now: number): QuotaInForce | undefined {
  if (quota?.limit === undefined || !quota.period) return undefined;
  const initial = createdDate !== undefined && periodStart(quota.period, createdDate) === periodStart(quota.period, now);
  return { period: quota.period, limit: quota.limit - (initial ? quota.offset ?? 0 : 0) };
}
