// The SDK clients for the services a deploy puts a template's queues, topics, rules and buckets
// into (SQS, SNS, EventBridge, S3, DynamoDB, Parameter Store, Secrets Manager), and what every such resource carries: the stack's mark, and
// the template's DeletionPolicy: Retain, so pruning and `stagecraft delete` find and keep them.
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConnectionSettings } from './clients.js';
import { RETAIN_TAG, STACK_TAG } from './functions.js';
import type { Value } from './intrinsics.js';

export interface ServiceClients {
  sqs: SQSClient;
  sns: SNSClient;
  events: EventBridgeClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  ssm: SSMClient;
  secrets: SecretsManagerClient;
}

export function createServiceClients(settings: ConnectionSettings): ServiceClients {
  const config = { endpoint: settings.endpoint, region: settings.region, credentials: settings.credentials, maxAttempts: 2 };
  return {
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    events: new EventBridgeClient(config),
    // Path-style: the server answers buckets on its own host, not on `{bucket}.host`.
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(config),
    ssm: new SSMClient(config),
    secrets: new SecretsManagerClient(config),
  };
}

export function destroyServiceClients(c: ServiceClients): void {
  c.sqs.destroy();
  c.sns.destroy();
  c.events.destroy();
  c.s3.destroy();
  c.dynamodb.destroy();
  c.ssm.destroy();
  c.secrets.destroy();
}

/** A template's `Tags` list (`[{Key, Value}]`) with the stack's mark (and retain mark) added. */
export function markedTags(stackName: string, retain: boolean, tags: Value | undefined): { Key: string; Value: string }[] {
  const own = Array.isArray(tags) ? tags.flatMap((t) => (t && typeof t === 'object' && !Array.isArray(t) && 'Key' in t ? [{ Key: String(t.Key), Value: String(t.Value ?? '') }] : [])) : [];
  return [...own.filter((t) => t.Key !== STACK_TAG && t.Key !== RETAIN_TAG), { Key: STACK_TAG, Value: stackName }, ...(retain ? [{ Key: RETAIN_TAG, Value: 'Retain' }] : [])];
}

/** What a resource's tags say about it for this stack: not ours, ours to delete, or ours but retained. */
export function ownership(tags: Record<string, string>, stackName: string): 'other' | 'delete' | 'retain' {
  if (tags[STACK_TAG] !== stackName) return 'other';
  return tags[RETAIN_TAG] ? 'retain' : 'delete';
}

export const STACK_TAG_KEYS = [STACK_TAG, RETAIN_TAG];

/** A JSON-document property (a policy, a pattern) as the string the service's API takes. */
export const jsonText = (v: Value | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** A scalar property as the string an attribute map takes. */
export const text = (v: Value | undefined): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v));

export type Props = Record<string, Value>;
