// One evaluation of a metric alarm, as CloudWatch documents it: the last EvaluationPeriods periods
// (the current one included, so an alarm reacts as soon as its data is recorded; an ALARM of the
// complete periods' window holds until the next period is complete, as on AWS), M of N breaching
// datapoints (DatapointsToAlarm) for ALARM, and TreatMissingData for periods without data:
// missing — skipped (all missing: INSUFFICIENT_DATA); notBreaching / breaching — counted as such;
// ignore — skipped, and with all missing the state stays as it is. A period without a value for
// the alarm's extended statistic (no percentiles of statistic sets) counts as missing; with
// EvaluateLowSampleCountPercentile `ignore`, a window holding a period of too few samples for its
// percentile (AWS's rule, tooFewSamples) leaves the state as it is. A metric math alarm's
// expression results go through the same rules (evaluateDatapoints).
import type { AlarmRecord, AlarmState, ComparisonOperator } from './alarm-record.js';
import { statisticByName, type PeriodSet } from './statistics.js';
import { parseExtendedStatistic, tooFewSamples } from './extended-statistics.js';

export interface Evaluation {
  state: AlarmState;
  reason: string;
  reasonData: string;
}

const PHRASES: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

/** The start (epoch ms) of the first period an evaluation at `nowMs` reads. */
export function windowStart(alarm: { Period: number; EvaluationPeriods: number }, nowMs: number): number {
  const periodMs = alarm.Period * 1000;
  return nowMs - (nowMs % periodMs) - (alarm.EvaluationPeriods - 1) * periodMs;
}

/** One period's value as an alarm evaluates it (a metric's statistic, or a math expression's result). */
export interface AlarmDatapoint {
  timestampMs: number;
  value: number;
  /** A metric's samples in the period; math results have none (and StateReasonData shows none). */
  sampleCount?: number;
  /** Too few samples for the alarm's percentile (EvaluateLowSampleCountPercentile). */
  tooFewSamples?: boolean;
}

/** What the datapoints are: their period (s) and, for a single-metric alarm, the statistic. */
export interface Watched {
  period: number;
  statistic?: string;
}

/** The alarm's state from its metric's periods (any periods outside the window are ignored). */
export function evaluate(alarm: AlarmRecord, periods: readonly PeriodSet[], nowMs: number): Evaluation {
  const statName = alarm.Statistic ?? alarm.ExtendedStatistic!;
  const extended = alarm.ExtendedStatistic === undefined ? undefined : parseExtendedStatistic(alarm.ExtendedStatistic);
  const points = periods.flatMap((p): AlarmDatapoint[] => {
    const value = statisticByName(p, statName);
    if (value === undefined) return [];
    return [{ timestampMs: p.timestampMs, value, sampleCount: p.sampleCount, tooFewSamples: extended !== undefined && tooFewSamples(extended, p.sampleCount) }];
  });
  return evaluateDatapoints(alarm, points, { period: alarm.Period!, statistic: statName }, nowMs);
}

/** The alarm's state from one value per period (a metric's statistic or a math expression's results). */
export function evaluateDatapoints(alarm: AlarmRecord, points: readonly AlarmDatapoint[], watched: Watched, nowMs: number): Evaluation {
  const periodMs = watched.period * 1000;
  const start = windowStart({ Period: watched.period, EvaluationPeriods: alarm.EvaluationPeriods }, nowMs);
  const latest = evaluateWindow(alarm, points, watched, nowMs, start);
  if (latest.state === 'ALARM') return latest;
  // The window of complete periods (CloudWatch's): its ALARM holds until the period after the
  // breach is complete, and it decides while the current period has no data yet.
  const complete = evaluateWindow(alarm, points, watched, nowMs, start - periodMs);
  return complete.state === 'ALARM' || !latest.currentHasData ? complete : latest;
}

