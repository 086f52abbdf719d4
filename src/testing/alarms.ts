// Test support: metric alarms whose state only SetAlarmState changes, for tests of what state
// changes do (actions, composite alarms, suppression).
import { SetAlarmStateCommand, type CloudWatchClient, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';

/** An alarm on a metric nobody writes: with missing data ignored, it keeps the state it is set to. */
export const quietAlarm = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name, Namespace: 'Actions/Test', MetricName: 'Quiet', Dimensions: [{ Name: 'Queue', Value: 'q1' }], Statistic: 'Sum', Period: 60,
  EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore', ...extra,
});

export const setAlarmState = (cw: CloudWatchClient, name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason = 'by hand', reasonData?: string) =>
  cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason, StateReasonData: reasonData }));
