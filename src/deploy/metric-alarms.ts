// AWS::CloudWatch::Alarm and AWS::CloudWatch::CompositeAlarm resources of a template, put into
// Stagecraft's CloudWatch (PutMetricAlarm, PutCompositeAlarm: a composite after the alarms its
// rule and ActionsSuppressor name, alarm-order.ts) after the
// functions exist (their dimensions often !Ref a function or !Sub "${Fn}:live") and before traffic
// shifts, which may watch them. CloudFormation's properties are PutMetricAlarm's members; the name
// is AlarmName or CloudFormation's generated `{stack}-{LogicalId}-{suffix}`, the same !Ref gives.
// `Metrics` (a metric math alarm) is CloudFormation's MetricDataQuery list, PutMetricAlarm's too.
// Alarms are tagged with the stack: one removed from the template goes at the next deploy, and
// `stagecraft delete` removes them all (stack-deletions.ts).
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import type { ConnectionSettings } from './clients.js';
import { alarmsWithTags, cloudWatchCall, deleteAlarm, describeAlarmStates, replaceAlarmTags } from './cloudwatch-calls.js';
import { childrenFirst, suppressorCycles } from './alarm-order.js';
import { STACK_TAG } from './functions.js';
import { located, CLOUDWATCH_ALARM_TYPES, COMPOSITE_ALARM_TYPE } from './other-resources.js';
import { synthetic, type MapNode } from './source.js';

export { CLOUDWATCH_ALARM_TYPES };

/** Properties CloudFormation takes whose values are numbers (a !Ref to a parameter gives a string). */
const NUMBERS = new Set(['Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold', 'ActionsSuppressorWaitPeriod', 'ActionsSuppressorExtensionPeriod']);

const asBoolean = (value: unknown): unknown => (typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value);

/** A number a !Ref to a parameter gave as a string, as a number. */
export const asNumber = (value: unknown): unknown =>
  (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);

/** A metric math alarm's MetricDataQuery list with its periods as numbers (CloudFormation's shape is PutMetricAlarm's). */
function metricQueries(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((q: Record<string, unknown>) => {
    if (typeof q !== 'object' || q === null) return q;
    const out: Record<string, unknown> = { ...q };
    if (out.Period !== undefined) out.Period = asNumber(out.Period);
    const stat = out.MetricStat as Record<string, unknown> | undefined;
    if (stat && typeof stat === 'object') out.MetricStat = { ...stat, Period: asNumber(stat.Period) };
    if (typeof out.ReturnData === 'string') out.ReturnData = out.ReturnData.toLowerCase() === 'true';
    return out;
  });
}

/** What an alarm watches, for the deploy's report: a metric, a math expression, or a composite's rule. */
export function alarmSubject(input: Record<string, unknown>): string {
  if (typeof input.AlarmRule === 'string') return `rule ${input.AlarmRule}`;
  if (!Array.isArray(input.Metrics)) return `${String(input.Namespace)} ${String(input.MetricName)}`;
  const watched = (input.Metrics as { Expression?: string; ReturnData?: boolean; MetricStat?: { Metric?: { MetricName?: string } } }[]).find((q) => q.ReturnData !== false);
  return `metric math ${watched?.Expression ?? watched?.MetricStat?.Metric?.MetricName ?? ''}`.trimEnd();
}

/** PutMetricAlarm's input for one alarm resource. */
export function alarmInput(r: ActiveResource, scope: Scope, stackName: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const e of (r.properties as MapNode).entries) {
    const value = located(e.value, () => evaluate(e.value, scope));
    if (value === NO_VALUE) continue;
    input[e.key] = NUMBERS.has(e.key) ? asNumber(value) : e.key === 'Metrics' ? metricQueries(value) : e.key === 'ActionsEnabled' ? asBoolean(value) : value;
  }
  input.AlarmName = scope.resourceRef(r.def.logicalId, synthetic({ Ref: r.def.logicalId }, r.def.path, r.def.loc));
  const tags = Array.isArray(input.Tags) ? (input.Tags as { Key: string }[]).filter((t) => t.Key !== STACK_TAG) : [];
  input.Tags = [...tags, { Key: STACK_TAG, Value: stackName }];
  return input;
}

