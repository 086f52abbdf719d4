import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppressionEnded, suppressionOnTransition, suppressionUpdate, withSuppression } from './action-suppression.js';
import type { CompositeAlarmRecord } from './composite-record.js';

const composite = (extra: Partial<CompositeAlarmRecord> = {}): CompositeAlarmRecord => ({
  AlarmType: 'CompositeAlarm', accountId: '000000000000', region: 'us-east-1', AlarmName: 'c', AlarmRule: 'ALARM(a)', ActionsEnabled: true,
  OKActions: [], AlarmActions: [], InsufficientDataActions: [], configurationUpdatedMs: 0, StateValue: 'OK', StateReason: '', stateUpdatedMs: 0, stateTransitionedMs: 0,
  ActionsSuppressor: 's', ActionsSuppressorWaitPeriod: 10, ActionsSuppressorExtensionPeriod: 20, ...extra,
});
const by = (c: CompositeAlarmRecord | undefined) => c && [c.ActionsSuppressedBy, c.suppressedUntilMs];

test('a change into ALARM waits for the suppressor; the suppressor in ALARM suppresses; no suppressor, nothing', () => {
  const alarm = composite({ StateValue: 'ALARM' });
  assert.deepEqual(suppressionOnTransition(composite(), alarm, 'OK', 1000), { ActionsSuppressedBy: 'WaitPeriod', ActionsSuppressedReason: 'Actions suppressed by WaitPeriod', suppressedUntilMs: 11_000 });
  assert.equal(suppressionOnTransition(composite(), alarm, 'ALARM', 1000).ActionsSuppressedBy, 'Alarm');
  assert.deepEqual(suppressionOnTransition(composite(), composite({ StateValue: 'ALARM', ActionsSuppressorWaitPeriod: 0 }), 'OK', 1000), {});
  assert.deepEqual(suppressionOnTransition(composite(), composite({ StateValue: 'ALARM', ActionsSuppressor: undefined }), undefined, 1000), {});
  assert.deepEqual(suppressionOnTransition(alarm, composite(), 'OK', 1000), {});
  // A running extension period goes on through a change.
  const extended = composite({ StateValue: 'ALARM', ActionsSuppressedBy: 'ExtensionPeriod', suppressedUntilMs: 5000 });
  assert.deepEqual(by(withSuppression(composite(), suppressionOnTransition(extended, composite(), 'OK', 1000))), ['ExtensionPeriod', 5000]);
});

test('the suppressor\'s state and the time move a suppressed composite on', () => {
  const waiting = composite({ StateValue: 'ALARM', ActionsSuppressedBy: 'WaitPeriod', suppressedUntilMs: 5000 });
  assert.equal(suppressionUpdate(waiting, 'OK', 4999), undefined);
  assert.deepEqual(by(suppressionUpdate(waiting, 'ALARM', 1000)), ['Alarm', undefined]);
  const ended = suppressionUpdate(waiting, 'OK', 5000)!;
  assert.deepEqual([by(ended), ended.stateUpdatedMs, ended.stateTransitionedMs], [[undefined, undefined], 5000, 0]);
  const byAlarm = composite({ StateValue: 'ALARM', ActionsSuppressedBy: 'Alarm' });
  assert.equal(suppressionUpdate(byAlarm, 'ALARM', 1000), undefined);
  assert.deepEqual(by(suppressionUpdate(byAlarm, 'OK', 1000)), ['ExtensionPeriod', 21_000]);
  assert.deepEqual(by(suppressionUpdate(byAlarm, undefined, 1000)), ['ExtensionPeriod', 21_000]);
  assert.deepEqual(by(suppressionUpdate(composite({ ...byAlarm, ActionsSuppressorExtensionPeriod: 0 }), 'OK', 1000)), [undefined, undefined]);
  assert.equal(suppressionUpdate(composite(), 'ALARM', 1000), undefined);
  // Out of ALARM the end of a suppression is no state update.
  assert.equal(suppressionEnded(composite({ ActionsSuppressedBy: 'ExtensionPeriod', suppressedUntilMs: 5 }), 9).stateUpdatedMs, 0);
});
