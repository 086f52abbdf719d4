// The alarm forms' data, free of the DOM and of the network: a metric alarm (one metric, or metric
// math queries: alarm-queries-model.js) as the form's values (from DescribeAlarms, to edit it) and
// the form's values as PutMetricAlarm's input; the same for a composite alarm's rule, description,
// actions and actions suppressor (PutCompositeAlarm), and a rule term inserted where the caret is;
// the question asked before DeleteAlarms. alarm-form.js and composite-alarm-form.js draw the forms.
// The values are checked by AWS, not here: its message is the one shown.
import { BASIC_STATISTICS, dimensionsText, lambdaDimensions, numberMember, numberText, parseDimensions, statisticMember } from './alarm-form-fields.js';
import { metricsInput, queryRows } from './alarm-queries-model.js';

export { BASIC_STATISTICS, dimensionsText, lambdaDimensions, parseDimensions };

/** The metrics AWS/Lambda publishes per function (and per alias or version, `Resource` fn:qualifier). */
export const LAMBDA_METRICS = ['Errors', 'Throttles', 'Invocations', 'Duration', 'ConcurrentExecutions', 'DeadLetterErrors', 'DestinationDeliveryFailures', 'AsyncEventAge', 'AsyncEventsReceived', 'AsyncEventsDropped', 'ProvisionedConcurrencySpilloverInvocations'];
export const STATISTIC_CHOICES = [...BASIC_STATISTICS, 'p50', 'p90', 'p95', 'p99', 'p99.9'];
/** The operators of a threshold alarm (the band ones are for anomaly detection alarms). */
export const OPERATORS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
export const TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'];
/** The action lists of an alarm, by the state that runs them. */
export const ACTION_LISTS = [['ALARM', 'AlarmActions'], ['OK', 'OKActions'], ['INSUFFICIENT_DATA', 'InsufficientDataActions']];

/** ARNs separated by commas, spaces or new lines, as a list (AWS checks each). */
export const parseArns = (text) => (text ?? '').split(/[\s,]+/).filter(Boolean);

/** A function's unqualified ARN (ListFunctions may carry `:$LATEST`) for an alarm action. */
export const functionActionArn = (fn) => fn.FunctionArn.replace(/:\$LATEST$/, '');

/** The function and qualifier an alarm's dimensions name (its first metric query's, for metric math), when they are AWS/Lambda's. */
function lambdaTarget(alarm) {
  const metric = alarm.Metrics
    ? alarm.Metrics.find((q) => q.MetricStat)?.MetricStat.Metric ?? {}
    : { Namespace: alarm.Namespace, Dimensions: alarm.Dimensions };
  if (metric.Namespace !== 'AWS/Lambda') return { functionName: '', qualifier: '' };
  const dim = (n) => metric.Dimensions?.find((d) => d.Name === n)?.Value;
  const functionName = dim('FunctionName') ?? '';
  const resource = dim('Resource') ?? '';
  const qualifier = functionName && resource.startsWith(`${functionName}:`) ? resource.slice(functionName.length + 1) : '';
  return { functionName, qualifier };
}

const actionValues = (alarm) => Object.fromEntries(ACTION_LISTS.map(([state, key]) => [state, (alarm?.[key] ?? []).join(', ')]));

/** A new metric alarm's form: an AWS/Lambda Errors alarm, as the console suggests it (`source` 'math' for metric math queries). */
export function newMetricValues() {
  return {
    name: '', functionName: '', qualifier: '', source: 'metric', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: '', statistic: 'Sum', period: '60', queries: [],
    comparison: 'GreaterThanThreshold', threshold: '0', evaluationPeriods: '1', datapointsToAlarm: '', treatMissingData: 'missing', description: '',
    actions: actionValues(undefined),
  };
}

/** DescribeAlarms' metric alarm as the form's values: one metric, or its metric math queries as rows. */
export function metricFormValues(alarm) {
  return {
    name: alarm.AlarmName, ...lambdaTarget(alarm), source: alarm.Metrics ? 'math' : 'metric', queries: alarm.Metrics ? queryRows(alarm.Metrics) : [],
    namespace: alarm.Namespace ?? '', metricName: alarm.MetricName ?? '', dimensions: dimensionsText(alarm.Dimensions),
    statistic: alarm.ExtendedStatistic ?? alarm.Statistic ?? '', period: numberText(alarm.Period),
    comparison: alarm.ComparisonOperator ?? 'GreaterThanThreshold', threshold: numberText(alarm.Threshold),
    evaluationPeriods: numberText(alarm.EvaluationPeriods), datapointsToAlarm: numberText(alarm.DatapointsToAlarm),
    treatMissingData: alarm.TreatMissingData ?? 'missing', description: alarm.AlarmDescription ?? '', actions: actionValues(alarm),
    // Not in the form, and PutMetricAlarm replaces the whole alarm: carried over so an edit keeps them.
    kept: {
      ...(alarm.Unit ? { Unit: alarm.Unit } : {}),
      ...(alarm.EvaluateLowSampleCountPercentile ? { EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile } : {}),
      ...(alarm.ActionsEnabled === false ? { ActionsEnabled: false } : {}),
    },
  };
}

