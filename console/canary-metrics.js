// How each version of a canary alias is doing: the GetMetricData query for the AWS/Lambda metrics
// an invocation through an alias records (FunctionName + Resource `name:alias` + ExecutedVersion),
// and its answer as one row per version. Pure: api.js sends the query, canary-panel.js shows rows.
import { formatNumber } from './metrics-model.js';

/** The window the panel sums over. */
export const CANARY_WINDOW_MINUTES = 15;
const MINUTE_MS = 60_000;

/** Per version: invocations, errors, and Duration's sum and sample count (their ratio is the average over the window). */
const SERIES = [
  ['inv', 'Invocations', 'Sum'],
  ['err', 'Errors', 'Sum'],
  ['dur', 'Duration', 'Sum'],
  ['n', 'Duration', 'SampleCount'],
];

/**
 * The GetMetricData input (JSON 1.0: times in epoch seconds) for `versions` of `functionName:alias`
 * over the last CANARY_WINDOW_MINUTES whole minutes up to and including the current one.
 */
export function canaryMetricsQuery(functionName, alias, versions, nowMs) {
  const end = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const start = end - CANARY_WINDOW_MINUTES * MINUTE_MS;
  const dimensions = (version) => [
    { Name: 'FunctionName', Value: functionName }, { Name: 'Resource', Value: `${functionName}:${alias}` }, { Name: 'ExecutedVersion', Value: version },
  ];
  return {
    StartTime: start / 1000,
    EndTime: end / 1000,
    ScanBy: 'TimestampAscending',
    MetricDataQueries: versions.flatMap((version, i) => SERIES.map(([id, metric, stat]) => ({
      Id: `${id}_${i}`,
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions(version) }, Period: 60, Stat: stat },
      ReturnData: true,
    }))),
  };
}

/** The answer's results summed over the window, by query Id (a missing result reads as 0). */
function totals(answer) {
  const out = new Map();
  for (const r of answer?.MetricDataResults ?? []) out.set(r.Id, (r.Values ?? []).reduce((n, v) => n + Number(v), 0));
  return out;
}

/**
 * One row per version, in `versions`' order: invocations, errors, error rate ('—' without
 * invocations) and average duration ('—' without a Duration sample).
 */
export function canaryMetricRows(versions, answer) {
  const sums = totals(answer);
  return versions.map((version, i) => {
    const get = (id) => sums.get(`${id}_${i}`) ?? 0;
    const invocations = get('inv');
    const errors = get('err');
    const samples = get('n');
    return {
      version,
      invocations,
      errors,
      errorRate: invocations > 0 ? `${formatNumber((errors / invocations) * 100)}%` : '—',
      averageDuration: samples > 0 ? `${formatNumber(get('dur') / samples)} ms` : '—',
    };
  });
}
