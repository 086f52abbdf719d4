// PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState (recording
// alarm history through ./alarm-history.ts; composite alarms through ./composite-alarm-handlers.ts) and
// Enable/DisableAlarmActions (tags: ./tag-handlers.ts). Alarms on a single metric with a
// basic or extended statistic, and on metric math (Metrics, ./math-alarm.ts), are supported;
// Lambda actions run on state changes (./alarm-actions.ts), other actions are stored and shown.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, PutMetricAlarmInput } from '../aws/generated/cloudwatch.js';
import type { RequestContext } from '../aws/request-context.js';
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import { awsError } from '../core/errors.js';
import { canonicalDimensions } from './series-key.js';
import { isBasicStatistic, BASIC_STATISTICS } from './statistics.js';
import { parseExtendedStatistic } from './extended-statistics.js';
import { initialOrKeptState, isComposite, keptTags, metricAlarmView, parseAlarm, parseAnyAlarm, storedAlarm, type AlarmRecord, type AnyAlarmRecord, type ComparisonOperator, type TreatMissingData } from './alarm-record.js';
import { compositeAlarmView } from './composite-record.js';
import { checkDeletable, relatedAlarms, relatedView, splitByType } from './composite-alarm-handlers.js';
import { settleComposites } from './composite-evaluation.js';
import { configurationItem } from './alarm-history.js';
import { checkActions, type AlarmTransitions } from './alarm-actions.js';
import { withoutSuppression } from './action-suppression.js';
import { checkMathAlarm } from './math-alarm.js';
import { alarmNotFound, invalidCombination, invalidValue, missingParameter, validationError } from './errors.js';

export interface AlarmDeps {
  store: CloudWatchStore;
  now: () => number;
  transitions: AlarmTransitions;
}