const actionsInput = (values) => Object.fromEntries(ACTION_LISTS.map(([state, key]) => [key, parseArns(values.actions?.[state])]));

/** The form's values as PutMetricAlarm's input; empty optional fields are left out (AWS's defaults). */
export function putMetricAlarmInput(values) {
  const kept = values.kept ?? {};
  const watched = values.source === 'math'
    ? { Metrics: metricsInput(values.queries ?? []) }
    : {
      Namespace: values.namespace.trim(), MetricName: values.metricName.trim(), Dimensions: parseDimensions(values.dimensions),
      ...statisticMember(values.statistic), ...numberMember('Period', values.period),
      ...(kept.Unit ? { Unit: kept.Unit } : {}),
      ...(kept.EvaluateLowSampleCountPercentile ? { EvaluateLowSampleCountPercentile: kept.EvaluateLowSampleCountPercentile } : {}),
    };
  return {
    AlarmName: values.name.trim(), ...(values.description ? { AlarmDescription: values.description } : {}), ...watched,
    ComparisonOperator: values.comparison, ...numberMember('Threshold', values.threshold), ...numberMember('EvaluationPeriods', values.evaluationPeriods),
    ...numberMember('DatapointsToAlarm', values.datapointsToAlarm),
    TreatMissingData: values.treatMissingData, ...actionsInput(values),
    ...(kept.ActionsEnabled === false ? { ActionsEnabled: false } : {}),
  };
}

/** A new composite alarm's form: no rule yet, no suppressor. */
export function newCompositeValues() {
  return { name: '', rule: '', description: '', actions: actionValues(undefined), suppressor: '', waitPeriod: '', extensionPeriod: '', kept: {} };
}

/** DescribeAlarms' composite alarm as the form's values, its actions suppressor among them. */
export function compositeFormValues(alarm) {
  return {
    name: alarm.AlarmName, rule: alarm.AlarmRule ?? '', description: alarm.AlarmDescription ?? '', actions: actionValues(alarm),
    suppressor: alarm.ActionsSuppressor ?? '', waitPeriod: numberText(alarm.ActionsSuppressorWaitPeriod), extensionPeriod: numberText(alarm.ActionsSuppressorExtensionPeriod),
    kept: alarm.ActionsEnabled === false ? { ActionsEnabled: false } : {},
  };
}

/**
 * The composite form's values as PutCompositeAlarm's input (which, like PutMetricAlarm, replaces the
 * alarm: no suppressor chosen removes it). The periods go with a suppressor only; AWS requires both then.
 */
export function putCompositeAlarmInput(values) {
  const suppressor = values.suppressor?.trim()
    ? { ActionsSuppressor: values.suppressor.trim(), ...numberMember('ActionsSuppressorWaitPeriod', values.waitPeriod), ...numberMember('ActionsSuppressorExtensionPeriod', values.extensionPeriod) }
    : {};
  return {
    AlarmName: values.name.trim(), AlarmRule: values.rule.trim(), ...(values.description ? { AlarmDescription: values.description } : {}),
    ...actionsInput(values), ...suppressor, ...(values.kept ?? {}),
  };
}

/** The states an AlarmRule term tests. */
export const RULE_STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

/** `ALARM("name")`: an alarm's name double-quoted, as AWS reads names with spaces or parentheses. */
export const ruleTerm = (state, name) => `${state}("${name}")`;

/**
 * `term` put in `rule` in place of the selection [start, end): joined to a term before or after it
 * with `joiner` (OR or AND), not after `(`, AND, OR or NOT. The new rule, and the caret after the term.
 */
export function insertRuleTerm(rule, start, end, term, joiner = 'OR') {
  const head = rule.slice(0, start).trimEnd();
  const tail = rule.slice(end).trimStart();
  const joinBefore = head !== '' && !/(\(|\b(?:AND|OR|NOT))$/i.test(head);
  const joinAfter = tail !== '' && !/^(\)|(?:AND|OR)\b)/i.test(tail);
  const before = head === '' ? '' : `${head}${head.endsWith('(') ? '' : ' '}${joinBefore ? `${joiner} ` : ''}`;
  const after = tail === '' ? '' : `${tail.startsWith(')') ? '' : ' '}${joinAfter ? `${joiner} ` : ''}${tail}`;
  return { rule: `${before}${term}${after}`, caret: before.length + term.length };
}

/** The question asked before DeleteAlarms. */
export function deleteQuestion(row) {
  const what = row.type === 'CompositeAlarm' ? 'composite alarm' : 'alarm';
  return `Delete ${what} ${row.name}? This cannot be undone.`;
}
