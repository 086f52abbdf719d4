// The event a function receives from an SQS event source mapping, in AWS's shape, and how its
// answer is read when the mapping reports batch item failures.
import type { ReceivedMessage } from '../../sqs/queue-sender.js';

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** The system attributes a record carries (FIFO queues add their three). */
const RECORD_ATTRIBUTES = ['ApproximateReceiveCount', 'AWSTraceHeader', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp'];

export function toRecord(message: ReceivedMessage, queueArn: string): SqsRecord {
  const attributes: Record<string, string> = {};
  for (const name of RECORD_ATTRIBUTES) if (message.Attributes?.[name] !== undefined) attributes[name] = message.Attributes[name];
  const messageAttributes: SqsRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: [], binaryListValues: [], dataType: value.DataType,
    };
  }
  return {
    messageId: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body, attributes, messageAttributes,
    md5OfBody: message.MD5OfBody, ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: queueArn.split(':')[3],
  };
}

/**
 * The message ids a ReportBatchItemFailures answer asks to keep, or 'all' when the whole batch
 * failed. As AWS: no answer, an empty object or an empty/null `batchItemFailures` is a success;
 * an answer that is not JSON, or an item without a valid `itemIdentifier` of this batch, fails it all.
 */
export function failedItems(payload: Buffer | undefined, batchIds: ReadonlySet<string>): Set<string> | 'all' {
  const text = payload?.toString('utf8').trim() ?? '';
  if (text === '' || text === 'null') return new Set();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return 'all';
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return new Set();
  const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const ids = new Set<string>();
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'all';
    ids.add(id);
  }
  return ids;
}

/** What the mapping's filters match a record against: its body read as JSON when it is JSON. */
export function filterView(record: SqsRecord): Record<string, unknown> {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // A body that is not JSON is matched as a string.
  }
  return { ...record, body };
}