const SIMPLE_OPERATORS: readonly string[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const TREATMENTS: readonly string[] = ['breaching', 'notBreaching', 'ignore', 'missing'];
const DEFAULT_PAGE = 50;
const ONE_DAY_S = 86_400;

export function alarmHandlers(deps: AlarmDeps): HandlerTable<Operations> {
  const { store, now, transitions } = deps;
  const load = async (ctx: RequestContext, name: string): Promise<AnyAlarmRecord> => {
    const stored = await store.getAlarm(ctx, name);
    if (!stored) throw alarmNotFound(name);
    return parseAnyAlarm(stored);
  };

  return {
    async PutMetricAlarm(input, ctx) {
      const config = await checkedConfig(input);
      checkActions([input.AlarmActions, input.OKActions, input.InsufficientDataActions], ctx.region);
      const existing = await store.getAlarm(ctx, input.AlarmName);
      if (existing && isComposite(parseAnyAlarm(existing))) throw validationError(`The alarm ${input.AlarmName} is a composite alarm; a metric alarm cannot take its name.`);
      const t = now();
      // An update replaces the configuration and leaves the state as it is.
      const state = initialOrKeptState(existing && parseAlarm(existing), t);
      const alarm: AlarmRecord = { accountId: ctx.accountId, region: ctx.region, ...config, Tags: keptTags(existing && parseAlarm(existing), config.Tags), configurationUpdatedMs: t, ...state };
      await store.putAlarm(storedAlarm(alarm));
      await store.addAlarmHistory(existing ? configurationItem('Update', alarm, t, parseAlarm(existing)) : configurationItem('Create', alarm, t));
    },

    async DescribeAlarms(input, ctx) {
      if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) {
        throw invalidCombination('The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.');
      }
      const all = (await store.listAlarms(ctx)).map(parseAnyAlarm);
      const related = relatedAlarms(input, all);
      // Without AlarmTypes only metric alarms are listed (AWS's rule).
      const types = new Set<string>(input.AlarmTypes?.length ? input.AlarmTypes : ['MetricAlarm']);
      const names = input.AlarmNames && new Set(input.AlarmNames);
      const matching = related ?? all.filter((a) => types.has(a.AlarmType ?? 'MetricAlarm') && (!names || names.has(a.AlarmName))
        && (input.AlarmNamePrefix === undefined || a.AlarmName.startsWith(input.AlarmNamePrefix))
        && (input.StateValue === undefined || a.StateValue === input.StateValue)
        && (input.ActionPrefix === undefined || [...a.OKActions, ...a.AlarmActions, ...a.InsufficientDataActions].some((x) => x.startsWith(input.ActionPrefix!))));
      // The token names the last alarm of the page: alarms list by name.
      let from = 0;
      if (input.NextToken !== undefined) {
        const after = decodeToken(input.NextToken);
        from = matching.findIndex((a) => a.AlarmName > after);
        if (from < 0) from = matching.length;
      }
      const size = input.MaxRecords ?? DEFAULT_PAGE;
      const page = matching.slice(from, from + size);
      const more = from + size < matching.length;
      const lists = related
        ? splitByType(page, (a) => relatedView(input, a), (a) => relatedView(input, a))
        : splitByType(page, metricAlarmView, compositeAlarmView);
      return {
        ...lists,
        NextToken: more ? Buffer.from(page[page.length - 1].AlarmName).toString('base64') : undefined,
      };
    },

    async DescribeAlarmsForMetric(input, ctx) {
      const dimensions = input.Dimensions && canonicalDimensions(input.Dimensions);
      // Metric math alarms watch no single metric: they are not listed (AWS's behaviour).
      const alarms = (await store.listAlarms(ctx)).map(parseAnyAlarm).filter((a): a is AlarmRecord => !isComposite(a) && !a.Metrics && a.Namespace === input.Namespace && a.MetricName === input.MetricName
        && (dimensions === undefined || canonicalDimensions(a.Dimensions) === dimensions)
        && (input.Statistic === undefined || a.Statistic === input.Statistic)
        && (input.ExtendedStatistic === undefined || a.ExtendedStatistic === input.ExtendedStatistic)
        && (input.Period === undefined || a.Period === input.Period)
        && (input.Unit === undefined || a.Unit === input.Unit));
      return { MetricAlarms: alarms.map(metricAlarmView) };
    },

    async DeleteAlarms(input, ctx) {
      // CloudWatch answers success for names that do not exist.
      const names = new Set(input.AlarmNames);
      const all = (await store.listAlarms(ctx)).map(parseAnyAlarm);
      checkDeletable(names, all);
      const deleted = all.filter((a) => names.has(a.AlarmName));
      await store.deleteAlarms(ctx, input.AlarmNames);
      const t = now();
      for (const alarm of deleted) await store.addAlarmHistory(configurationItem('Delete', alarm, t));
    },

    async SetAlarmState(input, ctx) {
      const alarm = await load(ctx, input.AlarmName);
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData);
        } catch {
          throw awsError('InvalidFormat', 'The parameter StateReasonData must be valid JSON.');
        }
      }
      const t = now();
      const changed = alarm.StateValue !== input.StateValue;
      const updated: AnyAlarmRecord = {
        ...(changed ? withoutSuppression(alarm) : alarm), StateValue: input.StateValue, StateReason: input.StateReason, StateReasonData: input.StateReasonData,
        stateUpdatedMs: changed ? t : alarm.stateUpdatedMs, stateTransitionedMs: changed ? t : alarm.stateTransitionedMs,
      };
      await store.putAlarm(storedAlarm(updated));
      if (!changed) return;
      // Its actions run as for any state change (AWS's rule for SetAlarmState).
      await transitions.record(alarm, updated, t);
      // The composites above it follow; a composite set so keeps its state until a child changes (AWS's rule).
      await settleComposites(store, ctx, { names: [alarm.AlarmName] }, now, transitions.record);
    },

    async EnableAlarmActions(input, ctx) {
      await setActionsEnabled(ctx, input.AlarmNames, true);
    },

    async DisableAlarmActions(input, ctx) {
      await setActionsEnabled(ctx, input.AlarmNames, false);
    },
  };

  async function setActionsEnabled(ctx: RequestContext, names: string[], enabled: boolean): Promise<void> {
    for (const name of names) {
      const stored = await store.getAlarm(ctx, name);
      if (stored) await store.putAlarm(storedAlarm({ ...parseAnyAlarm(stored), ActionsEnabled: enabled }));
    }
  }
}

