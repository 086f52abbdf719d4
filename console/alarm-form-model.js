// The alarm forms' data, free of the DOM and of the network: a metric alarm as the form's values
// (from DescribeAlarms, to edit it) and the form's values as PutMetricAlarm's input; the same for a
// composite alarm's rule, description and actions (PutCompositeAlarm); the dimensions AWS/Lambda
// publishes for a function or one of its aliases or versions; the question asked before DeleteAlarms.
// alarm-form.js draws the forms. The values are checked by AWS, not here: its message is the one shown.

/** The metrics AWS/Lambda publishes per function (and per alias or version, `Resource` fn:qualifier). */
export const LAMBDA_METRICS = ['Errors', 'Throttles', 'Invocations', 'Duration', 'ConcurrentExecutions', 'DeadLetterErrors', 'DestinationDeliveryFailures', 'AsyncEventAge', 'AsyncEventsReceived', 'AsyncEventsDropped', 'ProvisionedConcurrencySpilloverInvocations'];
/** CloudWatch's statistics; anything else typed (p99, tm90…) is sent as ExtendedStatistic for AWS to judge. */
export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
export const STATISTIC_CHOICES = [...BASIC_STATISTICS, 'p50', 'p90', 'p95', 'p99', 'p99.9'];
/** The operators of a threshold alarm (the band ones are for anomaly detection alarms). */
export const OPERATORS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
export const TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'];
/** The action lists of an alarm, by the state that runs them. */
export const ACTION_LISTS = [['ALARM', 'AlarmActions'], ['OK', 'OKActions'], ['INSUFFICIENT_DATA', 'InsufficientDataActions']];

/** `FunctionName=f, Resource=f:prod` — the dimensions AWS/Lambda publishes for a function and an optional alias or version. */
export function lambdaDimensions(functionName, qualifier = '') {
  if (!functionName) return '';
  return qualifier ? `FunctionName=${functionName}, Resource=${functionName}:${qualifier}` : `FunctionName=${functionName}`;
}

/** `Name=Value, Name=Value` (commas or new lines between) as CloudWatch dimensions; a pair without `=` has an empty value for AWS to refuse. */
export function parseDimensions(text) {
  return (text ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? { Name: pair, Value: '' } : { Name: pair.slice(0, at).trim(), Value: pair.slice(at + 1).trim() };
  });
}

export const dimensionsText = (dims) => (dims ?? []).map((d) => `${d.Name}=${d.Value}`).join(', ');

/** ARNs separated by commas, spaces or new lines, as a list (AWS checks each). */
export const parseArns = (text) => (text ?? '').split(/[\s,]+/).filter(Boolean);

/** A function's unqualified ARN (ListFunctions may carry `:$LATEST`) for an alarm action. */
export const functionActionArn = (fn) => fn.FunctionArn.replace(/:\$LATEST$/, '');

/** The function and qualifier an alarm's dimensions name, when they are AWS/Lambda's. */
function lambdaTarget(alarm) {
  if (alarm.Namespace !== 'AWS/Lambda') return { functionName: '', qualifier: '' };
  const dim = (n) => alarm.Dimensions?.find((d) => d.Name === n)?.Value;
  const functionName = dim('FunctionName') ?? '';
  const resource = dim('Resource') ?? '';
  const qualifier = functionName && resource.startsWith(`${functionName}:`) ? resource.slice(functionName.length + 1) : '';
  return { functionName, qualifier };
}

const actionValues = (alarm) => Object.fromEntries(ACTION_LISTS.map(([state, key]) => [state, (alarm?.[key] ?? []).join(', ')]));

/** A new metric alarm's form: an AWS/Lambda Errors alarm, as the console suggests it. */
export function newMetricValues() {
  return {
    name: '', functionName: '', qualifier: '', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: '', statistic: 'Sum', period: '60',
    comparison: 'GreaterThanThreshold', threshold: '0', evaluationPeriods: '1', datapointsToAlarm: '', treatMissingData: 'missing', description: '',
    actions: actionValues(undefined),
  };
}

