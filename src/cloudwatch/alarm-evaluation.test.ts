// Alarm evaluation as CloudWatch documents it (M of N, TreatMissingData), with a fixed clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, windowStart } from './alarm-evaluation.js';
import type { AlarmRecord } from './alarm-record.js';
import type { PeriodSet } from './statistics.js';
import { Histogram } from './histogram.js';

const NOW = Date.UTC(2026, 10, 27, 8, 30, 20);
const MINUTE = 60_000;
const alarm = (extra: Partial<AlarmRecord> = {}): AlarmRecord & { Period: number } => ({
  accountId: '000000000000', region: 'us-east-1', AlarmName: 'errors', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
  Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [], Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold', configurationUpdatedMs: 0, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation',
  stateUpdatedMs: 0, stateTransitionedMs: 0, ...extra,
}) as AlarmRecord & { Period: number };
/** Sums per period, newest last: undefined = no data in that period. */
const periods = (a: AlarmRecord & { Period: number }, sums: (number | undefined)[]): PeriodSet[] => {
  const start = windowStart(a, NOW);
  return sums.flatMap((sum, i) => (sum === undefined ? [] : [{ timestampMs: start + i * a.Period * 1000, sum, sampleCount: 1, min: sum, max: sum }]));
};
const stateOf = (a: AlarmRecord & { Period: number }, sums: (number | undefined)[]) => evaluate(a, periods(a, sums), NOW).state;

test('the window ends with the current period', () => {
  assert.equal(windowStart(alarm(), NOW), Date.UTC(2026, 10, 27, 8, 28));
  assert.equal(windowStart(alarm({ Period: 300, EvaluationPeriods: 1 }), NOW), Date.UTC(2026, 10, 27, 8, 30));
});

test('N of N: ALARM only when every period breaches; OK otherwise; INSUFFICIENT_DATA without data', () => {
  const a = alarm();
  assert.equal(stateOf(a, [1, 2, 5]), 'ALARM');
  assert.equal(stateOf(a, [1, 0, 5]), 'OK');
  assert.equal(stateOf(a, [undefined, undefined, undefined]), 'INSUFFICIENT_DATA');
  assert.equal(stateOf(alarm({ ComparisonOperator: 'LessThanThreshold', Threshold: 3 }), [1, 2, 0]), 'ALARM');
  assert.equal(stateOf(alarm({ ComparisonOperator: 'GreaterThanThreshold' }), [1, 2, 5]), 'OK');
});

test('M of N (DatapointsToAlarm)', () => {
  const a = alarm({ DatapointsToAlarm: 2 });
  assert.equal(stateOf(a, [0, 3, 4]), 'ALARM');
  assert.equal(stateOf(a, [0, 0, 4]), 'OK');
});

test('TreatMissingData: missing, notBreaching, breaching, ignore', () => {
  // missing: present datapoints decide; none present: INSUFFICIENT_DATA.
  assert.equal(stateOf(alarm({ DatapointsToAlarm: 1 }), [undefined, undefined, 2]), 'ALARM');
  assert.equal(stateOf(alarm(), [undefined, 0, undefined]), 'OK');
  assert.equal(stateOf(alarm({ TreatMissingData: 'notBreaching' }), [undefined, undefined, undefined]), 'OK');
  assert.equal(stateOf(alarm({ TreatMissingData: 'notBreaching' }), [5, undefined, 5]), 'OK');
  assert.equal(stateOf(alarm({ TreatMissingData: 'breaching' }), [5, undefined, 5]), 'ALARM');
  assert.equal(stateOf(alarm({ TreatMissingData: 'breaching' }), [undefined, undefined, undefined]), 'ALARM');
  assert.equal(stateOf(alarm({ TreatMissingData: 'ignore', StateValue: 'ALARM' }), [undefined, undefined, undefined]), 'ALARM');
  assert.equal(stateOf(alarm({ TreatMissingData: 'ignore', StateValue: 'ALARM' }), [undefined, 0, undefined]), 'OK');
});