/** Puts the alarm (a composite when it has an AlarmRule); says whether it was new. */
export async function putAlarm(connection: ConnectionSettings, input: Record<string, unknown>): Promise<'created' | 'updated'> {
  const [existing] = await describeAlarmStates(connection, [String(input.AlarmName)]);
  await cloudWatchCall(connection, input.AlarmRule === undefined ? 'PutMetricAlarm' : 'PutCompositeAlarm', input);
  if (!existing) return 'created';
  // An update leaves the alarm's tags as they were: the template's (and the stack's) are set apart.
  await replaceAlarmTags(connection, existing.AlarmArn, input.Tags as { Key: string; Value: string }[]);
  return 'updated';
}

type TemplateAlarm = { id: string; type: string; input: Record<string, unknown> };

/** The template's composite alarms with what orders them (their rules and suppressors). */
function composites<T extends TemplateAlarm>(alarms: readonly T[]) {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return alarms.filter((a) => a.type === COMPOSITE_ALARM_TYPE)
    .map((alarm) => ({ alarm, AlarmName: String(alarm.input.AlarmName), AlarmRule: text(alarm.input.AlarmRule), ActionsSuppressor: text(alarm.input.ActionsSuppressor) }));
}

/** CloudFormation's refusal of composite alarms naming each other through a suppressor (no order puts them), or undefined. */
function suppressorCycle(alarms: readonly TemplateAlarm[]): { ids: string[]; message: string } | undefined {
  const [group] = suppressorCycles(composites(alarms));
  if (!group) return undefined;
  const ids = group.map((c) => c.alarm.id);
  return {
    ids,
    message: `Circular dependency between resources: [${ids.join(', ')}]: composite alarms whose ActionsSuppressor (or AlarmRule) name each other in a cycle `
      + '(CloudWatch refuses an ActionsSuppressor that does not exist yet, so none of them can be put first)',
  };
}

/**
 * The template's alarms in the order to put them: metric alarms, then composites, each after the
 * template's alarms its rule and ActionsSuppressor name (CloudWatch refuses either naming an alarm
 * that does not exist yet); composites in a cycle through a suppressor are refused.
 */
export function putOrder<T extends TemplateAlarm>(alarms: readonly T[]): T[] {
  const cycle = suppressorCycle(alarms);
  if (cycle) throw new Error(cycle.message);
  return [...alarms.filter((a) => a.type !== COMPOSITE_ALARM_TYPE), ...childrenFirst(composites(alarms)).map((c) => c.alarm)];
}

/** Refuses, before the deploy changes anything, the template's composite alarms in a cycle through a suppressor (placeholders for what only deploying tells). */
export function checkAlarmCycles(model: StackModel, scope: Scope): void {
  const alarms: TemplateAlarm[] = [];
  for (const r of model.others.values()) {
    if (r.def.type !== COMPOSITE_ALARM_TYPE) continue;
    try {
      alarms.push({ id: r.def.logicalId, type: r.def.type, input: alarmInput(r, scope, model.identity.stackName) });
    } catch {
      // A property that can't be read is reported when the deploy reads the alarm.
    }
  }
  const cycle = suppressorCycle(alarms);
  if (!cycle) return;
  const first = model.others.get(cycle.ids[0])!;
  model.issues.error(cycle.message, `${first.def.path}.Properties`, first.def.loc);
}

/** Deletes the stack's alarms that are not in `keep` (removed from the template); their names. */
export async function removeStaleAlarms(connection: ConnectionSettings, stackName: string, keep: ReadonlySet<string>): Promise<string[]> {
  const stale = (await alarmsWithTags(connection)).filter((a) => a.tags[STACK_TAG] === stackName && !keep.has(a.name)).map((a) => a.name);
  for (const name of stale) await deleteAlarm(connection, name);
  return stale;
}