/** DescribeAlarms' metric alarm as the form's values. A metric math alarm keeps its `Metrics` as they are (the form edits the rest). */
export function metricFormValues(alarm) {
  return {
    name: alarm.AlarmName, ...lambdaTarget(alarm), namespace: alarm.Namespace ?? '', metricName: alarm.MetricName ?? '', dimensions: dimensionsText(alarm.Dimensions),
    statistic: alarm.ExtendedStatistic ?? alarm.Statistic ?? '', period: alarm.Period === undefined ? '' : String(alarm.Period),
    comparison: alarm.ComparisonOperator ?? 'GreaterThanThreshold', threshold: alarm.Threshold === undefined ? '' : String(alarm.Threshold),
    evaluationPeriods: String(alarm.EvaluationPeriods ?? ''), datapointsToAlarm: alarm.DatapointsToAlarm === undefined ? '' : String(alarm.DatapointsToAlarm),
    treatMissingData: alarm.TreatMissingData ?? 'missing', description: alarm.AlarmDescription ?? '', actions: actionValues(alarm),
    // Not in the form, and PutMetricAlarm replaces the whole alarm: carried over so an edit keeps them.
    kept: {
      ...(alarm.Metrics ? { Metrics: alarm.Metrics } : {}),
      ...(alarm.Unit ? { Unit: alarm.Unit } : {}),
      ...(alarm.EvaluateLowSampleCountPercentile ? { EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile } : {}),
      ...(alarm.ActionsEnabled === false ? { ActionsEnabled: false } : {}),
    },
  };
}

/**
 * A number field as `{ [key]: value }`: a number when it parses, else the text itself so that AWS
 * answers (`Expected a number at 'Threshold'`); left out when empty (AWS: `… is required`, or its default).
 */
const number = (key, text) => {
  const s = String(text ?? '').trim();
  if (s === '') return {};
  return { [key]: Number.isFinite(Number(s)) ? Number(s) : s };
};

/** Statistic for CloudWatch's five, ExtendedStatistic for anything else (p99, tm90…); neither when empty. */
const statisticOf = (text) => {
  const s = String(text ?? '').trim();
  if (!s) return {};
  return BASIC_STATISTICS.includes(s) ? { Statistic: s } : { ExtendedStatistic: s };
};

const actionsInput = (values) => Object.fromEntries(ACTION_LISTS.map(([state, key]) => [key, parseArns(values.actions?.[state])]));

/** The form's values as PutMetricAlarm's input; empty optional fields are left out (AWS's defaults). */
export function putMetricAlarmInput(values) {
  const kept = values.kept ?? {};
  const watched = kept.Metrics
    ? { Metrics: kept.Metrics }
    : {
      Namespace: values.namespace.trim(), MetricName: values.metricName.trim(), Dimensions: parseDimensions(values.dimensions),
      ...statisticOf(values.statistic), ...number('Period', values.period),
      ...(kept.Unit ? { Unit: kept.Unit } : {}),
      ...(kept.EvaluateLowSampleCountPercentile ? { EvaluateLowSampleCountPercentile: kept.EvaluateLowSampleCountPercentile } : {}),
    };
  return {
    AlarmName: values.name.trim(), ...(values.description ? { AlarmDescription: values.description } : {}), ...watched,
    ComparisonOperator: values.comparison, ...number('Threshold', values.threshold), ...number('EvaluationPeriods', values.evaluationPeriods),
    ...number('DatapointsToAlarm', values.datapointsToAlarm),
    TreatMissingData: values.treatMissingData, ...actionsInput(values),
    ...(kept.ActionsEnabled === false ? { ActionsEnabled: false } : {}),
  };
}

/** DescribeAlarms' composite alarm as the form's values (the suppressor settings carried over). */
export function compositeFormValues(alarm) {
  const suppressor = alarm.ActionsSuppressor
    ? { ActionsSuppressor: alarm.ActionsSuppressor, ActionsSuppressorWaitPeriod: alarm.ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod: alarm.ActionsSuppressorExtensionPeriod }
    : {};
  return {
    name: alarm.AlarmName, rule: alarm.AlarmRule ?? '', description: alarm.AlarmDescription ?? '', actions: actionValues(alarm),
    kept: { ...suppressor, ...(alarm.ActionsEnabled === false ? { ActionsEnabled: false } : {}) },
  };
}

/** The composite form's values as PutCompositeAlarm's input (which, like PutMetricAlarm, replaces the alarm). */
export function putCompositeAlarmInput(values) {
  return {
    AlarmName: values.name, AlarmRule: values.rule.trim(), ...(values.description ? { AlarmDescription: values.description } : {}),
    ...actionsInput(values), ...(values.kept ?? {}),
  };
}

/** The question asked before DeleteAlarms. */
export function deleteQuestion(row) {
  const what = row.type === 'CompositeAlarm' ? 'composite alarm' : 'alarm';
  return `Delete ${what} ${row.name}? This cannot be undone.`;
}
