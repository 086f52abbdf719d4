// What a message must be to be sent: body characters and size, attributes, delay, FIFO ids, with
// AWS's errors. Shared by SendMessage, SendMessageBatch and the internal sender.
import { createHash } from 'node:crypto';
import type { AttributeValue } from './md5.js';
import { invalidMessageContents, invalidParameter, messageTooLong, missingParameter } from './errors.js';

export interface OutgoingMessage {
  body: string;
  attributes?: Record<string, AttributeValue>;
  /** Message system attributes (AWSTraceHeader). */
  systemAttributes?: Record<string, AttributeValue>;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
}

// Tab, LF, CR and Unicode outside the surrogates and U+FFFE/U+FFFF.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const DEDUP_ID = /^[\x21-\x7e]{1,128}$/;

/** Body plus attribute names, types and values: what counts against MaximumMessageSize. */
export function messageSize(m: OutgoingMessage): number {
  let size = Buffer.byteLength(m.body ?? '', 'utf8'); // a missing body is refused by checkMessage
  for (const [name, a] of Object.entries(m.attributes ?? {})) {
    // A JSON request may send DataType as null: it counts nothing here, and checkAttributes refuses it.
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType ?? '', 'utf8')
      + (a.BinaryValue !== undefined ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '', 'utf8'));
  }
  return size;
}

function checkAttributes(attributes: Record<string, AttributeValue>): void {
  const names = Object.keys(attributes);
  if (names.length > 10) throw invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  for (const [name, a] of Object.entries(attributes)) {
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw invalidParameter(`Message (user) attribute name '${name}' is invalid.`);
    }
    const type = a.DataType ?? '';
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalidParameter(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (base === 'Binary' ? a.BinaryValue === undefined || a.BinaryValue.length === 0 : !a.StringValue) {
      throw invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of message attribute type '${base}'.`);
    }
    if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a.StringValue!)) {
      throw invalidParameter(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    if (a.StringValue !== undefined && INVALID_CHARACTER.test(a.StringValue)) throw invalidMessageContents();
  }
}

/**
 * Checks a message for a queue; answers the deduplication id it is stored under (FIFO: the given
 * one, or the body's SHA-256 with content-based deduplication).
 */
export function checkMessage(m: OutgoingMessage, queue: { fifo: boolean; maximumMessageSize: number; contentBasedDeduplication: boolean }): string | undefined {
  if (m.body === undefined || m.body === '') throw missingParameter('MessageBody');
  if (INVALID_CHARACTER.test(m.body)) throw invalidMessageContents();
  if (m.attributes) checkAttributes(m.attributes);
  if (messageSize(m) > queue.maximumMessageSize) throw messageTooLong(queue.maximumMessageSize);
  if (m.delaySeconds !== undefined) {
    if (queue.fifo) {
      throw invalidParameter(`Value ${m.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }
    if (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > 900) {
      throw invalidParameter(`Value ${m.delaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
    }
  }
  if (!queue.fifo) {
    if (m.deduplicationId !== undefined) {
      throw invalidParameter(`Value ${m.deduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }
    return undefined;
  }
  if (m.groupId === undefined || m.groupId === '') throw missingParameter('MessageGroupId');
  if (!DEDUP_ID.test(m.groupId)) throw invalidParameter(`Value ${m.groupId} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  if (m.deduplicationId !== undefined) {
    if (!DEDUP_ID.test(m.deduplicationId)) {
      throw invalidParameter(`Value ${m.deduplicationId} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
    return m.deduplicationId;
  }
  if (!queue.contentBasedDeduplication) {
    throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  return createHash('sha256').update(m.body, 'utf8').digest('hex');
}
