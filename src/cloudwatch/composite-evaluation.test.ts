// A composite alarm's state from its children's, with AWS's reason (the child that transitioned
// last, its ARN and the date as CloudWatch writes it) and triggeringAlarms reason data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlarmState, AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { childNames, compositeEvaluation, longDate } from './composite-evaluation.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const at = Date.UTC(2023, 7, 4, 12, 54, 46, 138);
const child = (name: string, state: AlarmState, transitionedMs: number): AnyAlarmRecord => ({
  ...scope, AlarmName: name, ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [], Dimensions: [],
  Namespace: 'N', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
  configurationUpdatedMs: 0, StateValue: state, StateReason: 'r', stateUpdatedMs: transitionedMs, stateTransitionedMs: transitionedMs,
});
const composite = (rule: string): CompositeAlarmRecord => ({
  AlarmType: 'CompositeAlarm', ...scope, AlarmName: 'main', AlarmRule: rule, ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
  configurationUpdatedMs: 0, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', stateUpdatedMs: 0, stateTransitionedMs: 0,
});
const alarms = (...list: AnyAlarmRecord[]) => new Map(list.map((a) => [a.AlarmName, a]));

test('longDate is CloudWatch\'s composite reason date', () => {
  assert.equal(longDate(at), 'Friday 04 August, 2023 12:54:46 UTC');
});

test('ALARM when the rule is true, naming the child that transitioned last', () => {
  const result = compositeEvaluation(composite('ALARM(first) OR ALARM(second)'), alarms(child('first', 'ALARM', at), child('second', 'OK', at - 60_000)));
  assert.equal(result.state, 'ALARM');
  assert.equal(result.reason, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:first transitioned to ALARM at Friday 04 August, 2023 12:54:46 UTC');
  assert.deepEqual(JSON.parse(result.reasonData), {
    triggeringAlarms: [{ arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:first', state: { value: 'ALARM', timestamp: '2023-08-04T12:54:46.138+0000' } }],
  });
});

test('OK when the rule is false; ARNs and NOT count', () => {
  const arn = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:first';
  const rule = `ALARM("${arn}") AND NOT OK(second)`;
  const result = compositeEvaluation(composite(rule), alarms(child('first', 'ALARM', at - 60_000), child('second', 'OK', at)));
  assert.equal(result.state, 'OK');
  assert.match(result.reason, /alarm:second transitioned to OK at /);
  assert.deepEqual(childNames(composite(rule)), ['first', 'second']);
});

test('a rule of constants only: its value, with no triggering alarm', () => {
  const result = compositeEvaluation(composite('TRUE AND NOT FALSE'), alarms());
  assert.equal(result.state, 'ALARM');
  assert.equal(result.reason, 'The alarm rule evaluated to TRUE.');
  assert.deepEqual(JSON.parse(result.reasonData), { triggeringAlarms: [] });
});