type AlarmConfig = Omit<AlarmRecord, 'accountId' | 'region' | 'configurationUpdatedMs' | 'StateValue' | 'StateReason' | 'StateReasonData' | 'stateUpdatedMs' | 'stateTransitionedMs'>;

/** PutMetricAlarm's input, checked as CloudWatch checks it, as the stored configuration. */
async function checkedConfig(input: PutMetricAlarmInput): Promise<AlarmConfig> {
  const math = input.Metrics !== undefined && input.Metrics.length > 0;
  const period = math ? await checkMathAlarm(input) : checkSingleMetric(input);
  if (input.EvaluationPeriods === undefined) throw missingParameter('EvaluationPeriods');
  if (input.Threshold === undefined) throw missingParameter('Threshold');
  if (input.ComparisonOperator === undefined) throw missingParameter('ComparisonOperator');
  if (!SIMPLE_OPERATORS.includes(input.ComparisonOperator)) throw invalidValue(`The comparison operator ${input.ComparisonOperator} is only for anomaly detection alarms, which are not supported.`);
  if (input.ThresholdMetricId !== undefined) throw invalidValue('ThresholdMetricId is only for anomaly detection alarms, which are not supported.');
  if (input.EvaluationCriteria !== undefined) throw invalidValue('EvaluationCriteria (PromQL alarms) is not supported.');
  if (period * input.EvaluationPeriods > ONE_DAY_S) {
    throw validationError('Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).');
  }
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > input.EvaluationPeriods) {
    throw validationError('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }
  if (input.TreatMissingData !== undefined && !TREATMENTS.includes(input.TreatMissingData)) {
    throw validationError(`The value ${input.TreatMissingData} for parameter TreatMissingData is not supported. Valid values are: ${TREATMENTS.join(', ')}.`);
  }
  return {
    AlarmName: input.AlarmName,
    AlarmDescription: input.AlarmDescription,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: input.OKActions ?? [],
    AlarmActions: input.AlarmActions ?? [],
    InsufficientDataActions: input.InsufficientDataActions ?? [],
    Namespace: input.Namespace,
    MetricName: input.MetricName,
    Dimensions: input.Dimensions ?? [],
    Statistic: input.Statistic as AlarmConfig['Statistic'],
    ExtendedStatistic: input.ExtendedStatistic,
    EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile as AlarmConfig['EvaluateLowSampleCountPercentile'],
    Period: input.Period,
    Unit: input.Unit,
    Metrics: math ? input.Metrics : undefined,
    EvaluationPeriods: input.EvaluationPeriods,
    DatapointsToAlarm: input.DatapointsToAlarm,
    Threshold: input.Threshold,
    ComparisonOperator: input.ComparisonOperator as ComparisonOperator,
    TreatMissingData: input.TreatMissingData as TreatMissingData | undefined,
    Tags: input.Tags,
  };
}

/** A single-metric alarm's members checked; its period (s). */
function checkSingleMetric(input: PutMetricAlarmInput): number {
  if (input.Namespace === undefined) throw missingParameter('Namespace');
  if (input.MetricName === undefined) throw missingParameter('MetricName');
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw invalidCombination('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
  }
  if (input.ExtendedStatistic !== undefined && !parseExtendedStatistic(input.ExtendedStatistic)) {
    throw invalidValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not a valid extended statistic.`);
  }
  if (input.Statistic !== undefined && !isBasicStatistic(input.Statistic)) throw invalidValue(`The parameter Statistic must be a value in the set [ ${BASIC_STATISTICS.join(', ')} ].`);
  const lowSample = input.EvaluateLowSampleCountPercentile;
  if (lowSample !== undefined && lowSample !== 'evaluate' && lowSample !== 'ignore') {
    throw validationError(`The value ${lowSample} for parameter EvaluateLowSampleCountPercentile is not supported. Valid values are: evaluate, ignore.`);
  }
  if (input.Period === undefined) throw missingParameter('Period');
  if (![10, 30].includes(input.Period) && input.Period % 60 !== 0) throw invalidValue('The parameter Period must be 10, 30 or a multiple of 60.');
  return input.Period;
}

function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64').toString('utf8');
  if (!name || Buffer.from(name).toString('base64') !== token) throw awsError('InvalidNextToken', 'The service cannot process the request because the NextToken is invalid.');
  return name;
}
