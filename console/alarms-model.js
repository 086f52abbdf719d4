// The Alarms page's data, free of the DOM and of the network: DescribeAlarms' metric and composite
// alarms as rows (state, reason, the metric, expression or rule in short with a metric math
// alarm's label or a composite's suppressor under it, actions with the Lambda functions they
// invoke), the history items as lines, and the filter as DescribeAlarms members.
// alarms-page.js draws them.

export const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

const COMPARISONS = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: 'below band',
  GreaterThanUpperThreshold: 'above band',
};

/** `Namespace Name {Dim=Value,…}` of a metric (DescribeAlarms' or a MetricStat's). */
function metricName(namespace, name, dimensions) {
  const dims = (dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',');
  return `${namespace ?? ''} ${name ?? ''}${dims ? ` {${dims}}` : ''}`.trim();
}

/** A metric math alarm's query it alarms on (ReturnData), if it has queries. */
function watchedQuery(a) {
  const queries = a.Metrics ?? [];
  return queries.find((m) => m.ReturnData !== false && (m.Expression || m.MetricStat)) ?? queries[0];
}

/** What a metric alarm watches: its metric with statistic and period, or the query row it alarms on (ReturnData). */
function watched(a) {
  if (a.MetricName) return `${a.ExtendedStatistic ?? a.Statistic ?? ''}(${metricName(a.Namespace, a.MetricName, a.Dimensions)}) per ${a.Period}s`;
  const q = watchedQuery(a);
  if (!q) return '';
  if (q.Expression) return q.Expression;
  const m = q.MetricStat.Metric;
  return `${q.MetricStat.Stat}(${metricName(m.Namespace, m.MetricName, m.Dimensions)}) per ${q.MetricStat.Period}s`;
}

/** A metric alarm's condition in short: `Sum(Ns Name {Dim=v}) per 60s > 10 for 2 of 3 periods`. */
export function metricRule(a) {
  const op = COMPARISONS[a.ComparisonOperator] ?? a.ComparisonOperator ?? '';
  const bound = a.ThresholdMetricId ?? (a.Threshold === undefined ? '' : String(a.Threshold));
  const periods = a.DatapointsToAlarm && a.DatapointsToAlarm !== a.EvaluationPeriods ? `${a.DatapointsToAlarm} of ${a.EvaluationPeriods}` : `${a.EvaluationPeriods}`;
  return `${watched(a)} ${op} ${bound} for ${periods} period${a.EvaluationPeriods === 1 ? '' : 's'}`.replace(/\s+/g, ' ').trim();
}

/** An action ARN: for a Lambda function, its name (and qualifier) to link to its card; else the ARN as it is. */
export function actionOf(arn) {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/.exec(arn);
  return m ? { arn, lambda: { name: m[1], label: m[2] ? `${m[1]}:${m[2]}` : m[1] } } : { arn };
}

const actionLists = (a) => [['ALARM', a.AlarmActions], ['OK', a.OKActions], ['INSUFFICIENT_DATA', a.InsufficientDataActions]]
  .filter(([, list]) => list?.length).map(([state, list]) => ({ state, actions: list.map(actionOf) }));

/** An epoch-seconds or ISO time as the browser's local time; '' when absent. */
export function timeText(t) {
  if (t === undefined || t === null || t === '') return '';
  const d = new Date(typeof t === 'number' ? t * 1000 : t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}

/** One row of the page per alarm; metric and composite alarms together, by name. */
export function alarmRows(out) {
  const common = (a, type) => ({
    type, name: a.AlarmName, arn: a.AlarmArn, description: a.AlarmDescription ?? '', state: a.StateValue, reason: a.StateReason ?? '',
    updated: timeText(a.StateUpdatedTimestamp), actionsEnabled: a.ActionsEnabled !== false, actions: actionLists(a),
  });
  const metric = (out.MetricAlarms ?? []).map((a) => ({ ...common(a, 'MetricAlarm'), rule: metricRule(a), note: watchedQuery(a)?.Label ?? '' }));
  const composite = (out.CompositeAlarms ?? []).map((a) => ({
    ...common(a, 'CompositeAlarm'), rule: a.AlarmRule ?? '', note: suppressorNote(a),
    suppressedBy: a.ActionsSuppressor ? { alarm: a.ActionsSuppressor, by: a.ActionsSuppressedBy, reason: a.ActionsSuppressedReason ?? '' } : undefined,
  }));
  return [...metric, ...composite].sort((a, b) => a.name.localeCompare(b.name));
}

/** A composite's actions suppressor as set: `Suppressor s (WaitPeriod 60 s, ExtensionPeriod 30 s)`; '' without one. */
export function suppressorNote(a) {
  if (!a.ActionsSuppressor) return '';
  return `Suppressor ${a.ActionsSuppressor} (WaitPeriod ${a.ActionsSuppressorWaitPeriod} s, ExtensionPeriod ${a.ActionsSuppressorExtensionPeriod} s)`;
}

/** Whether a composite's actions are suppressed now (ActionsSuppressedBy set): the words to show, else ''. */
export function suppressionText(s) {
  if (!s?.by) return '';
  // AWS's reason is mostly `Actions suppressed by <ActionsSuppressedBy>`: shown only when it says more.
  const reason = s.reason && s.reason !== `Actions suppressed by ${s.by}` ? `: ${s.reason}` : '';
  return `ActionsSuppressedBy ${s.by} (suppressor ${s.alarm})${reason}`;
}

/** DescribeAlarms' members for the filter: both alarm types, the name prefix and the state when chosen. */
export function describeInput(filter = {}) {
  return {
    AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    ...(filter.prefix ? { AlarmNamePrefix: filter.prefix } : {}),
    ...(filter.state ? { StateValue: filter.state } : {}),
  };
}

/** A history item as a line: time, type, summary. */
export function historyLine(item) {
  return { time: timeText(item.Timestamp), type: item.HistoryItemType, summary: item.HistorySummary ?? '' };
}

/** The question asked before SetAlarmState. */
export function setStateQuestion(row, state) {
  const runs = row.actionsEnabled && row.actions.some((l) => l.state === state) ? ` Its ${state} actions run.` : '';
  return `Set alarm ${row.name} to ${state}?${runs} The alarm goes back to what its data says at its next evaluation.`;
}
