// Alarms on metric math (PutMetricAlarm `Metrics`): the queries checked as CloudWatch checks them
// for an alarm, and the watched query's datapoints read through the same code GetMetricData uses
// (queryResults), so an alarm sees what a graph of the expression shows.
import type { MetricDataQuery, PutMetricAlarmInput } from '../aws/generated/cloudwatch.js';
import { checkQueries } from './metric-data-queries.js';
import { queryResults, type MetricSource } from './metric-data.js';
import { functionsCalled } from './metric-math/parser.js';
import { validationError } from './errors.js';
import { isStatistic, periodMs } from './metric-source.js';
import type { AlarmDatapoint } from './alarm-evaluation.js';

/** An alarm may read at most 10 metrics and compute at most 10 expressions (AWS's limits). */
const MAX_METRICS = 10;
const MAX_EXPRESSIONS = 10;
/** PutMetricAlarm's members that name a single metric, refused beside Metrics (AWS's rule and message). */
const SINGLE_METRIC_MEMBERS = ['Namespace', 'MetricName', 'Period', 'Unit', 'Statistic', 'ExtendedStatistic'] as const;
/** Functions CloudWatch does not allow in alarms. */
const NOT_IN_ALARMS = ['SEARCH'];
const NO_DATA: MetricSource = { isStatistic, read: async (stat) => ({ periodMs: periodMs(stat.Period), points: [] }) };

/** The query an alarm watches: ReturnData true, or unset (it defaults to true, as in GetMetricData). */
export const returnsData = (q: MetricDataQuery): boolean => q.ReturnData !== false;

/**
 * The period (s) of the watched query's datapoints: a metric's own, an expression's Period, or
 * else its metrics' shortest (as GetMetricData evaluates an expression without a Period).
 */
export function mathAlarmPeriod(metrics: readonly MetricDataQuery[]): number {
  const watched = metrics.find(returnsData);
  if (watched?.MetricStat) return watched.MetricStat.Period;
  if (watched?.Period !== undefined) return watched.Period;
  const periods = metrics.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
  return periods.length ? Math.min(...periods) : 60;
}

/** PutMetricAlarm's Metrics checked for an alarm (throws a ValidationError); the watched period (s). */
export async function checkMathAlarm(input: PutMetricAlarmInput): Promise<number> {
  const metrics = input.Metrics ?? [];
  for (const member of SINGLE_METRIC_MEMBERS) {
    if (input[member] !== undefined) throw validationError(`${member} should not be set if list of Metrics is set.`);
  }
  if (input.Dimensions?.length) throw validationError('Dimensions should not be set if list of Metrics is set.');
  const stats = metrics.filter((q) => q.MetricStat !== undefined).length;
  if (stats > MAX_METRICS) throw validationError(`Alarms on metric math expressions cannot contain more than ${MAX_METRICS} metrics (MetricStat).`);
  if (metrics.length - stats > MAX_EXPRESSIONS) throw validationError(`Alarms on metric math expressions cannot contain more than ${MAX_EXPRESSIONS} expressions.`);
  if (metrics.filter(returnsData).length !== 1) throw validationError('Exactly one element of the metrics list should return data.');
  const checked = checkQueries(metrics, isStatistic, 'Metrics');
  const problems: string[] = [];
  checked.forEach((c, i) => {
    if (c.kind === 'metric' && ![10, 30].includes(c.stat.Period) && c.stat.Period % 60 !== 0) {
      problems.push(`The parameter Metrics.member.${i + 1}.MetricStat.Period must be 10, 30 or a multiple of 60.`);
    }
    if (c.kind !== 'expression') return;
    for (const name of functionsCalled(c.tree)) {
      if (NOT_IN_ALARMS.includes(name)) problems.push(`Error in expression ${c.query.Id}: ${name} is not supported on metric alarms.`);
    }
  });
  if (problems.length) throw validationError(problems.map((p) => `${p}\n`).join(''));
  // A run on no data finds what the watched query gives: a number, or several series, is refused.
  const period = mathAlarmPeriod(metrics);
  const results = await queryResults(checked, { start: new Date(0), end: new Date(periodMs(period)) }, NO_DATA);
  if (results.length !== 1) {
    throw validationError(`Error in expression ${metrics.find(returnsData)!.Id}: An alarm's expression must return a single time series.\n`);
  }
  return period;
}

/** The watched query's datapoints in [fromMs, toMs), oldest first: one per period. */
export async function mathAlarmDatapoints(metrics: MetricDataQuery[], fromMs: number, toMs: number, source: MetricSource): Promise<AlarmDatapoint[]> {
  const checked = checkQueries(metrics, isStatistic, 'Metrics');
  const results = await queryResults(checked, { start: new Date(fromMs), end: new Date(toMs) }, source);
  if (results.length !== 1) throw new Error(`the alarm's expression gave ${results.length} time series, not one`);
  const [result] = results;
  return result.timestamps.map((timestampMs, i) => ({ timestampMs, value: result.values[i] }));
}
