// Alarm state changes and the actions they run. Every transition (SetAlarmState, the metric alarm
// evaluator, composite alarms settling) is recorded here: its StateUpdate history item, then, while
// the alarm's actions are enabled, the Lambda functions its list for the new state names
// (AlarmActions for ALARM, OKActions for OK, InsufficientDataActions for INSUFFICIENT_DATA) are
// invoked asynchronously with the documented event, as the service principal
// lambda.alarms.cloudwatch.amazonaws.com with the alarm as source — so the function's resource
// policy decides, as on AWS. Each attempt is an Action history item, succeeded or failed (no such
// function, not allowed). SNS topics the lists name are published to with CloudWatch's alarm
// notification (./alarm-sns-message.ts). Other actions (Auto Scaling, EC2, Systems Manager) are
// stored and shown, never run. A composite's actions follow its suppressor (./action-suppression.ts): held
// back, and performed when a wait or extension period ends (the evaluator's tick looks). Only the
// node whose compare-and-set wrote the transition (or ended the period) records it, so a cluster
// runs each action once.
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import { logger } from '../core/logger.js';
import { parseFunctionArn } from '../lambda/service-invoke.js';
import { alarmArn, isComposite, parseAnyAlarm, storedAlarm, type AlarmCommon, type AlarmState, type AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';
import { suppressionOnTransition, suppressionUpdate, withSuppression } from './action-suppression.js';
import { actionItem, stateItem } from './alarm-history.js';
import { alarmActionEvent } from './alarm-action-event.js';
import { alarmSnsMessage, alarmSnsSubject } from './alarm-sns-message.js';
import { referencedName } from './alarm-rule.js';
import { validationError } from './errors.js';
import type { RecordTransition } from './composite-evaluation.js';

/** Where Lambda actions go: the invoke pipeline, as lambda.alarms.cloudwatch.amazonaws.com. */
export interface AlarmActionTarget {
  /** Queues an Event invocation of the function; rejects with the reason it cannot (no function, no permission). */
  invoke(functionArn: string, sourceArn: string, sourceAccount: string, event: Buffer): Promise<void>;
  /** Publishes to an SNS topic as cloudwatch.amazonaws.com from the alarm; rejects with the reason it cannot (no such topic, its policy). */
  publish?(topicArn: string, subject: string, message: string, alarmArn: string, accountId: string): Promise<void>;
}

const LAMBDA_ACTION = /^arn:[^:]*:lambda:/;
const SNS_ACTION = /^arn:[^:]*:sns:/;
const PARTITION = 'aws';

const actionsFor = (a: AlarmCommon, state: AlarmState): string[] =>
  (state === 'ALARM' ? a.AlarmActions : state === 'OK' ? a.OKActions : a.InsufficientDataActions);

/**
 * PutMetricAlarm's and PutCompositeAlarm's check of Lambda actions: a function ARN (name, and a
 * version or alias or not) of this partition and of the alarm's region — AWS's "Invalid region …
 * specified. Only … is supported." — in any account. Other actions are not checked.
 */
export function checkActions(lists: (string[] | undefined)[], region: string): void {
  for (const action of lists.flatMap((l) => l ?? [])) {
    if (!LAMBDA_ACTION.test(action)) continue;
    const fn = parseFunctionArn(action);
    if (!fn) throw validationError(`Invalid Lambda function ARN: ${action}. Expected arn:aws:lambda:region:account-id:function:function-name, with an optional version or alias.`);
    if (fn.partition !== PARTITION) throw validationError(`Invalid partition ${fn.partition} specified. Only ${PARTITION} is supported.`);
    if (fn.region !== region) throw validationError(`Invalid region ${fn.region} specified. Only ${region} is supported.`);
  }
}

const COMPARE_AND_SET_TRIES = 3;
type Scope = { accountId: string; region: string };

export class AlarmTransitions {
  #target: AlarmActionTarget | undefined;

  constructor(private readonly store: CloudWatchStore, private readonly now: () => number) {}

  /** Where Lambda actions go (Lambda is created after CloudWatch). */
  connect(target: AlarmActionTarget): void {
    this.#target = target;
  }

  /**
   * A state change written: a composite's suppression of its new state's actions, its history item,
   * the actions of the new state unless suppressed, then the composites it is the suppressor of (a function, to be passed along).
   */
  readonly record: RecordTransition = async (before, written, t) => {
    const after = isComposite(written) && isComposite(before) ? await this.#suppressOnTransition(before, written, t) : written;
    await this.store.addAlarmHistory(stateItem(before, after, t));
    try {
      if (!isComposite(after) || after.ActionsSuppressedBy === undefined) await this.#runActions(before, after);
      if ((before.StateValue === 'ALARM') !== (after.StateValue === 'ALARM')) await this.#suppressorChanged(after, t);
    } catch (e) {
      logger.warn('running alarm actions failed', { alarm: written.AlarmName, error: e instanceof Error ? e.message : String(e) });
    }
  };

  /**
   * The evaluator's tick, for a composite whose actions are suppressed: a wait or extension period
   * that is over ends, and a suppression its suppressor's state no longer matches (the suppressor
   * deleted or changed, a change missed) follows it. Compare-and-set: one node of a cluster acts.
   */
  async tick(alarm: CompositeAlarmRecord): Promise<void> {
    // Not before Lambda is there to run the actions (a server starting).
    if (!this.#target || alarm.ActionsSuppressedBy === undefined) return;
    const t = this.now();
    const suppressorState = await this.#stateOf(alarm, alarm.ActionsSuppressor);
    const changed = await this.#change(alarm, alarm.AlarmName, (c) => suppressionUpdate(c, suppressorState, t));
    if (changed && changed.after.ActionsSuppressedBy === undefined) await this.#ended(changed.before, changed.after, t);
  }

  async #runActions(before: AnyAlarmRecord, after: AnyAlarmRecord): Promise<void> {
    const target = this.#target;
    if (!target || !after.ActionsEnabled) return;
    const actions = actionsFor(after, after.StateValue);
    const functions = actions.filter((a) => LAMBDA_ACTION.test(a));
    const topics = target.publish ? actions.filter((a) => SNS_ACTION.test(a)) : [];
    const event = functions.length ? JSON.stringify(alarmActionEvent(before, after)) : '';
    const notification = topics.length ? JSON.stringify(alarmSnsMessage(before, after)) : '';
    for (const action of [...functions, ...topics]) {
      let outcome: { sent: string } | { error: string };
      try {
        if (LAMBDA_ACTION.test(action)) {
          await target.invoke(action, alarmArn(after), after.accountId, Buffer.from(event));
          outcome = { sent: event };
        } else {
          await target.publish!(action, alarmSnsSubject(after), notification, alarmArn(after), after.accountId);
          outcome = { sent: notification };
        }
      } catch (e) {
        outcome = { error: e instanceof Error ? e.message : String(e) };
      }
      await this.store.addAlarmHistory(actionItem(after, action, this.now(), outcome));
    }
  }

  /** The composite's new state with its suppression, stored; as it was written when the alarm changed meanwhile. */
  async #suppressOnTransition(before: CompositeAlarmRecord, written: CompositeAlarmRecord, t: number): Promise<CompositeAlarmRecord> {
    const suppression = suppressionOnTransition(before, written, await this.#stateOf(written, written.ActionsSuppressor), t);
    const changed = await this.#change(written, written.AlarmName, (c) => {
      if (c.StateValue !== written.StateValue || c.stateTransitionedMs !== written.stateTransitionedMs) return undefined;
      const next = withSuppression(c, suppression);
      return JSON.stringify(next) === JSON.stringify(c) ? undefined : next;
    });
    return changed?.after ?? withSuppression(written, suppression);
  }

  /** The composites `alarm` is the suppressor of, once it went into or out of ALARM. */
  async #suppressorChanged(alarm: AnyAlarmRecord, t: number): Promise<void> {
    const suppressed = (await this.store.listAlarms(alarm)).map(parseAnyAlarm)
      .filter((c): c is CompositeAlarmRecord => isComposite(c) && c.ActionsSuppressor !== undefined && referencedName(c.ActionsSuppressor, c) === alarm.AlarmName);
    for (const composite of suppressed) {
      const changed = await this.#change(composite, composite.AlarmName, (c) => suppressionUpdate(c, alarm.StateValue, t));
      if (changed && changed.after.ActionsSuppressedBy === undefined) await this.#ended(changed.before, changed.after, t);
    }
  }

  /** A suppression ended: a composite in ALARM records the state update and performs its actions. */
  async #ended(before: CompositeAlarmRecord, after: CompositeAlarmRecord, t: number): Promise<void> {
    if (after.StateValue !== 'ALARM') return;
    await this.store.addAlarmHistory(stateItem(before, after, t));
    await this.#runActions(before, after);
  }

  /** A compare-and-set change of a composite, read afresh: `decide` gives the new record (or undefined: none). */
  async #change(scope: Scope, name: string, decide: (c: CompositeAlarmRecord) => CompositeAlarmRecord | undefined): Promise<{ before: CompositeAlarmRecord; after: CompositeAlarmRecord } | undefined> {
    for (let attempt = 0; attempt < COMPARE_AND_SET_TRIES; attempt++) {
      const stored = await this.store.getAlarm(scope, name);
      const current = stored && parseAnyAlarm(stored);
      if (!current || !isComposite(current)) return undefined;
      const next = decide(current);
      if (!next) return undefined;
      if (await this.store.replaceAlarm(storedAlarm(next), stored.body)) return { before: current, after: next };
    }
    return undefined;
  }

  async #stateOf(scope: Scope, ref: string | undefined): Promise<AlarmState | undefined> {
    const name = ref === undefined ? undefined : referencedName(ref, scope);
    const stored = name === undefined ? undefined : await this.store.getAlarm(scope, name);
    return stored && parseAnyAlarm(stored).StateValue;
  }
}
