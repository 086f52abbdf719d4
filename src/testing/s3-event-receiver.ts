// Test support: a function that prints each S3 event notification it receives, allowed (or not)
// for s3.amazonaws.com, and the reading back of those events from its log group.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, type AddPermissionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { createNodeFunction } from './functions.js';
import { testAccount, testRegion } from './server.js';
import { waitFor } from './wait.js';

export const S3_PRINCIPAL = 's3.amazonaws.com';
const RECEIVER_CODE = "exports.handler = async (event) => { console.log('S3_EVENT ' + JSON.stringify(event)); };\n";

export const functionArn = (name: string): string => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

/** One record of S3's event message. */
export interface S3EventRecord {
  eventVersion: string; eventSource: string; awsRegion: string; eventTime: string; eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string; configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; sequencer?: string };
  };
}

/** Creates the receiver; with `permission`, S3 may invoke it (AddPermission's members on top of the principal). */
export async function createS3EventReceiver(lambda: LambdaClient, name: string, permission: Partial<AddPermissionCommandInput> | null): Promise<void> {
  await createNodeFunction(lambda, name, RECEIVER_CODE);
  if (permission) {
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: S3_PRINCIPAL, ...permission }));
  }
}

/** The records the function printed so far, by event time (queued invocations may run side by side; events of one millisecond in any order); its log group appears with its first invocation. */
export async function receivedS3Events(logs: CloudWatchLogsClient, fn: string): Promise<S3EventRecord[]> {
  const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: 'S3_EVENT' }))
    .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
  const records = (events ?? []).flatMap((e) => (JSON.parse(e.message!.slice(e.message!.indexOf('S3_EVENT ') + 9)) as { Records: S3EventRecord[] }).Records);
  return records.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
}

/** Waits until the function has received at least `count` records; all it received. */
export const waitForS3Events = (logs: CloudWatchLogsClient, fn: string, count: number): Promise<S3EventRecord[]> =>
  waitFor(`${count} S3 events received by ${fn}`, async () => {
    const records = await receivedS3Events(logs, fn);
    return records.length >= count ? records : undefined;
  }, 60_000);
