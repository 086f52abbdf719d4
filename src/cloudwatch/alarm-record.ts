// A metric alarm as stored: DescribeAlarms' fields with timestamps as epoch ms (JSON), plus the
// conversions to and from the store's body.
import type { MetricAlarm, MetricDataQuery } from '../aws/generated/cloudwatch.js';
import type { StoredAlarm } from '../store/cloudwatch-store.js';
import type { BasicStatistic } from './statistics.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export interface AlarmRecord {
  accountId: string;
  region: string;
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
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
  Tags?: { Key: string; Value: string }[];
  configurationUpdatedMs: number;
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  stateUpdatedMs: number;
  stateTransitionedMs: number;
}

export const alarmArn = (a: { accountId: string; region: string; AlarmName: string }): string =>
  `arn:aws:cloudwatch:${a.region}:${a.accountId}:alarm:${a.AlarmName}`;

export const parseAlarm = (stored: StoredAlarm): AlarmRecord => JSON.parse(stored.body) as AlarmRecord;

export const storedAlarm = (a: AlarmRecord): StoredAlarm => ({ accountId: a.accountId, region: a.region, name: a.AlarmName, body: JSON.stringify(a) });

/** The alarm as DescribeAlarms answers it. */
export function metricAlarmView(a: AlarmRecord): MetricAlarm {
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
    StateTransitionedTimestamp: new Date(a.stateTransitionedMs),
  };
}
