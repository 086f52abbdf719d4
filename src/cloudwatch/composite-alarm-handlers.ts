// PutCompositeAlarm, and the parts of DescribeAlarms (ChildrenOfAlarmName, ParentsOfAlarmName)
// and DeleteAlarms (a child of a composite stays; one composite a request) that composite alarms
// bring. Lambda actions run as for metric alarms (./alarm-actions.ts), suppressed as ./action-suppression.ts says.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { CompositeAlarm, DescribeAlarmsInput, DescribeAlarmsOutput, MetricAlarm, Operations, PutCompositeAlarmInput } from '../aws/generated/cloudwatch.js';
import { alarmArn, initialOrKeptState, isComposite, keptTags, parseAnyAlarm, storedAlarm, type AlarmRecord, type AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { AlarmRuleError, parseAlarmRule, referencedName, ruleReferences } from './alarm-rule.js';
import { childNames, settleComposites } from './composite-evaluation.js';
import { configurationItem } from './alarm-history.js';
import { validationError } from './errors.js';
import { checkActions } from './alarm-actions.js';
import { keptSuppression } from './action-suppression.js';
import type { AlarmDeps } from './alarm-handlers.js';

export function compositeAlarmHandlers(deps: AlarmDeps): HandlerTable<Operations> {
  const { store, now, transitions } = deps;
  return {
    async PutCompositeAlarm(input, ctx) {
      const alarms = new Map((await store.listAlarms(ctx)).map((s) => [s.name, parseAnyAlarm(s)]));
      checkRule(input, alarms, ctx);
      checkActions([input.AlarmActions, input.OKActions, input.InsufficientDataActions], ctx.region);
      const existing = alarms.get(input.AlarmName);
      if (existing && !isComposite(existing)) throw validationError(`The alarm ${input.AlarmName} is a metric alarm; a composite alarm cannot take its name.`);
      const t = now();
      // An update keeps the state; the new rule is evaluated right after (CloudWatch's rule).
      const state = initialOrKeptState(existing, t);
      const alarm: CompositeAlarmRecord = {
        AlarmType: 'CompositeAlarm',
        accountId: ctx.accountId,
        region: ctx.region,
        AlarmName: input.AlarmName,
        AlarmDescription: input.AlarmDescription,
        AlarmRule: input.AlarmRule,
        ActionsEnabled: input.ActionsEnabled ?? true,
        OKActions: input.OKActions ?? [],
        AlarmActions: input.AlarmActions ?? [],
        InsufficientDataActions: input.InsufficientDataActions ?? [],
        ActionsSuppressor: input.ActionsSuppressor,
        ActionsSuppressorWaitPeriod: input.ActionsSuppressorWaitPeriod,
        ActionsSuppressorExtensionPeriod: input.ActionsSuppressorExtensionPeriod,
        Tags: keptTags(existing, input.Tags),
        configurationUpdatedMs: t,
        ...state,
        ...keptSuppression(existing, input.ActionsSuppressor),
      };
      await store.putAlarm(storedAlarm(alarm));
      await store.addAlarmHistory(existing ? configurationItem('Update', alarm, t, existing) : configurationItem('Create', alarm, t));
      await settleComposites(store, ctx, { evaluate: [alarm.AlarmName] }, now, transitions.record);
    },
  };
}

/** The rule parsed and its alarms found, as PutCompositeAlarm checks them (ValidationError). */
function checkRule(input: PutCompositeAlarmInput, alarms: ReadonlyMap<string, AnyAlarmRecord>, scope: { accountId: string; region: string }): void {
  let refs: string[];
  try {
    refs = ruleReferences(parseAlarmRule(input.AlarmRule));
  } catch (e) {
    if (e instanceof AlarmRuleError) throw validationError(e.message);
    throw e;
  }
  const missing = refs.filter((ref) => {
    const name = referencedName(ref, scope);
    return name === undefined || !alarms.has(name);
  });
  if (missing.length) throw validationError(`Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`);
  if (input.ActionsSuppressor !== undefined && (input.ActionsSuppressorWaitPeriod === undefined || input.ActionsSuppressorExtensionPeriod === undefined)) {
    throw validationError('ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is set.');
  }
  for (const name of ['ActionsSuppressorWaitPeriod', 'ActionsSuppressorExtensionPeriod'] as const) {
    const value = input[name];
    if (value !== undefined && value < 0) throw validationError(`The value ${value} for parameter ${name} is not valid. It must be greater than or equal to 0.`);
  }
  // AWS documents the suppressor as "an AlarmName or an ARN from an existing alarm"; its answer to
  // one that does not exist is not recorded: refused like a missing child (Stagecraft's wording).
  const suppressor = input.ActionsSuppressor;
  if (suppressor !== undefined && !alarms.has(referencedName(suppressor, scope) ?? '')) {
    throw validationError(`Could not save the composite alarm as the actions suppressor alarm [${suppressor}] does not exist`);
  }
}

const RELATION_ONLY: (keyof DescribeAlarmsInput)[] = ['AlarmNames', 'AlarmNamePrefix', 'AlarmTypes', 'StateValue', 'ActionPrefix'];

/**
 * DescribeAlarms with ChildrenOfAlarmName (a composite's children: name, ARN, state and its
 * time) or ParentsOfAlarmName (the composites naming an alarm: name and ARN); undefined when
 * the request names neither. Either takes only MaxRecords and NextToken beside it (AWS's rule).
 */
export function relatedAlarms(input: DescribeAlarmsInput, alarms: readonly AnyAlarmRecord[]): AnyAlarmRecord[] | undefined {
  const relation = input.ChildrenOfAlarmName !== undefined ? 'ChildrenOfAlarmName' : input.ParentsOfAlarmName !== undefined ? 'ParentsOfAlarmName' : undefined;
  if (!relation) return undefined;
  const others = [...RELATION_ONLY, relation === 'ChildrenOfAlarmName' ? 'ParentsOfAlarmName' : 'ChildrenOfAlarmName'] as (keyof DescribeAlarmsInput)[];
  const given = (v: unknown) => v !== undefined && !(Array.isArray(v) && v.length === 0);
  if (others.some((k) => given(input[k]))) {
    throw validationError(`If you specify ${relation}, you cannot specify any other parameters in the request except for MaxRecords and NextToken.`);
  }
  if (relation === 'ChildrenOfAlarmName') {
    const composite = alarms.find((a) => a.AlarmName === input.ChildrenOfAlarmName);
    if (!composite || !isComposite(composite)) return [];
    const names = new Set(childNames(composite));
    return alarms.filter((a) => names.has(a.AlarmName));
  }
  return alarms.filter((a) => isComposite(a) && childNames(a).includes(input.ParentsOfAlarmName!));
}

/** A related alarm as DescribeAlarms shows it: only what AWS shows for ChildrenOfAlarmName / ParentsOfAlarmName. */
export function relatedView(input: DescribeAlarmsInput, a: AnyAlarmRecord): Pick<MetricAlarm & CompositeAlarm, 'AlarmName' | 'AlarmArn' | 'StateValue' | 'StateUpdatedTimestamp'> {
  const view = { AlarmName: a.AlarmName, AlarmArn: alarmArn(a) };
  return input.ChildrenOfAlarmName === undefined ? view : { ...view, StateValue: a.StateValue, StateUpdatedTimestamp: new Date(a.stateUpdatedMs) };
}

/** DescribeAlarms' two lists from one page of alarms (metric and composite, by name). */
export function splitByType(page: readonly AnyAlarmRecord[], metric: (a: AlarmRecord) => MetricAlarm, composite: (a: CompositeAlarmRecord) => CompositeAlarm): Pick<DescribeAlarmsOutput, 'MetricAlarms' | 'CompositeAlarms'> {
  return { MetricAlarms: page.filter((a): a is AlarmRecord => !isComposite(a)).map(metric), CompositeAlarms: page.filter(isComposite).map(composite) };
}

/**
 * DeleteAlarms' checks (ValidationError): at most one composite alarm a request (AWS's limit), and
 * no alarm a composite that stays names (AWS refuses; a composite and its children may go together).
 */
export function checkDeletable(names: ReadonlySet<string>, alarms: readonly AnyAlarmRecord[]): void {
  if (alarms.filter((a) => isComposite(a) && names.has(a.AlarmName)).length > 1) {
    throw validationError('You can delete at most one composite alarm in one DeleteAlarms request.');
  }
  const staying = alarms.filter((a) => isComposite(a) && !names.has(a.AlarmName)) as CompositeAlarmRecord[];
  const needed = new Set(staying.flatMap(childNames));
  const blocked = [...names].filter((n) => needed.has(n));
  if (blocked.length) {
    throw validationError(`Cannot delete ${blocked.join(',')} as there are composite alarm(s) depending on ${blocked.length === 1 ? 'it' : 'them'}.`);
  }
}
