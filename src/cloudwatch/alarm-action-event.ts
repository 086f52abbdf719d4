// The event an alarm's Lambda action receives, in the shape CloudWatch documents ("Lambda alarm
// action payload"): source aws.cloudwatch, the alarm's ARN, account, region and time, and
// alarmData with the new and previous states and the alarm's configuration — a metric alarm's
// description and metrics (a single metric as one query), a composite alarm's rule and suppressor.
import { createHash } from 'node:crypto';
import type { MetricDataQuery } from '../aws/generated/cloudwatch.js';
import { alarmArn, isComposite, type AlarmRecord, type AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { cloudWatchDate } from './alarm-evaluation.js';
import { suppressionView } from './action-suppression.js';

/** The event for the transition from `before` to `after`. */
export function alarmActionEvent(before: AnyAlarmRecord, after: AnyAlarmRecord): Record<string, unknown> {
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(after),
    accountId: after.accountId,
    time: cloudWatchDate(after.stateUpdatedMs),
    region: after.region,
    alarmData: {
      alarmName: after.AlarmName,
      state: stateView(after),
      previousState: stateView(before),
      configuration: isComposite(after) ? compositeConfiguration(after) : metricConfiguration(after),
    },
  };
}

/** A state as the event shows it: the reason data stays a JSON string; a composite's suppressed actions say why. */
const stateView = (a: AnyAlarmRecord) => ({
  value: a.StateValue,
  reason: a.StateReason,
  ...(a.StateReasonData !== undefined ? { reasonData: a.StateReasonData } : {}),
  timestamp: cloudWatchDate(a.stateUpdatedMs),
  ...suppressionView(a),
});

function compositeConfiguration(a: CompositeAlarmRecord): Record<string, unknown> {
  return {
    description: a.AlarmDescription,
    alarmRule: a.AlarmRule,
    actionsSuppressor: a.ActionsSuppressor,
    actionsSuppressorWaitPeriod: a.ActionsSuppressorWaitPeriod,
    actionsSuppressorExtensionPeriod: a.ActionsSuppressorExtensionPeriod,
  };
}

type Dimensions = { Name: string; Value: string }[] | undefined;
/** Dimensions as the event spells them: an object of names to values. */
const dimensionMap = (dimensions: Dimensions): Record<string, string> => Object.fromEntries((dimensions ?? []).map((d) => [d.Name, d.Value]));

function metricConfiguration(a: AlarmRecord): Record<string, unknown> {
  if (a.Metrics) return { description: a.AlarmDescription, metrics: a.Metrics.map(queryView) };
  // A single metric is shown as one query; AWS names it with a generated id (here one derived from the alarm, so it is stable).
  return {
    description: a.AlarmDescription,
    metrics: [{
      id: stableId(alarmArn(a)),
      metricStat: {
        metric: { namespace: a.Namespace, name: a.MetricName, dimensions: dimensionMap(a.Dimensions) },
        period: a.Period,
        stat: a.Statistic ?? a.ExtendedStatistic,
        unit: a.Unit,
      },
      returnData: true,
    }],
  };
}

function queryView(q: MetricDataQuery): Record<string, unknown> {
  const stat = q.MetricStat;
  return {
    id: q.Id,
    metricStat: stat && {
      metric: { namespace: stat.Metric.Namespace, name: stat.Metric.MetricName, dimensions: dimensionMap(stat.Metric.Dimensions as Dimensions) },
      period: stat.Period,
      stat: stat.Stat,
      unit: stat.Unit,
    },
    expression: q.Expression,
    label: q.Label,
    returnData: q.ReturnData ?? true,
    period: q.Period,
  };
}

/** A UUID-shaped id from a string. */
function stableId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
