// A metric alarm as stored: DescribeAlarms' fields with timestamps as epoch ms (JSON), plus the
// conversions to and from the store's body, which holds composite alarms too (./composite-record.ts).
import type { MetricAlarm, MetricDataQuery } from '../aws/generated/cloudwatch.js';
import type { StoredAlarm } from '../store/cloudwatch-store.js';
import type { BasicStatistic } from './statistics.js';
import type { CompositeAlarmRecord } from './composite-record.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** What metric and composite alarms both hold: name, actions, tags and state. */
export interface AlarmCommon {
  accountId: string;
  region: string;
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  Tags?: { Key: string; Value: string }[];
  configurationUpdatedMs: number;
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  stateUpdatedMs: number;
  stateTransitionedMs: number;
}

export interface AlarmRecord extends AlarmCommon {
  /** Unset on a metric alarm (and on those stored before composite alarms existed). */
  AlarmType?: 'MetricAlarm';
  /** A single-metric alarm's metric; a metric math alarm has Metrics instead (and no Period, Unit or statistic). */
  Namespace?: string;
  MetricName?: string;
  Dimensions: { Name: string; Value: string }[];
  /** One of Statistic and ExtendedStatistic (a percentile...). */
  Statistic?: BasicStatistic;
  ExtendedStatistic?: string;
  EvaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  Period?: number;
  Unit?: string;
  /** A metric math alarm's queries: the one with ReturnData (true or unset) is watched. */
  Metrics?: MetricDataQuery[];
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
}

export const alarmArn = (a: { accountId: string; region: string; AlarmName: string }): string =>
  `arn:aws:cloudwatch:${a.region}:${a.accountId}:alarm:${a.AlarmName}`;

/** A metric or composite alarm, as the alarms table holds both. */
export type AnyAlarmRecord = AlarmRecord | CompositeAlarmRecord;

export const parseAnyAlarm = (stored: StoredAlarm): AnyAlarmRecord => JSON.parse(stored.body) as AnyAlarmRecord;

export const isComposite = (a: AnyAlarmRecord): a is CompositeAlarmRecord => a.AlarmType === 'CompositeAlarm';

type StateFields = Pick<AlarmRecord, 'StateValue' | 'StateReason' | 'StateReasonData' | 'stateUpdatedMs' | 'stateTransitionedMs'>;

/** A new alarm's state (INSUFFICIENT_DATA), or the state an update leaves as it is (CloudWatch's rule). */
export function initialOrKeptState(existing: AnyAlarmRecord | undefined, t: number): StateFields {
  if (!existing) return { StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', stateUpdatedMs: t, stateTransitionedMs: t };
  const { StateValue, StateReason, StateReasonData, stateUpdatedMs, stateTransitionedMs } = existing;
  return { StateValue, StateReason, StateReasonData, stateUpdatedMs, stateTransitionedMs };
}

/** Tags PutMetricAlarm and PutCompositeAlarm give apply on creation only; an update keeps the alarm's (AWS's rule: TagResource changes them). */
export const keptTags = (existing: AnyAlarmRecord | undefined, given: AlarmCommon['Tags']): AlarmCommon['Tags'] => (existing ? existing.Tags : given);

/** A stored alarm known to be a metric alarm. */
export const parseAlarm = (stored: StoredAlarm): AlarmRecord => JSON.parse(stored.body) as AlarmRecord;

export const storedAlarm = (a: AnyAlarmRecord): StoredAlarm => ({ accountId: a.accountId, region: a.region, name: a.AlarmName, body: JSON.stringify(a) });

/** What DescribeAlarms shows of a metric and a composite alarm alike. */
export function sharedAlarmView(a: AnyAlarmRecord) {
  return {
    AlarmName: a.AlarmName,
    AlarmArn: alarmArn(a),
    AlarmDescription: a.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(a.configurationUpdatedMs),
    ActionsEnabled: a.ActionsEnabled,
    OKActions: a.OKActions,
    AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions,
    StateValue: a.StateValue,
    StateReason: a.StateReason,
    StateReasonData: a.StateReasonData,
    StateUpdatedTimestamp: new Date(a.stateUpdatedMs),
    StateTransitionedTimestamp: new Date(a.stateTransitionedMs),
  };
}

/** The alarm as DescribeAlarms answers it. */
export function metricAlarmView(a: AlarmRecord): MetricAlarm {
  return {
    ...sharedAlarmView(a),
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: a.Dimensions,
    Period: a.Period,
    Unit: a.Unit as MetricAlarm['Unit'],
    Metrics: a.Metrics,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData,
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
  };
}
