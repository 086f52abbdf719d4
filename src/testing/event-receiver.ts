// Test support: a function that prints each EventBridge event it receives, and the reading back
// of those events from its log group.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createNodeFunction } from './functions.js';
import { testAccount, testRegion } from './server.js';
import { waitFor } from './wait.js';

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
const RECEIVER_CODE = "exports.handler = async (event) => { console.log('EVENTBRIDGE_EVENT ' + JSON.stringify(event)); };\n";

export const functionArn = (name: string): string => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;
export const ruleArnOf = (rule: string, bus?: string): string => `arn:aws:events:${testRegion}:${testAccount}:rule/${bus ? `${bus}/` : ''}${rule}`;

/** Creates the receiver; with `sourceArn`, EventBridge may invoke it for that rule. */
export async function createEventReceiver(lambda: LambdaClient, name: string, sourceArn: string | null): Promise<void> {
  await createNodeFunction(lambda, name, RECEIVER_CODE);
  if (sourceArn) {
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: EVENTS_PRINCIPAL, SourceArn: sourceArn }));
  }
}

/** What the function printed so far (each event parsed); its log group appears with its first invocation. */
export async function receivedEvents(logs: CloudWatchLogsClient, fn: string): Promise<any[]> {
  const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'EVENTBRIDGE_EVENT' }))
    .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
  return (events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('EVENTBRIDGE_EVENT ') + 18)));
}

/** Waits until the function has received at least `count` events; all it received. */
export const waitForEvents = (logs: CloudWatchLogsClient, fn: string, count: number): Promise<any[]> =>
  waitFor(`${count} events received by ${fn}`, async () => {
    const events = await receivedEvents(logs, fn);
    return events.length >= count ? events : undefined;
  }, 60_000);
