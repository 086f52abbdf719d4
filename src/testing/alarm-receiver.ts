// Test support: a function that prints each CloudWatch alarm action event it receives, and the
// reading back of those events from its log group.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, type AddPermissionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { createNodeFunction } from './functions.js';
import { waitFor } from './wait.js';

export const ALARM_ACTIONS_PRINCIPAL = 'lambda.alarms.cloudwatch.amazonaws.com';
/** index.js of a function printing each event it receives on one line. */
export const ALARM_RECEIVER_CODE = "exports.handler = async (event) => { console.log('ALARM_EVENT ' + JSON.stringify(event)); };\n";

/** A state in the event; a composite's suppressed actions say why. */
export interface AlarmEventState {
  value: string; reason: string; reasonData?: string; timestamp: string; actionsSuppressedBy?: string; actionsSuppressedReason?: string;
}

export interface AlarmEvent {
  source: string; alarmArn: string; accountId: string; time: string; region: string;
  alarmData: {
    alarmName: string;
    state: AlarmEventState;
    previousState: AlarmEventState;
    configuration: Record<string, unknown>;
  };
}

/** Creates the receiver; with `permission`, CloudWatch alarms may invoke it (AddPermission's members on top of the principal). */
export async function createAlarmReceiver(lambda: LambdaClient, name: string, permission: Partial<AddPermissionCommandInput> | null): Promise<void> {
  await createNodeFunction(lambda, name, ALARM_RECEIVER_CODE);
  if (permission) {
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'alarms', Action: 'lambda:InvokeFunction', Principal: ALARM_ACTIONS_PRINCIPAL, ...permission }));
  }
}

/** The events the function printed so far, by state change time (queued invocations may run side by side); its log group appears with its first invocation. */
export async function receivedAlarmEvents(logs: CloudWatchLogsClient, fn: string): Promise<AlarmEvent[]> {
  const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'ALARM_EVENT' }))
    .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
  return (events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('ALARM_EVENT ') + 12)) as AlarmEvent).sort((a, b) => a.time.localeCompare(b.time));
}

/** Waits until the function has received at least `count` events; all it received. */
export const waitForAlarmEvents = (logs: CloudWatchLogsClient, fn: string, count: number): Promise<AlarmEvent[]> =>
  waitFor(`${count} events received by ${fn}`, async () => {
    const events = await receivedAlarmEvents(logs, fn);
    return events.length >= count ? events : undefined;
  }, 30_000);
