// A metric math alarm's queries (PutMetricAlarm `Metrics`) as the form's rows and back, free of the
// DOM: a row is a metric (MetricStat: namespace, metric, dimensions, period, stat) or an
// expression, with its id, label and whether the alarm watches it (ReturnData on exactly one).
// AWS checks them (ids, the expression, one ReturnData): its message is the one shown.
import { dimensionsText, lambdaDimensions, numberMember, numberText, parseDimensions } from './alarm-form-fields.js';

/** A row's kinds: a metric's statistic, or an expression over the other rows' ids. */
export const QUERY_KINDS = ['metric', 'expression'];

/** The first `m1`, `m2`… (or `e1`… for an expression) no row has: ids are lower-case first, as AWS wants. */
export function nextQueryId(rows, kind = 'metric') {
  const prefix = kind === 'expression' ? 'e' : 'm';
  const taken = new Set(rows.map((r) => r.id));
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

const blank = { namespace: '', metricName: '', dimensions: '', period: '', stat: '', expression: '', label: '', returnData: false, kept: {} };

/** A new metric row: a function's (or alias's) AWS/Lambda metric when one is picked, summed per minute. */
export const newMetricQuery = (id, { functionName = '', qualifier = '', metricName = 'Errors' } = {}) => ({
  ...blank, id, kind: 'metric', namespace: 'AWS/Lambda', metricName, dimensions: lambdaDimensions(functionName, qualifier), period: '60', stat: 'Sum',
});

export const newExpressionQuery = (id, expression = '', extra = {}) => ({ ...blank, id, kind: 'expression', expression, ...extra });

/** A function's (or alias's) error rate in percent: errors and invocations per minute, `100 * errors / invocations` watched. */
export function errorRateQueries(target = {}) {
  return [
    newMetricQuery('errors', { ...target, metricName: 'Errors' }),
    newMetricQuery('invocations', { ...target, metricName: 'Invocations' }),
    newExpressionQuery('rate', '100 * errors / invocations', { label: 'Error rate (%)', returnData: true }),
  ];
}

/** DescribeAlarms' `Metrics` as rows; the watched one is the first whose ReturnData is not false (AWS's default is true). */
export function queryRows(metrics) {
  const watched = metrics.findIndex((q) => q.ReturnData !== false);
  return metrics.map((q, i) => {
    const common = { ...blank, id: q.Id, label: q.Label ?? '', returnData: i === watched };
    if (q.Expression !== undefined) {
      return { ...common, kind: 'expression', expression: q.Expression, kept: { ...(q.Period !== undefined ? { Period: q.Period } : {}), ...(q.AccountId ? { AccountId: q.AccountId } : {}) } };
    }
    const stat = q.MetricStat ?? {};
    return {
      ...common, kind: 'metric', namespace: stat.Metric?.Namespace ?? '', metricName: stat.Metric?.MetricName ?? '', dimensions: dimensionsText(stat.Metric?.Dimensions),
      period: numberText(stat.Period), stat: stat.Stat ?? '',
      // Not in the row: carried over so an edit keeps them.
      kept: { ...(stat.Unit ? { Unit: stat.Unit } : {}), ...(q.AccountId ? { AccountId: q.AccountId } : {}) },
    };
  });
}

/** The rows as PutMetricAlarm's `Metrics`: ReturnData true on the watched row, false on the others. */
export function metricsInput(rows) {
  return rows.map((r) => {
    const { Unit, AccountId, Period } = r.kept ?? {};
    const common = { Id: r.id.trim(), ...(r.label ? { Label: r.label } : {}), ReturnData: Boolean(r.returnData), ...(AccountId ? { AccountId } : {}) };
    if (r.kind === 'expression') return { ...common, Expression: r.expression.trim(), ...(Period !== undefined ? { Period } : {}) };
    const dimensions = parseDimensions(r.dimensions);
    return {
      ...common,
      MetricStat: {
        Metric: { Namespace: r.namespace.trim(), MetricName: r.metricName.trim(), ...(dimensions.length ? { Dimensions: dimensions } : {}) },
        ...numberMember('Period', r.period), Stat: r.stat.trim(), ...(Unit ? { Unit } : {}),
      },
    };
  });
}
