// Destinations of asynchronous invocation records: which ARNs PutFunctionEventInvokeConfig accepts,
// and where a record goes. A Lambda function receives it as an asynchronous invocation of its own;
// SQS queues, SNS topics and EventBridge buses receive it through the async queue's RecordSenders;
// S3 destinations are accepted and stored as AWS accepts them, their records reported as not delivered.
import { parseFunctionName } from '../core/arn.js';
import type { FunctionRef } from './names.js';

export type DestinationTarget =
  | { kind: 'function'; ref: FunctionRef }
  | { kind: 'elsewhere'; service: string };

const ARN = /^arn:aws[a-zA-Z0-9-]*:([a-zA-Z0-9-]+):/;
/** Services AWS accepts as destinations of asynchronous invocation records (S3 only on failure). */
const OTHER_SERVICES = { onSuccess: ['sqs', 'sns', 'events'], onFailure: ['sqs', 'sns', 'events', 's3'] };

/**
 * What a destination ARN names; undefined when AWS would refuse it as a destination.
 * A function ARN must be a full one (region and account), as AWS's invalid-destination check wants.
 */
export function destinationTarget(arn: string, on: 'onSuccess' | 'onFailure'): DestinationTarget | undefined {
  const service = ARN.exec(arn)?.[1];
  if (service === 'lambda') {
    const parsed = parseFunctionName(arn);
    if (!parsed?.region || !parsed.accountId) return undefined;
    return { kind: 'function', ref: { accountId: parsed.accountId, region: parsed.region, name: parsed.name, qualifier: parsed.qualifier } };
  }
  return service && OTHER_SERVICES[on].includes(service) ? { kind: 'elsewhere', service } : undefined;
}
