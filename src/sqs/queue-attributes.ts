// Queue attributes: AWS's defaults, limits and validation for CreateQueue and SetQueueAttributes,
// and what GetQueueAttributes answers (the stored ones plus the computed ones).
import type { StoredQueue, QueueCounts } from '../store/sqs-store.js';
import { invalidAttributeName, invalidAttributeValue, invalidParameter } from './errors.js';

/** Integer attributes and their inclusive ranges. */
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const SETTABLE = new Set([...Object.keys(RANGES), 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled']);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const COMPUTED = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn'];

export const STANDARD_DEFAULTS: Record<string, string> = {
  VisibilityTimeout: '30', MaximumMessageSize: '262144', MessageRetentionPeriod: '345600', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0', SqsManagedSseEnabled: 'true',
};
const FIFO_DEFAULTS: Record<string, string> = { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' };

export const isFifoName = (name: string): boolean => name.endsWith('.fifo');
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function validateQueueName(name: string, fifoAttribute: string | undefined): void {
  const fifo = isFifoName(name);
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  if (fifo && fifoAttribute !== 'true') {
    throw invalidParameter('The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
  }
  if (name.length > 80 || !NAME.test(base)) {
    throw invalidParameter(fifo || fifoAttribute === 'true'
      ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
      : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

/** Redrive policy as stored: AWS accepts maxReceiveCount as a number or a numeric string. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function parseRedrivePolicy(text: string | undefined): RedrivePolicy | undefined {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    const count = Number(p.maxReceiveCount);
    if (typeof p.deadLetterTargetArn !== 'string' || !Number.isInteger(count)) return undefined;
    return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
  } catch {
    return undefined;
  }
}

/**
 * Checks attributes a caller sets; answers them as stored (booleans lower-cased). `deadLetterExists`
 * tells whether a redrive target names an existing queue.
 */
export async function validateAttributes(attributes: Record<string, string>, fifo: boolean, creating: boolean,
  deadLetterExists: (arn: string) => Promise<boolean>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    if (name === 'FifoQueue') {
      if (!creating) throw invalidAttributeName(name);
      if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
      if (value === 'false' && fifo) throw invalidAttributeValue(name);
      if (value === 'true') out[name] = 'true';
      continue;
    }
    if (FIFO_ONLY.has(name)) {
      if (!fifo) throw invalidAttributeName(name);
    } else if (!SETTABLE.has(name)) {
      throw invalidAttributeName(name);
    }
    const range = RANGES[name];
    if (range) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isInteger(n) || n < range[0] || n > range[1]) throw invalidAttributeValue(name);
      out[name] = String(n);
    } else if (name === 'SqsManagedSseEnabled' || name === 'ContentBasedDeduplication') {
      if (!/^(true|false)$/i.test(value)) throw invalidAttributeValue(name);
      out[name] = value.toLowerCase();
    } else if (name === 'DeduplicationScope' && value !== 'queue' && value !== 'messageGroup') {
      throw invalidAttributeValue(name);
    } else if (name === 'FifoThroughputLimit' && value !== 'perQueue' && value !== 'perMessageGroupId') {
      throw invalidAttributeValue(name);
    } else if (name === 'RedrivePolicy') {
      if (value !== '') await validateRedrivePolicy(value, deadLetterExists);
      out[name] = value;
    } else if (name === 'Policy' || name === 'RedriveAllowPolicy') {
      if (value !== '') {
        try {
          JSON.parse(value);
        } catch {
          throw invalidAttributeValue(name, `failed to parse ${name} as JSON`);
        }
      }
      out[name] = value;
    } else {
      out[name] = value;
    }
  }
  return out;
}

async function validateRedrivePolicy(value: string, deadLetterExists: (arn: string) => Promise<boolean>): Promise<void> {
  const reason = (why: string) => invalidParameter(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw reason('Redrive policy is not a valid JSON map.');
  }
  const p = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  if (p === null || typeof p !== 'object' || p.deadLetterTargetArn === undefined || p.maxReceiveCount === undefined) {
    throw reason('Redrive policy does not contain mandatory attribute: ' + (p?.deadLetterTargetArn === undefined ? 'deadLetterTargetArn' : 'maxReceiveCount') + '.');
  }
  const count = Number(p.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw reason('Invalid value for maxReceiveCount: ' + String(p.maxReceiveCount) + ', valid values are from 1 to 1000 both inclusive.');
  if (typeof p.deadLetterTargetArn !== 'string' || !(await deadLetterExists(p.deadLetterTargetArn))) throw reason('Dead letter target does not exist.');
}

export function defaultAttributes(fifo: boolean): Record<string, string> {
  return fifo ? { ...STANDARD_DEFAULTS, ...FIFO_DEFAULTS } : { ...STANDARD_DEFAULTS };
}

/** GetQueueAttributes: `All` or named attributes (unknown names are AWS's InvalidAttributeName). */
export function selectAttributes(queue: StoredQueue, counts: QueueCounts, names: string[]): Record<string, string> {
  const all: Record<string, string> = {
    ...queue.attributes,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdMs / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedMs / 1000)),
    QueueArn: queue.arn,
  };
  if (names.includes('All')) return all;
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!SETTABLE.has(name) && !FIFO_ONLY.has(name) && !COMPUTED.includes(name) && name !== 'FifoQueue') throw invalidAttributeName(name);
    if (all[name] !== undefined) out[name] = all[name];
  }
  return out;
}
