// Alarm state changes and the actions they run. Every transition (SetAlarmState, the metric alarm
// evaluator, composite alarms settling) is recorded here: its StateUpdate history item, then, while
// the alarm's actions are enabled, the Lambda functions its list for the new state names
// (AlarmActions for ALARM, OKActions for OK, InsufficientDataActions for INSUFFICIENT_DATA) are
// invoked asynchronously with the documented event, as the service principal
// lambda.alarms.cloudwatch.amazonaws.com with the alarm as source — so the function's resource
// policy decides, as on AWS. Each attempt is an Action history item, succeeded or failed (no such
// function, not allowed). Other actions (SNS, Auto Scaling, EC2, Systems Manager) are stored and
// shown, never run. Only the node whose compare-and-set wrote the transition records it, so a
// cluster runs each action once.
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import { logger } from '../core/logger.js';
import { parseFunctionArn } from '../lambda/service-invoke.js';
import { alarmArn, isComposite, parseAnyAlarm, type AlarmCommon, type AlarmState, type AnyAlarmRecord } from './alarm-record.js';
import { actionItem, stateItem } from './alarm-history.js';
import { alarmActionEvent } from './alarm-action-event.js';
import { referencedName } from './alarm-rule.js';
import { validationError } from './errors.js';
import type { RecordTransition } from './composite-evaluation.js';

/** Where Lambda actions go: the invoke pipeline, as lambda.alarms.cloudwatch.amazonaws.com. */
export interface AlarmActionTarget {
  /** Queues an Event invocation of the function; rejects with the reason it cannot (no function, no permission). */
  invoke(functionArn: string, sourceArn: string, sourceAccount: string, event: Buffer): Promise<void>;
}

const LAMBDA_ACTION = /^arn:[^:]*:lambda:/;
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

export class AlarmTransitions {
  #target: AlarmActionTarget | undefined;

  constructor(private readonly store: CloudWatchStore, private readonly now: () => number) {}

  /** Where Lambda actions go (Lambda is created after CloudWatch). */
  connect(target: AlarmActionTarget): void {
    this.#target = target;
  }

  /** A state change written: its history item, then the actions of the new state (a function, to be passed along). */
  readonly record: RecordTransition = async (before, after, t) => {
    await this.store.addAlarmHistory(stateItem(before, after, t));
    try {
      await this.#runActions(before, after);
    } catch (e) {
      logger.warn('running alarm actions failed', { alarm: after.AlarmName, error: e instanceof Error ? e.message : String(e) });
    }
  };

  async #runActions(before: AnyAlarmRecord, after: AnyAlarmRecord): Promise<void> {
    const target = this.#target;
    if (!target || !after.ActionsEnabled) return;
    const functions = actionsFor(after, after.StateValue).filter((a) => LAMBDA_ACTION.test(a));
    if (!functions.length || (await this.#suppressed(after))) return;
    const event = JSON.stringify(alarmActionEvent(before, after));
    for (const functionArn of functions) {
      let outcome: { sent: string } | { error: string };
      try {
        await target.invoke(functionArn, alarmArn(after), after.accountId, Buffer.from(event));
        outcome = { sent: event };
      } catch (e) {
        outcome = { error: e instanceof Error ? e.message : String(e) };
      }
      await this.store.addAlarmHistory(actionItem(after, functionArn, this.now(), outcome));
    }
  }

  /** A composite's actions wait while its ActionsSuppressor alarm is in ALARM (AWS's rule; the wait and extension periods are not applied). */
  async #suppressed(alarm: AnyAlarmRecord): Promise<boolean> {
    if (!isComposite(alarm) || alarm.ActionsSuppressor === undefined) return false;
    const name = referencedName(alarm.ActionsSuppressor, alarm);
    const stored = name === undefined ? undefined : await this.store.getAlarm(alarm, name);
    return stored !== undefined && parseAnyAlarm(stored).StateValue === 'ALARM';
  }
}
