// The message engine behind SendMessage, ReceiveMessage, DeleteMessage and
// ChangeMessageVisibility (and their batches), and behind the internal sender other services use.
// Messages are kept in the store; a receive claims each with a compare-and-set there, so several
// receivers — on this node or on others sharing the database — never hold one message at once.
import { randomUUID } from 'node:crypto';
import type { SqsStore, StoredMessage, StoredQueue } from '../store/sqs-store.js';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.js';
import { checkMessage, type OutgoingMessage } from './message-rules.js';
import { parseRedrivePolicy, isFifoName } from './queue-attributes.js';
import { handleSeq, receiptHandle } from './receipt-handles.js';
import { invalidParameter, messageNotInflight } from './errors.js';
import type { QueueWakeups } from './wakeups.js';

/** FIFO deduplication window (AWS's five minutes). */
const DEDUP_WINDOW_MS = 5 * 60_000;
const MAX_VISIBILITY_S = 43_200;

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

export interface ReceiveOptions {
  maxMessages: number;
  /** Seconds; the queue's VisibilityTimeout when undefined. */
  visibilityTimeout?: number;
  /** Seconds; the queue's ReceiveMessageWaitTimeSeconds when undefined. */
  waitSeconds?: number;
  /** System attribute names (`All` for every one). */
  systemAttributeNames?: string[];
  /** Message attribute names: `All`, `.*`, `prefix.*` or exact names. */
  messageAttributeNames?: string[];
  /** Stops a long poll early (the caller went away, the server is closing). */
  signal?: AbortSignal;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, AttributeValue>;
}

type StoredAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

const toStored = (a: Record<string, AttributeValue> | undefined): StoredAttributes =>
  Object.fromEntries(Object.entries(a ?? {}).map(([k, v]) => [k, { DataType: v.DataType, ...(v.BinaryValue !== undefined
    ? { BinaryValue: Buffer.from(v.BinaryValue).toString('base64') } : { StringValue: v.StringValue }) }]));
const fromStored = (a: StoredAttributes): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { DataType: v.DataType, ...(v.BinaryValue !== undefined
    ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : { StringValue: v.StringValue }) }]));

const sequenceNumber = (seq: number): string => String(seq).padStart(20, '0');

export class MessageEngine {
  constructor(readonly store: SqsStore, readonly wakeups: QueueWakeups, readonly now: () => number = Date.now) {}

  async send(queue: StoredQueue, message: OutgoingMessage, senderId: string): Promise<SendResult> {
    const fifo = isFifoName(queue.name);
    const dedupId = checkMessage(message, {
      fifo, maximumMessageSize: Number(queue.attributes.MaximumMessageSize ?? 262_144), contentBasedDeduplication: queue.attributes.ContentBasedDeduplication === 'true',
    });
    const now = this.now();
    const delay = message.delaySeconds ?? Number(queue.attributes.DelaySeconds ?? 0);
    const attributesMd5 = md5OfAttributes(message.attributes ?? {});
    const systemAttributesMd5 = md5OfAttributes(message.systemAttributes ?? {});
    const outcome = await this.store.send({
      queueArn: queue.arn, messageId: randomUUID(), body: message.body, attributes: JSON.stringify(toStored(message.attributes)),
      systemAttributes: JSON.stringify(toStored(message.systemAttributes)), md5OfBody: md5Hex(message.body), md5OfAttributes: attributesMd5, md5OfSystemAttributes: systemAttributesMd5,
      senderId, sentMs: now, visibleMs: now + delay * 1000, groupId: fifo ? message.groupId : undefined, deduplicationId: dedupId,
    }, fifo ? now - DEDUP_WINDOW_MS : undefined);
    if (!outcome.duplicate) this.wakeups.sent(queue.arn);
    return {
      MessageId: outcome.messageId, MD5OfMessageBody: md5Hex(message.body), MD5OfMessageAttributes: attributesMd5,
      MD5OfMessageSystemAttributes: systemAttributesMd5, SequenceNumber: fifo ? sequenceNumber(outcome.seq) : undefined,
    };
  }