function evaluateWindow(alarm: AlarmRecord, points: readonly AlarmDatapoint[], watched: Watched, nowMs: number, start: number): Evaluation & { currentHasData: boolean } {
  const periodMs = watched.period * 1000;
  const n = alarm.EvaluationPeriods;
  const m = alarm.DatapointsToAlarm ?? n;
  const byStart = new Map(points.map((p) => [p.timestampMs, p]));
  // Newest first, as CloudWatch lists recent datapoints.
  const window = Array.from({ length: n }, (_, i) => byStart.get(start + (n - 1 - i) * periodMs));
  const present = window.filter((p): p is AlarmDatapoint => p !== undefined);
  const breaching = present.filter((p) => breaches(alarm.ComparisonOperator, p.value, alarm.Threshold));
  const missing = n - present.length;
  const treat = alarm.TreatMissingData ?? 'missing';
  const breachingCount = breaching.length + (treat === 'breaching' ? missing : 0);
  const lowSamples = alarm.EvaluateLowSampleCountPercentile === 'ignore' && present.some((p) => p.tooFewSamples);

  let state: AlarmState;
  if (lowSamples) state = alarm.StateValue;
  else if (breachingCount >= m) state = 'ALARM';
  else if (present.length === 0 && treat === 'missing') state = 'INSUFFICIENT_DATA';
  else if (present.length === 0 && treat === 'ignore') state = alarm.StateValue;
  else state = 'OK';

  // A math alarm's reason data has no statistic and its datapoints no sample counts (undefined keys drop out).
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: cloudWatchDate(nowMs),
    startDate: cloudWatchDate(start),
    statistic: watched.statistic,
    period: watched.period,
    recentDatapoints: present.map((p) => p.value),
    threshold: alarm.Threshold,
    evaluatedDatapoints: present.map((p) => ({ timestamp: cloudWatchDate(p.timestampMs), sampleCount: p.sampleCount, value: p.value })),
  });
  const reason = reasonFor(alarm, state, present.map((p) => ({ value: p.value, at: p.timestampMs })), breachingCount, missing, m);
  return { state, reason, reasonData, currentHasData: window[0] !== undefined };
}

function reasonFor(alarm: AlarmRecord, state: AlarmState, values: { value: number; at: number }[], breachingCount: number, missing: number, m: number): string {
  if (values.length === 0) {
    const treat = alarm.TreatMissingData ?? 'missing';
    if (state === 'INSUFFICIENT_DATA' || treat === 'ignore') return `Insufficient Data: ${plural(missing, 'datapoint')} ${missing === 1 ? 'was' : 'were'} unknown.`;
    return `No datapoints were received for the last ${plural(missing, 'period')}; missing data is treated as ${treat}.`;
  }
  const listed = values.map((v) => `${formatValue(v.value)} (${shortDate(v.at)})`).join(', ');
  const phrase = PHRASES[alarm.ComparisonOperator];
  const threshold = formatValue(alarm.Threshold);
  const lead = values.length === 1 ? '1 datapoint' : `${values.length} datapoints`;
  const verb = values.length === 1 ? 'was' : 'were';
  if (state === 'ALARM') {
    const counted = alarm.EvaluationPeriods === 1 ? lead : `${breachingCount} out of the last ${alarm.EvaluationPeriods} datapoints`;
    return `Threshold Crossed: ${counted} [${listed}] ${breachingCount === 1 ? 'was' : 'were'} ${phrase} the threshold (${threshold})`
      + ` (minimum ${plural(m, 'datapoint')} for OK -> ALARM transition).`;
  }
  return `Threshold Crossed: ${lead} [${listed}] ${verb} not ${phrase} the threshold (${threshold}).`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Java's rendering of a double, as CloudWatch's reasons show values ("1.0", "2.5"). */
export const formatValue = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/** `dd/MM/yy HH:mm:ss` in UTC, as StateReason lists datapoints. */
function shortDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2026-11-27T08:31:00.000+0000`, as StateReasonData spells dates. */
export const cloudWatchDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
