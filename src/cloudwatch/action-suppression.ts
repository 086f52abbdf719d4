// Composite alarm action suppression, as CloudWatch documents it ("Suppressing composite alarm
// actions"): while the ActionsSuppressor alarm is in ALARM the composite's actions are suppressed
// (ActionsSuppressedBy Alarm); a composite going into ALARM while its suppressor is not waits up to
// ActionsSuppressorWaitPeriod seconds for it (WaitPeriod); a suppressor leaving ALARM keeps the
// suppression for ActionsSuppressorExtensionPeriod seconds more (ExtensionPeriod). When a period
// ends with the suppressor not in ALARM the suppression ends, and a composite still in ALARM then
// performs its actions. The suppression is part of the composite's state, kept in the stored
// alarm with the end of a running period (suppressedUntilMs), so a restart or another node of a
// cluster picks it up; these are the rules, ./alarm-actions.ts applies them.
import type { CompositeAlarm } from '../aws/generated/cloudwatch.js';
import type { AlarmState, AnyAlarmRecord } from './alarm-record.js';
import type { CompositeAlarmRecord } from './composite-record.js';

export type SuppressedBy = NonNullable<CompositeAlarm['ActionsSuppressedBy']>;

/** How a composite's current state's actions are suppressed (all unset: they are not). */
export interface Suppression {
  ActionsSuppressedBy?: SuppressedBy;
  ActionsSuppressedReason?: string;
  /** When the running WaitPeriod or ExtensionPeriod ends (epoch ms). */
  suppressedUntilMs?: number;
}

const NONE: Suppression = {};

/** AWS's ActionsSuppressedReason ("Actions suppressed by WaitPeriod", as its documented event shows). */
function suppressed(by: SuppressedBy, untilMs?: number): Suppression {
  return { ActionsSuppressedBy: by, ActionsSuppressedReason: `Actions suppressed by ${by}`, ...(untilMs === undefined ? {} : { suppressedUntilMs: untilMs }) };
}

/** The alarm without a suppression: a state change writes it so, ./alarm-actions.ts then decides the new state's. */
export function withoutSuppression<T extends AnyAlarmRecord>(a: T): T {
  const { ActionsSuppressedBy: _by, ActionsSuppressedReason: _reason, suppressedUntilMs: _until, ...rest } = a as T & Suppression;
  return rest as T;
}

/** The composite with `s` as its suppression (the previous one dropped). */
export const withSuppression = (a: CompositeAlarmRecord, s: Suppression): CompositeAlarmRecord => ({ ...withoutSuppression(a), ...s });

/** The suppression an update of the composite keeps: its own while it still names a suppressor. */
export const keptSuppression = (existing: AnyAlarmRecord | undefined, suppressor: string | undefined): Suppression =>
  (existing && suppressor !== undefined && 'ActionsSuppressedBy' in existing ? pick(existing as CompositeAlarmRecord) : NONE);

const pick = ({ ActionsSuppressedBy, ActionsSuppressedReason, suppressedUntilMs }: CompositeAlarmRecord): Suppression =>
  (ActionsSuppressedBy === undefined ? NONE : { ActionsSuppressedBy, ActionsSuppressedReason, suppressedUntilMs });

/**
 * The suppression of the state a composite has just entered (`after`, from `before`), given its
 * suppressor's state (undefined: no such alarm, which suppresses nothing): the suppressor in ALARM
 * suppresses; a running extension period goes on; a change into ALARM waits for the suppressor.
 */
export function suppressionOnTransition(before: CompositeAlarmRecord, after: CompositeAlarmRecord, suppressorState: AlarmState | undefined, t: number): Suppression {
  if (after.ActionsSuppressor === undefined) return NONE;
  if (suppressorState === 'ALARM') return suppressed('Alarm');
  if (before.ActionsSuppressedBy === 'ExtensionPeriod' && (before.suppressedUntilMs ?? 0) > t) return suppressed('ExtensionPeriod', before.suppressedUntilMs);
  const wait = after.ActionsSuppressorWaitPeriod ?? 0;
  return after.StateValue === 'ALARM' && wait > 0 ? suppressed('WaitPeriod', t + wait * 1000) : NONE;
}

/**
 * A composite's suppression once its suppressor changed to `suppressorState`: a waiting or
 * extended composite is suppressed by the alarm; one suppressed by the alarm starts its extension
 * period (`end` when it has none); undefined when nothing changes.
 */
function suppressionOnSuppressorChange(c: CompositeAlarmRecord, suppressorState: AlarmState, t: number): Suppression | 'end' | undefined {
  if (suppressorState === 'ALARM') {
    return c.ActionsSuppressedBy === 'WaitPeriod' || c.ActionsSuppressedBy === 'ExtensionPeriod' ? suppressed('Alarm') : undefined;
  }
  if (c.ActionsSuppressedBy !== 'Alarm') return undefined;
  const extension = c.ActionsSuppressorExtensionPeriod ?? 0;
  return extension > 0 ? suppressed('ExtensionPeriod', t + extension * 1000) : 'end';
}

/** Whether the composite's wait or extension period is over at `t`. */
const periodOver = (c: CompositeAlarmRecord, t: number): boolean => c.suppressedUntilMs !== undefined && c.suppressedUntilMs <= t;

/**
 * A suppressed composite as its suppressor's state (undefined: no such alarm, which suppresses
 * nothing) and the time make it: suppressed by the alarm, extended, or at the end of its
 * suppression (suppressionEnded); undefined when it stays as it is.
 */
export function suppressionUpdate(c: CompositeAlarmRecord, suppressorState: AlarmState | undefined, t: number): CompositeAlarmRecord | undefined {
  if (c.ActionsSuppressedBy === undefined) return undefined;
  const next = suppressionOnSuppressorChange(c, suppressorState ?? 'INSUFFICIENT_DATA', t);
  if (next === 'end') return suppressionEnded(c, t);
  if (next) return withSuppression(c, next);
  return periodOver(c, t) ? suppressionEnded(c, t) : undefined;
}

/**
 * The composite once its suppression ends: in ALARM it is a state update (ALARM to ALARM at `t`,
 * the state's transition time kept) whose actions run, as AWS's event for the end of a wait period
 * shows; in another state the suppression is just dropped.
 */
export function suppressionEnded(c: CompositeAlarmRecord, t: number): CompositeAlarmRecord {
  const cleared = withSuppression(c, NONE);
  return c.StateValue === 'ALARM' ? { ...cleared, stateUpdatedMs: t } : cleared;
}

/** A state's suppression fields in camelCase, as the action event and HistoryData show them (none when not suppressed). */
export function suppressionView(a: AnyAlarmRecord): { actionsSuppressedBy?: SuppressedBy; actionsSuppressedReason?: string } {
  if (!('ActionsSuppressedBy' in a) || a.ActionsSuppressedBy === undefined) return {};
  return { actionsSuppressedBy: a.ActionsSuppressedBy, actionsSuppressedReason: a.ActionsSuppressedReason };
}