test('the statistic is taken per period, and the reason lists the datapoints as CloudWatch does', () => {
  const a = alarm({ EvaluationPeriods: 1, Statistic: 'Average', Threshold: 0.5 });
  const start = windowStart(a, NOW);
  const result = evaluate(a, [{ timestampMs: start, sum: 3, sampleCount: 4, min: 0, max: 1 }], NOW);
  assert.equal(result.state, 'ALARM');
  assert.equal(result.reason, 'Threshold Crossed: 1 datapoint [0.75 (27/11/26 08:30:00)] was greater than or equal to the threshold (0.5) (minimum 1 datapoint for OK -> ALARM transition).');
  const data = JSON.parse(result.reasonData);
  assert.deepEqual(data.recentDatapoints, [0.75]);
  assert.equal(data.statistic, 'Average');
  assert.equal(data.evaluatedDatapoints[0].timestamp, '2026-11-27T08:30:00.000+0000');
  const ok = evaluate(a, [{ timestampMs: start, sum: 0, sampleCount: 4, min: 0, max: 0 }], NOW);
  assert.equal(ok.reason, 'Threshold Crossed: 1 datapoint [0.0 (27/11/26 08:30:00)] was not greater than or equal to the threshold (0.5).');
  assert.equal(evaluate(a, [], NOW).reason, 'Insufficient Data: 1 datapoint was unknown.');
});

test('an ALARM holds until the period after the breach is complete; then the complete periods decide', () => {
  const a = alarm({ EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
  const current = windowStart(a, NOW);
  const previous = current - MINUTE;
  const set = (timestampMs: number, sum: number) => ({ timestampMs, sum, sampleCount: 1, min: sum, max: sum });
  // Errors in the previous minute, none yet (or only successes) in this one.
  assert.equal(evaluate(a, [set(previous, 2)], NOW).state, 'ALARM');
  assert.equal(evaluate(a, [set(previous, 2), set(current, 0)], NOW).state, 'ALARM');
  // A clean previous minute: the current one decides once it has data.
  assert.equal(evaluate(a, [set(previous, 0), set(current, 0)], NOW).state, 'OK');
  assert.equal(evaluate(a, [set(previous, 0), set(current, 3)], NOW).state, 'ALARM');
  // Without data in the current minute, the complete minutes decide (missing: INSUFFICIENT_DATA).
  assert.equal(evaluate(alarm({ EvaluationPeriods: 1 }), [], NOW).state, 'INSUFFICIENT_DATA');
});

test('percentile alarms: the period\'s percentile; statistic sets count as missing; ignore holds the state on low samples', () => {
  const start = windowStart(alarm({ EvaluationPeriods: 1 }), NOW);
  const withValues = (values: number[]): PeriodSet => {
    const histogram = new Histogram();
    for (const v of values) histogram.add(v);
    return { timestampMs: start, sum: values.reduce((a, b) => a + b, 0), sampleCount: values.length, min: Math.min(...values), max: Math.max(...values), histogram };
  };
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  const p90 = alarm({ Statistic: undefined, ExtendedStatistic: 'p90', EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold' });
  assert.equal(evaluate(p90, [withValues(hundred)], NOW).state, 'ALARM');
  assert.equal(evaluate({ ...p90, Threshold: 95 }, [withValues(hundred)], NOW).state, 'OK');
  assert.equal(JSON.parse(evaluate(p90, [withValues(hundred)], NOW).reasonData).statistic, 'p90');
  const statisticSet: PeriodSet = { timestampMs: start, sum: 500, sampleCount: 10, min: 1, max: 99 };
  assert.equal(evaluate(p90, [statisticSet], NOW).state, 'INSUFFICIENT_DATA', 'no percentile: missing');
  // p90 needs 100 samples to be significant.
  const ignoring = { ...p90, EvaluateLowSampleCountPercentile: 'ignore' as const, StateValue: 'OK' as const };
  assert.equal(evaluate(ignoring, [withValues(hundred.slice(10))], NOW).state, 'OK', '90 samples: the state holds');
  assert.equal(evaluate(ignoring, [withValues(hundred)], NOW).state, 'ALARM');
  assert.equal(evaluate({ ...ignoring, EvaluateLowSampleCountPercentile: 'evaluate' }, [withValues(hundred.slice(10))], NOW).state, 'ALARM');
});
