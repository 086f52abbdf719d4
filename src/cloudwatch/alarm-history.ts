// Alarm history: the items PutMetricAlarm, PutCompositeAlarm, DeleteAlarms, SetAlarmState, the
// evaluators (metric and composite) and alarm actions (./alarm-actions.ts) write,
// in AWS's shapes (HistorySummary "Alarm updated from OK to ALARM", 'Alarm "x" created'; HistoryData
// JSON with oldState/newState, or the alarm's configuration in camelCase, a metric math alarm's
// queries included), and DescribeAlarmHistory.
// Items are kept 14 days, after their alarm is deleted too, as CloudWatch keeps them.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { MetricDataQuery, Operations } from '../aws/generated/cloudwatch.js';
import type { CloudWatchStore, StoredAlarmHistory } from '../store/cloudwatch-store.js';
import { awsError } from '../core/errors.js';
import { alarmArn, isComposite, type AlarmRecord, type AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { cloudWatchDate } from './alarm-evaluation.js';
import { suppressionView } from './action-suppression.js';

/** CloudWatch keeps alarm history for two weeks. */
export const HISTORY_RETENTION_MS = 14 * 24 * 3600_000;
const DEFAULT_PAGE = 50;

type ConfigurationChange = 'Create' | 'Update' | 'Delete';
const CHANGE_WORD: Record<ConfigurationChange, string> = { Create: 'created', Update: 'updated', Delete: 'deleted' };
const CHANGE_KEYS: Record<ConfigurationChange, string> = { Create: 'createdAlarm', Update: 'updatedAlarm', Delete: 'deletedAlarm' };

const itemOf = (a: AnyAlarmRecord, timestampMs: number, itemType: StoredAlarmHistory['itemType'], summary: string, data: object): StoredAlarmHistory =>
  ({ accountId: a.accountId, region: a.region, alarmName: a.AlarmName, alarmType: a.AlarmType ?? 'MetricAlarm', timestampMs, itemType, summary, data: JSON.stringify(data) });

const anyConfigurationView = (a: AnyAlarmRecord): Record<string, unknown> => (isComposite(a) ? compositeConfigurationView(a) : configurationView(a));

/** A ConfigurationUpdate item: the alarm as it now is (for an update, as it was too). */
export function configurationItem(type: ConfigurationChange, alarm: AnyAlarmRecord, timestampMs: number, original?: AnyAlarmRecord): StoredAlarmHistory {
  const data: Record<string, unknown> = { version: '1.0', type, [CHANGE_KEYS[type]]: anyConfigurationView(alarm) };
  if (type === 'Update' && original) data.originalUpdatedAlarm = anyConfigurationView(original);
  return itemOf(alarm, timestampMs, 'ConfigurationUpdate', `Alarm "${alarm.AlarmName}" ${CHANGE_WORD[type]}`, data);
}

/** A StateUpdate item from the alarm as it was to the alarm as it is. */
export function stateItem(before: AnyAlarmRecord, after: AnyAlarmRecord, timestampMs: number): StoredAlarmHistory {
  return itemOf(after, timestampMs, 'StateUpdate', `Alarm updated from ${before.StateValue} to ${after.StateValue}`,
    { version: '1.0', oldState: stateView(before), newState: stateView(after) });
}

/**
 * An Action item: one action run on a state change, as AWS words it ("Successfully executed action
 * <arn>", "Failed to execute action <arn>. Received error: "…""), HistoryData with the action's
 * state, the resource, the state change's time and what was sent (or the error).
 */
export function actionItem(alarm: AnyAlarmRecord, action: string, timestampMs: number, outcome: { sent: string } | { error: string }): StoredAlarmHistory {
  const failed = 'error' in outcome;
  const summary = failed ? `Failed to execute action ${action}. Received error: "${outcome.error}"` : `Successfully executed action ${action}`;
  return itemOf(alarm, timestampMs, 'Action', summary, {
    actionState: failed ? 'Failed' : 'Succeeded',
    notificationResource: action,
    stateUpdateTimestamp: alarm.stateUpdatedMs,
    ...(failed ? { error: outcome.error } : { publishedMessage: outcome.sent }),
  });
}

/** A state in HistoryData: its reason data as JSON, not as a string; a composite's suppressed actions say why. */
function stateView(a: AnyAlarmRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { stateValue: a.StateValue, stateReason: a.StateReason, ...suppressionView(a) };
  if (a.StateReasonData !== undefined) {
    try {
      view.stateReasonData = JSON.parse(a.StateReasonData);
    } catch {
      view.stateReasonData = a.StateReasonData;
    }
  }
  return view;
}

/**
 * An alarm as a ConfigurationUpdate's HistoryData shows it (AWS's camelCase names, `okactions`
 * included): what all alarms have around what `specific` holds of its kind.
 */
function configurationOf(a: AnyAlarmRecord, specific: Record<string, unknown>): Record<string, unknown> {
  return {
    alarmName: a.AlarmName,
    alarmDescription: a.AlarmDescription,
    alarmArn: alarmArn(a),
    alarmConfigurationUpdatedTimestamp: cloudWatchDate(a.configurationUpdatedMs),
    ...specific,
    stateValue: a.StateValue,
    stateUpdatedTimestamp: cloudWatchDate(a.stateUpdatedMs),
    actionsEnabled: a.ActionsEnabled,
    alarmActions: a.AlarmActions,
    insufficientDataActions: a.InsufficientDataActions,
    okactions: a.OKActions,
  };
}

function configurationView(a: AlarmRecord): Record<string, unknown> {
  return configurationOf(a, {
    namespace: a.Namespace,
    metricName: a.MetricName,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    period: a.Period,
    unit: a.Unit,
    dimensions: a.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    metrics: a.Metrics?.map(queryView),
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    treatMissingData: a.TreatMissingData,
    evaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
  });
}

function compositeConfigurationView(a: CompositeAlarmRecord): Record<string, unknown> {
  return configurationOf(a, {
    alarmRule: a.AlarmRule,
    actionsSuppressor: a.ActionsSuppressor,
    actionsSuppressorWaitPeriod: a.ActionsSuppressorWaitPeriod,
    actionsSuppressorExtensionPeriod: a.ActionsSuppressorExtensionPeriod,
  });
}

/** A metric math alarm's query in HistoryData (camelCase, as the rest of the configuration). */
function queryView(q: MetricDataQuery): Record<string, unknown> {
  const stat = q.MetricStat;
  return {
    id: q.Id,
    metricStat: stat && {
      metric: { namespace: stat.Metric.Namespace, metricName: stat.Metric.MetricName, dimensions: (stat.Metric.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })) },
      period: stat.Period,
      stat: stat.Stat,
      unit: stat.Unit,
    },
    expression: q.Expression,
    label: q.Label,
    returnData: q.ReturnData,
    period: q.Period,
  };
}

