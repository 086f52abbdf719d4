// The notification an alarm's SNS action publishes, as CloudWatch writes it: the subject
// `ALARM: "name" in US East (N. Virginia)` and a JSON message with the alarm, the old and new
// states, its action lists and (for a metric alarm) its Trigger.
import { alarmArn, isComposite, type AnyAlarmRecord } from './alarm-record.js';
import { cloudWatchDate } from './alarm-evaluation.js';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)', 'us-west-1': 'US West (N. California)', 'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)', 'eu-west-2': 'EU (London)', 'eu-west-3': 'EU (Paris)', 'eu-central-1': 'EU (Frankfurt)', 'eu-north-1': 'EU (Stockholm)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)', 'ap-northeast-2': 'Asia Pacific (Seoul)', 'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)', 'ap-south-1': 'Asia Pacific (Mumbai)', 'ca-central-1': 'Canada (Central)', 'sa-east-1': 'South America (Sao Paulo)',
};

const regionName = (region: string) => REGION_NAMES[region] ?? region;

export function alarmSnsSubject(after: AnyAlarmRecord): string {
  const subject = `${after.StateValue}: "${after.AlarmName}" in ${regionName(after.region)}`;
  // SNS subjects are at most 100 printable ASCII characters.
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

export function alarmSnsMessage(before: AnyAlarmRecord, after: AnyAlarmRecord): Record<string, unknown> {
  return {
    AlarmName: after.AlarmName,
    AlarmDescription: after.AlarmDescription ?? null,
    AWSAccountId: after.accountId,
    AlarmConfigurationUpdatedTimestamp: cloudWatchDate(after.configurationUpdatedMs),
    NewStateValue: after.StateValue,
    NewStateReason: after.StateReason,
    StateChangeTime: cloudWatchDate(after.stateUpdatedMs),
    Region: regionName(after.region),
    AlarmArn: alarmArn(after),
    OldStateValue: before.StateValue,
    OKActions: after.OKActions,
    AlarmActions: after.AlarmActions,
    InsufficientDataActions: after.InsufficientDataActions,
    ...(isComposite(after) ? { AlarmRule: after.AlarmRule } : { Trigger: trigger(after) }),
  };
}

function trigger(a: Exclude<AnyAlarmRecord, { AlarmType: 'CompositeAlarm' }>): Record<string, unknown> {
  const common = {
    Period: a.Period, EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
    ComparisonOperator: a.ComparisonOperator, Threshold: a.Threshold, TreatMissingData: a.TreatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile ?? '',
  };
  if (a.Metrics) return { Metrics: a.Metrics, ...common };
  return {
    MetricName: a.MetricName, Namespace: a.Namespace,
    StatisticType: a.ExtendedStatistic !== undefined ? 'ExtendedStatistic' : 'Statistic',
    ...(a.ExtendedStatistic !== undefined ? { ExtendedStatistic: a.ExtendedStatistic } : { Statistic: a.Statistic?.toUpperCase() }),
    Unit: a.Unit ?? null,
    Dimensions: a.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    ...common,
  };
}
