// A function's EventInvokeConfig, read as SAM reads it: MaximumEventAgeInSeconds,
// MaximumRetryAttempts and DestinationConfig.OnSuccess/OnFailure ({Type, Destination}). SAM creates
// an SQS queue or SNS topic when a destination has a Type but no Destination; Stagecraft has no
// such services, so a Destination ARN is required here.
import type { Value } from './intrinsics.js';

export interface EventInvokeSpec {
  maximumEventAgeInSeconds?: number;
  maximumRetryAttempts?: number;
  onSuccess?: string;
  onFailure?: string;
}

const KEYS = ['MaximumEventAgeInSeconds', 'MaximumRetryAttempts', 'DestinationConfig'];
const TYPES = ['SQS', 'SNS', 'Lambda', 'EventBridge', 'S3Bucket'];

type Fail = (message: string) => never;

const isMap = (v: Value | undefined): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

function whole(value: Value | undefined, name: string, min: number, max: number, fail: Fail): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(`EventInvokeConfig.${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n as number;
}

function destination(value: Value | undefined, on: 'OnSuccess' | 'OnFailure', fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) fail(`EventInvokeConfig.DestinationConfig.${on} is a map with Type and Destination`);
  const d = value as Record<string, Value>;
  if (typeof d.Type !== 'string' || !TYPES.includes(d.Type)) fail(`EventInvokeConfig.DestinationConfig.${on}.Type must be one of ${TYPES.join(', ')}`);
  if (typeof d.Destination !== 'string' || d.Destination === '') {
    const created = d.Type === 'SQS' ? 'an SQS queue' : d.Type === 'SNS' ? 'an SNS topic' : undefined;
    fail(`EventInvokeConfig.DestinationConfig.${on} needs a Destination ARN${created ? `: SAM would create ${created} for it, which Stagecraft cannot` : ''}`);
  }
  return d.Destination as string;
}

export function eventInvokeSpec(value: Value, fail: Fail): EventInvokeSpec {
  if (!isMap(value)) fail('EventInvokeConfig is a map with MaximumEventAgeInSeconds, MaximumRetryAttempts or DestinationConfig');
  const config = value as Record<string, Value>;
  for (const key of Object.keys(config)) if (!KEYS.includes(key)) fail(`EventInvokeConfig has no property ${key} (it takes ${KEYS.join(', ')})`);
  const spec: EventInvokeSpec = {
    maximumEventAgeInSeconds: whole(config.MaximumEventAgeInSeconds, 'MaximumEventAgeInSeconds', 60, 21600, fail),
    maximumRetryAttempts: whole(config.MaximumRetryAttempts, 'MaximumRetryAttempts', 0, 2, fail),
  };
  const destinations = config.DestinationConfig;
  if (destinations !== undefined && destinations !== null) {
    if (!isMap(destinations)) fail('EventInvokeConfig.DestinationConfig is a map with OnSuccess and OnFailure');
    spec.onSuccess = destination((destinations as Record<string, Value>).OnSuccess, 'OnSuccess', fail);
    spec.onFailure = destination((destinations as Record<string, Value>).OnFailure, 'OnFailure', fail);
  }
  return spec;
}