export function alarmHistoryHandlers(deps: { store: CloudWatchStore }): HandlerTable<Operations> {
  return {
    async DescribeAlarmHistory(input, ctx) {
      const limit = input.MaxRecords ?? DEFAULT_PAGE;
      const ascending = input.ScanBy === 'TimestampAscending';
      // Only metric alarms' items are listed unless AlarmTypes says otherwise (AWS's rule).
      const alarmTypes = input.AlarmTypes?.length ? input.AlarmTypes : ['MetricAlarm'];
      const items = await deps.store.alarmHistory(ctx, {
        alarmName: input.AlarmName,
        alarmTypes,
        itemType: input.HistoryItemType,
        fromMs: input.StartDate?.getTime(),
        toMs: input.EndDate?.getTime(),
        ascending,
        limit: limit + 1,
        after: input.NextToken === undefined ? undefined : decodeToken(input.NextToken),
      });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: h.alarmType,
          Timestamp: new Date(h.timestampMs),
          HistoryItemType: h.itemType,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        NextToken: items.length > limit ? Buffer.from(JSON.stringify({ t: last.timestampMs, i: last.id })).toString('base64') : undefined,
      };
    },
  };
}

function decodeToken(token: string): { timestampMs: number; id: number } {
  try {
    const { t, i } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { t: unknown; i: unknown };
    if (Number.isSafeInteger(t) && Number.isSafeInteger(i)) return { timestampMs: t as number, id: i as number };
  } catch {
    // falls through to the error
  }
  throw awsError('InvalidNextToken', 'The service cannot process the request because the NextToken is invalid.');
}
