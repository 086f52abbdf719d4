// A composite alarm's state: its rule over its children's states (TRUE: ALARM, FALSE: OK), and
// the propagation that recomputes the composites above an alarm whose state changed (a metric
// alarm's evaluation, SetAlarmState) or whose rule changed (PutCompositeAlarm), children before
// parents. Composites on a cycle are not evaluated (CloudWatch stops at a cycle). Each write is a
// compare-and-set on the body read, as the metric alarm evaluator's: nodes of a cluster that
// compute the same transition write it (and its history item and actions) once.
import type { CloudWatchStore, StoredAlarm } from '../store/cloudwatch-store.js';
import { alarmArn, isComposite, parseAnyAlarm, storedAlarm, type AlarmState, type AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { evaluateRule, parseAlarmRule, referencedName, ruleReferences } from './alarm-rule.js';
import { cloudWatchDate } from './alarm-evaluation.js';
import { stateItem } from './alarm-history.js';
import { withoutSuppression } from './action-suppression.js';

type Scope = { accountId: string; region: string };
/** Records a transition written (its history item and, with ./alarm-actions.ts, its actions). */
export type RecordTransition = (before: AnyAlarmRecord, after: AnyAlarmRecord, t: number) => Promise<void>;
const historyOnly = (store: CloudWatchStore): RecordTransition => (before, after, t) => store.addAlarmHistory(stateItem(before, after, t));
const COMPARE_AND_SET_TRIES = 3;

/** The existing alarms a composite's rule names (by name). */
export function childNames(alarm: CompositeAlarmRecord): string[] {
  return ruleReferences(parseAlarmRule(alarm.AlarmRule)).flatMap((ref) => referencedName(ref, alarm) ?? []);
}

/**
 * The composite's state from its children's; the reason names the child that transitioned last
 * (AWS's "<arn> transitioned to ALARM at Friday 04 August, 2023 12:54:46 UTC", and
 * StateReasonData's triggeringAlarms).
 */
export function compositeEvaluation(alarm: CompositeAlarmRecord, alarms: ReadonlyMap<string, AnyAlarmRecord>): { state: AlarmState; reason: string; reasonData: string } {
  const stateOf = (ref: string) => {
    const name = referencedName(ref, alarm);
    return name === undefined ? undefined : alarms.get(name)?.StateValue;
  };
  const state: AlarmState = evaluateRule(parseAlarmRule(alarm.AlarmRule), stateOf) ? 'ALARM' : 'OK';
  const children = childNames(alarm).flatMap((n) => alarms.get(n) ?? []);
  const trigger = children.reduce<AnyAlarmRecord | undefined>((last, c) => (!last || c.stateTransitionedMs > last.stateTransitionedMs ? c : last), undefined);
  if (!trigger) {
    // A rule of TRUE and FALSE only: no child to name (Stagecraft's wording).
    return { state, reason: `The alarm rule evaluated to ${state === 'ALARM' ? 'TRUE' : 'FALSE'}.`, reasonData: JSON.stringify({ triggeringAlarms: [] }) };
  }
  return {
    state,
    reason: `${alarmArn(trigger)} transitioned to ${trigger.StateValue} at ${longDate(trigger.stateTransitionedMs)}`,
    reasonData: JSON.stringify({ triggeringAlarms: [{ arn: alarmArn(trigger), state: { value: trigger.StateValue, timestamp: cloudWatchDate(trigger.stateTransitionedMs) } }] }),
  };
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `Friday 04 August, 2023 12:54:46 UTC`, as a composite's StateReason dates a child's transition. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

interface Entry { stored: StoredAlarm; alarm: AnyAlarmRecord }

/**
 * Recomputes the composites of `scope` that depend, directly or not, on the alarms `changed`
 * names, and `evaluate` (composites whose rule is new) with them; how many changed state.
 */
export async function settleComposites(store: CloudWatchStore, scope: Scope, changed: { names?: string[]; evaluate?: string[] }, now: () => number, record: RecordTransition = historyOnly(store)): Promise<number> {
  const entries = new Map<string, Entry>((await store.listAlarms(scope)).map((stored) => [stored.name, { stored, alarm: parseAnyAlarm(stored) }]));
  const children = new Map<string, string[]>();
  for (const { alarm } of entries.values()) if (isComposite(alarm)) children.set(alarm.AlarmName, childNames(alarm));
  const affected = new Set(changed.evaluate?.filter((n) => children.has(n)) ?? []);
  // Parents, then their parents: every composite above a changed alarm.
  const queue = [...(changed.names ?? []), ...affected];
  while (queue.length) {
    const name = queue.shift()!;
    for (const [parent, kids] of children) {
      if (kids.includes(name) && !affected.has(parent)) {
        affected.add(parent);
        queue.push(parent);
      }
    }
  }
  let transitions = 0;
  for (const name of evaluationOrder(affected, children)) {
    if (await settleOne(store, scope, name, entries, now, record)) transitions++;
  }
  return transitions;
}

/** The composites of `affected` not on a cycle, each after its children. */
function evaluationOrder(affected: ReadonlySet<string>, children: ReadonlyMap<string, string[]>): string[] {
  const onCycle = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(children.get(start) ?? [])];
    while (stack.length) {
      const c = stack.pop()!;
      if (c === start) return true;
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(...(children.get(c) ?? []));
    }
    return false;
  };
  const cyclic = new Set([...affected].filter(onCycle));
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    for (const c of children.get(name) ?? []) if (affected.has(c)) visit(c);
    order.push(name);
  };
  for (const name of affected) visit(name);
  return order.filter((n) => !cyclic.has(n));
}

/** One composite recomputed and, on a change, written (compare-and-set) with its history item. */
async function settleOne(store: CloudWatchStore, scope: Scope, name: string, entries: Map<string, Entry>, now: () => number, record: RecordTransition): Promise<boolean> {
  for (let attempt = 0; attempt < COMPARE_AND_SET_TRIES; attempt++) {
    const entry = entries.get(name);
    if (!entry || !isComposite(entry.alarm)) return false;
    const alarm = entry.alarm;
    const result = compositeEvaluation(alarm, new Map([...entries].map(([n, e]) => [n, e.alarm])));
    if (result.state === alarm.StateValue) return false;
    const t = now();
    const next: CompositeAlarmRecord = { ...withoutSuppression(alarm), StateValue: result.state, StateReason: result.reason, StateReasonData: result.reasonData, stateUpdatedMs: t, stateTransitionedMs: t };
    const stored = storedAlarm(next);
    if (await store.replaceAlarm(stored, entry.stored.body)) {
      entries.set(name, { stored, alarm: next });
      await record(alarm, next, t);
      return true;
    }
    // Another writer changed it meanwhile: read it again and decide again.
    const fresh = await store.getAlarm(scope, name);
    if (!fresh) entries.delete(name);
    else entries.set(name, { stored: fresh, alarm: parseAnyAlarm(fresh) });
  }
  return false;
}