  /** Claims up to `maxMessages`, waiting up to the wait time for the first to arrive. */
  async receive(queue: StoredQueue, options: ReceiveOptions, deadLetterQueue: (arn: string) => Promise<StoredQueue | undefined>): Promise<ReceivedMessage[]> {
    const visibility = options.visibilityTimeout ?? Number(queue.attributes.VisibilityTimeout ?? 30);
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_S) {
      throw invalidParameter(`Value ${visibility} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= ${MAX_VISIBILITY_S}.`);
    }
    if (!Number.isInteger(options.maxMessages) || options.maxMessages < 1 || options.maxMessages > 10) {
      throw invalidParameter(`Value ${options.maxMessages} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    }
    const wait = options.waitSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
    if (!Number.isInteger(wait) || wait < 0 || wait > 20) {
      throw invalidParameter(`Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
    }
    const deadline = this.now() + wait * 1000;
    for (;;) {
      // A caller gone (or a server closing) claims nothing more: no one would get the messages, and they would stay hidden.
      if (options.signal?.aborted) return [];
      const claimed = await this.#claim(queue, options.maxMessages, visibility, deadLetterQueue);
      if (claimed.length || this.now() >= deadline) return claimed.map((m) => this.#render(queue, m, options));
      await this.wakeups.wait(queue.arn, deadline - this.now(), options.signal);
    }
  }

  async #claim(queue: StoredQueue, max: number, visibility: number, deadLetterQueue: (arn: string) => Promise<StoredQueue | undefined>): Promise<StoredMessage[]> {
    const fifo = isFifoName(queue.name);
    const now = this.now();
    await this.store.expireMessages(queue.arn, now - Number(queue.attributes.MessageRetentionPeriod ?? 345_600) * 1000);
    const redrive = parseRedrivePolicy(queue.attributes.RedrivePolicy);
    const dlq = redrive && (await deadLetterQueue(redrive.deadLetterTargetArn));
    // More candidates than wanted: some go to another receiver, some to the dead-letter queue.
    const candidates = await this.store.candidates(queue.arn, now, max * 3, fifo);
    const blockedGroups = new Set<string>();
    const claimed: StoredMessage[] = [];
    for (const m of candidates) {
      if (claimed.length >= max) break;
      if (m.groupId !== undefined && blockedGroups.has(m.groupId)) continue;
      if (dlq && redrive && m.receiveCount >= redrive.maxReceiveCount) {
        // The receive that would exceed maxReceiveCount moves the message instead.
        if (await this.store.moveToDeadLetter(m.seq, m.receiveCount, now, dlq.arn)) this.wakeups.sent(dlq.arn);
        if (m.groupId !== undefined) blockedGroups.add(m.groupId);
        continue;
      }
      if (await this.store.claim(m.seq, m.receiveCount, now, now + visibility * 1000)) {
        claimed.push({ ...m, receiveCount: m.receiveCount + 1, firstReceiveMs: m.firstReceiveMs ?? now });
      } else if (m.groupId !== undefined) {
        // Another receiver holds the group now: its later messages wait.
        blockedGroups.add(m.groupId);
      }
    }
    return claimed;
  }

  #render(queue: StoredQueue, m: StoredMessage, options: ReceiveOptions): ReceivedMessage {
    const out: ReceivedMessage = { MessageId: m.messageId, ReceiptHandle: receiptHandle(queue.name, m.seq), MD5OfBody: m.md5OfBody, Body: m.body };
    const system: Record<string, string> = {
      SenderId: m.senderId, SentTimestamp: String(m.sentMs), ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveMs ?? m.sentMs),
    };
    if (m.groupId !== undefined) {
      system.MessageGroupId = m.groupId;
      system.SequenceNumber = sequenceNumber(m.seq);
      if (m.deduplicationId !== undefined) system.MessageDeduplicationId = m.deduplicationId;
    }
    const trace = (JSON.parse(m.systemAttributes) as StoredAttributes).AWSTraceHeader?.StringValue;
    if (trace !== undefined) system.AWSTraceHeader = trace;
    const wanted = options.systemAttributeNames ?? [];
    const attributes = wanted.includes('All') ? system : Object.fromEntries(Object.entries(system).filter(([k]) => wanted.includes(k)));
    if (Object.keys(attributes).length) out.Attributes = attributes;
    const all = fromStored(JSON.parse(m.attributes) as StoredAttributes);
    const selected = selectMessageAttributes(all, options.messageAttributeNames ?? []);
    if (Object.keys(selected).length) {
      out.MessageAttributes = selected;
      out.MD5OfMessageAttributes = md5OfAttributes(selected);
    }
    return out;
  }

  /** Deletes the message a receipt handle names (a handle of a message already gone succeeds, as on AWS). */
  async delete(queue: StoredQueue, handle: string): Promise<void> {
    await this.store.deleteMessage(queue.arn, handleSeq(queue.name, handle));
  }

  async changeVisibility(queue: StoredQueue, handle: string, timeoutSeconds: number): Promise<void> {
    const seq = handleSeq(queue.name, handle);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > MAX_VISIBILITY_S) {
      throw invalidParameter(`Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY_S}.`);
    }
    const now = this.now();
    if (!(await this.store.changeVisibility(queue.arn, seq, now, now + timeoutSeconds * 1000))) throw messageNotInflight(handle);
    if (timeoutSeconds === 0) this.wakeups.sent(queue.arn);
  }
}

/** Message attributes a receive asked for: `All`, `.*`, `prefix.*` or exact names. */
export function selectMessageAttributes(all: Record<string, AttributeValue>, names: string[]): Record<string, AttributeValue> {
  if (names.includes('All') || names.includes('.*')) return all;
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -1));
  return Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k) || prefixes.some((p) => k.startsWith(p))));
}
