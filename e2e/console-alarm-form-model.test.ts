// The Alarms page's forms without a server or a browser: console/alarm-form-model.js writing the
// dimensions AWS/Lambda publishes for a function and an alias, reading DescribeAlarms' alarms into
// the forms' values and those back into PutMetricAlarm / PutCompositeAlarm input (a statistic or a
// percentile, empty optional fields left out, what the form does not show carried over), metric math
// queries as rows and back, a composite's suppressor, and a rule term put where the caret is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/testing/server.js';

const load = (): Promise<any> => import(pathToFileURL(join(repoRoot, 'console', 'alarm-form-model.js')).href);

test('a function and an alias as AWS/Lambda dimensions; dimensions and ARNs as typed', async () => {
  const m = await load();
  assert.equal(m.lambdaDimensions('f'), 'FunctionName=f');
  assert.equal(m.lambdaDimensions('f', 'prod'), 'FunctionName=f, Resource=f:prod');
  assert.equal(m.lambdaDimensions(''), '');
  assert.deepEqual(m.parseDimensions('FunctionName=f, Resource=f:prod\nRoute=a=b, Bare'), [
    { Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:prod' }, { Name: 'Route', Value: 'a=b' }, { Name: 'Bare', Value: '' },
  ]);
  assert.deepEqual(m.parseArns(' arn:a,arn:b\n arn:c '), ['arn:a', 'arn:b', 'arn:c']);
  assert.equal(m.functionActionArn({ FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f:$LATEST' }), 'arn:aws:lambda:us-east-1:1:function:f');
});

test('a new alarm\'s values as PutMetricAlarm input: Statistic or ExtendedStatistic, numbers, empty fields left out', async () => {
  const m = await load();
  const values = { ...m.newMetricValues(), name: ' a1 ', dimensions: m.lambdaDimensions('f', 'live'), statistic: 'p99', threshold: '2.5', evaluationPeriods: '3', actions: { ALARM: 'arn:x, arn:y', OK: '', INSUFFICIENT_DATA: '' } };
  assert.deepEqual(m.putMetricAlarmInput(values), {
    AlarmName: 'a1', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:live' }],
    ExtendedStatistic: 'p99', Period: 60, ComparisonOperator: 'GreaterThanThreshold', Threshold: 2.5, EvaluationPeriods: 3, TreatMissingData: 'missing',
    AlarmActions: ['arn:x', 'arn:y'], OKActions: [], InsufficientDataActions: [],
  });
  // Not a number: sent as typed, for AWS to refuse with its own message.
  const odd = m.putMetricAlarmInput({ ...values, statistic: 'Sum', period: 'soon', datapointsToAlarm: '2', description: 'd' });
  assert.equal(odd.Statistic, 'Sum');
  assert.equal(odd.ExtendedStatistic, undefined);
  assert.equal(odd.Period, 'soon');
  assert.equal(odd.DatapointsToAlarm, 2);
  assert.equal(odd.AlarmDescription, 'd');
  // Empty: left out, so AWS says what is missing.
  const empty = m.putMetricAlarmInput({ ...values, statistic: ' ', threshold: '', period: '' });
  assert.deepEqual([empty.Statistic, empty.ExtendedStatistic, 'Threshold' in empty, 'Period' in empty], [undefined, undefined, false, false]);
});

test('an alarm from DescribeAlarms round-trips through the form, keeping what the form does not show', async () => {
  const m = await load();
  const alarm = {
    AlarmName: 'e', AlarmDescription: 'desc', Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:prod' }],
    ExtendedStatistic: 'p90', Period: 300, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 100, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'breaching', AlarmActions: ['arn:aws:lambda:us-east-1:1:function:f'], OKActions: [], InsufficientDataActions: [], ActionsEnabled: false,
    Unit: 'Milliseconds', EvaluateLowSampleCountPercentile: 'ignore', StateValue: 'OK',
  };
  const values = m.metricFormValues(alarm);
  assert.equal(values.functionName, 'f');
  assert.equal(values.qualifier, 'prod');
  assert.equal(values.statistic, 'p90');
  assert.equal(values.actions.ALARM, 'arn:aws:lambda:us-east-1:1:function:f');
  const { StateValue, ...put } = alarm;
  assert.equal(StateValue, 'OK');
  assert.deepEqual(m.putMetricAlarmInput(values), put);

  // A composite: rule, description and actions edited; its suppressor shown and sent back.
  const composite = { AlarmName: 'c', AlarmRule: 'ALARM("e")', AlarmActions: [], OKActions: ['arn:o'], InsufficientDataActions: [], ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 30 };
  const cv = m.compositeFormValues(composite);
  assert.deepEqual([cv.suppressor, cv.waitPeriod, cv.extensionPeriod], ['s', '60', '30']);
  assert.deepEqual(m.putCompositeAlarmInput({ ...cv, rule: ' ALARM("e") OR ALARM("x") ', description: 'new', waitPeriod: '120' }), {
    AlarmName: 'c', AlarmRule: 'ALARM("e") OR ALARM("x")', AlarmDescription: 'new', AlarmActions: [], OKActions: ['arn:o'], InsufficientDataActions: [],
    ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 120, ActionsSuppressorExtensionPeriod: 30,
  });
  // No suppressor chosen: none sent (PutCompositeAlarm removes it), nor its periods.
  const unsuppressed = m.putCompositeAlarmInput({ ...cv, suppressor: '' });
  assert.deepEqual(['ActionsSuppressor' in unsuppressed, 'ActionsSuppressorWaitPeriod' in unsuppressed, 'ActionsSuppressorExtensionPeriod' in unsuppressed], [false, false, false]);
  // A new one: the name as typed, trimmed; a suppressor without periods sent so, for AWS to say they are required.
  assert.deepEqual(m.putCompositeAlarmInput({ ...m.newCompositeValues(), name: ' all ', rule: 'ALARM(a)', suppressor: 'maintenance' }), {
    AlarmName: 'all', AlarmRule: 'ALARM(a)', AlarmActions: [], OKActions: [], InsufficientDataActions: [], ActionsSuppressor: 'maintenance',
  });
  assert.deepEqual(m.putCompositeAlarmInput({ ...cv, kept: { ActionsEnabled: false } }).ActionsEnabled, false);
  assert.equal(m.deleteQuestion({ name: 'c', type: 'CompositeAlarm' }), 'Delete composite alarm c? This cannot be undone.');
});

test('metric math: queries as rows and back, an error rate to start from, new ids', async () => {
  const m = await load();
  const q = await import(pathToFileURL(join(repoRoot, 'console', 'alarm-queries-model.js')).href);
  const metrics = [
    { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:live' }] }, Period: 60, Stat: 'Sum', Unit: 'Count' }, ReturnData: false },
    { Id: 'invocations', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations' }, Period: 60, Stat: 'Sum' }, ReturnData: false, AccountId: '111122223333' },
    { Id: 'rate', Expression: '100 * errors / invocations', Label: 'Error rate (%)', ReturnData: true, Period: 60 },
  ];
  const alarm = { AlarmName: 'm', Metrics: metrics, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'missing', AlarmActions: [], OKActions: [], InsufficientDataActions: [] };
  const values = m.metricFormValues(alarm);
  assert.equal(values.source, 'math');
  assert.deepEqual([values.functionName, values.qualifier], ['f', 'live']); // the first metric's function and alias
  assert.deepEqual(values.queries.map((r: any) => [r.id, r.kind, r.metricName || r.expression, r.dimensions, r.period, r.stat, r.label, r.returnData]), [
    ['errors', 'metric', 'Errors', 'FunctionName=f, Resource=f:live', '60', 'Sum', '', false],
    ['invocations', 'metric', 'Invocations', '', '60', 'Sum', '', false],
    ['rate', 'expression', '100 * errors / invocations', '', '', '', 'Error rate (%)', true],
  ]);
  // Round trip: what the rows do not show (a Unit, an AccountId, an expression's Period) kept.
  assert.deepEqual(m.putMetricAlarmInput(values), alarm);
  // Edited: the expression and the threshold; no single-metric members sent.
  const edited = m.putMetricAlarmInput({ ...values, threshold: '4', queries: values.queries.map((r: any) => (r.id === 'rate' ? { ...r, expression: ' errors ' } : r)) });
  assert.equal(edited.Metrics[2].Expression, 'errors');
  assert.deepEqual([edited.Namespace, edited.MetricName, edited.Statistic, edited.Period, edited.Threshold], [undefined, undefined, undefined, undefined, 4]);
  // ReturnData omitted means true (AWS's default): the first such query is the watched one.
  assert.deepEqual(q.queryRows([{ Id: 'a', Expression: 'b' }, { Id: 'b', Expression: 'c' }]).map((r: any) => r.returnData), [true, false]);
  // None chosen: all false, for AWS to say exactly one must return data.
  assert.deepEqual(q.metricsInput(values.queries.map((r: any) => ({ ...r, returnData: false }))).map((x: any) => x.ReturnData), [false, false, false]);

  assert.deepEqual(q.metricsInput(q.errorRateQueries({ functionName: 'f', qualifier: 'live' })), [
    { Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:live' }] }, Period: 60, Stat: 'Sum' } },
    { Id: 'invocations', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'f' }, { Name: 'Resource', Value: 'f:live' }] }, Period: 60, Stat: 'Sum' } },
    { Id: 'rate', Label: 'Error rate (%)', ReturnData: true, Expression: '100 * errors / invocations' },
  ]);
  assert.equal(q.nextQueryId([{ id: 'm1' }, { id: 'm3' }]), 'm2');
  assert.equal(q.nextQueryId([{ id: 'e1' }], 'expression'), 'e2');
  assert.equal(m.newMetricValues().source, 'metric');
});

test('a rule term put where the caret is, joined with OR or AND where a term is beside it', async () => {
  const m = await load();
  const term = m.ruleTerm('OK', 'b c');
  assert.equal(term, 'OK("b c")');
  assert.deepEqual(m.insertRuleTerm('', 0, 0, 'ALARM("a")'), { rule: 'ALARM("a")', caret: 10 });
  assert.deepEqual(m.insertRuleTerm('ALARM("a")', 10, 10, term, 'AND'), { rule: 'ALARM("a") AND OK("b c")', caret: 24 });
  assert.deepEqual(m.insertRuleTerm('ALARM("a") OR ', 14, 14, term), { rule: 'ALARM("a") OR OK("b c")', caret: 23 });
  assert.deepEqual(m.insertRuleTerm('NOT (', 5, 5, term), { rule: 'NOT (OK("b c")', caret: 14 });
  assert.deepEqual(m.insertRuleTerm('ALARM("a")', 0, 0, term), { rule: 'OK("b c") OR ALARM("a")', caret: 9 });
  assert.deepEqual(m.insertRuleTerm('(ALARM("a"))', 11, 11, term), { rule: '(ALARM("a") OR OK("b c"))', caret: 24 });
  // A selection is replaced.
  assert.deepEqual(m.insertRuleTerm('ALARM("a") AND ALARM("x")', 15, 25, term), { rule: 'ALARM("a") AND OK("b c")', caret: 24 });
});
