// A composite alarm as stored (PutCompositeAlarm's members, its state, timestamps as epoch ms)
// and as DescribeAlarms answers it. It shares the alarms table with metric alarms (one name
// space, as on AWS); `AlarmType` tells the two apart.
import type { CompositeAlarm } from '../aws/generated/cloudwatch.js';
import { sharedAlarmView, type AlarmCommon } from './alarm-record.js';
import type { Suppression } from './action-suppression.js';

/** With the suppression of its current state's actions (./action-suppression.ts). */
export interface CompositeAlarmRecord extends AlarmCommon, Suppression {
  AlarmType: 'CompositeAlarm';
  AlarmRule: string;
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

/** The composite alarm as DescribeAlarms answers it. */
export function compositeAlarmView(a: CompositeAlarmRecord): CompositeAlarm {
  return {
    ...sharedAlarmView(a),
    AlarmRule: a.AlarmRule,
    // Left out while the actions are not suppressed.
    ActionsSuppressedBy: a.ActionsSuppressedBy,
    ActionsSuppressedReason: a.ActionsSuppressedReason,
    ActionsSuppressor: a.ActionsSuppressor,
    ActionsSuppressorWaitPeriod: a.ActionsSuppressorWaitPeriod,
    ActionsSuppressorExtensionPeriod: a.ActionsSuppressorExtensionPeriod,
  };
}
