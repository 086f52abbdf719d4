// Publish and PublishBatch: the message checked as AWS checks it, then one delivery queued per
// confirmed subscription whose filter policy matches, all in one write before the answer.
// `publish` is also how other services (CloudWatch alarm actions) send to a topic.
import { createHash, randomUUID } from 'node:crypto';
import type { MessageAttributeValue, PublishBatchRequestEntry, PublishInput } from '../aws/generated/sns.js';
import { awsError, isAwsError } from '../core/errors.js';
import type { SnsStore, StoredTopic } from '../store/sns-store.js';
import { invalidParameter, topicNotFound } from './errors.js';
import { matchesAttributes, matchesBody, type FilterAttribute } from './filter-policy.js';
import { notificationAttributes } from './message-attributes.js';
import type { QueuedMessage } from './notification.js';
import { subscriptionFilter } from './subscription-attributes.js';
import type { DeliveryQueue } from './delivery-queue.js';

export const MAX_MESSAGE_BYTES = 262_144;
const MAX_BATCH = 10;
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface Message {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export class Publisher {
  #sequence = 0n;

  constructor(private readonly store: SnsStore, private readonly queue: DeliveryQueue, private readonly now: () => number = Date.now) {}

  /** Publish's target: TopicArn or TargetArn (a topic; platform endpoints are not supported). */
  topicArnOf(input: Pick<PublishInput, 'TopicArn' | 'TargetArn' | 'PhoneNumber'>): string {
    if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber Reason: SMS is not supported by Stagecraft');
    const arn = input.TopicArn ?? input.TargetArn;
    if (arn === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (input.TopicArn !== undefined && input.TargetArn !== undefined) throw invalidParameter('TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
    if (!/^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/.test(arn)) throw invalidParameter(input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
    return arn;
  }

  /** Publishes to a topic; answers the message id (and a FIFO topic's sequence number). */
  async publish(topic: StoredTopic, m: Message, baseUrl: string): Promise<{ MessageId: string; SequenceNumber?: string }> {
    const queued = this.#check(topic, m, baseUrl);
    if (queued.messageDeduplicationId !== undefined) {
      // A FIFO topic accepts a deduplication id once in 5 minutes: a repeat answers the first message and delivers nothing.
      const first = await this.store.deduplicate(topic.arn, queued.messageDeduplicationId, { messageId: queued.messageId, sequenceNumber: queued.sequenceNumber! }, this.now(), DEDUPLICATION_WINDOW_MS);
      if (first) return { MessageId: first.messageId, SequenceNumber: first.sequenceNumber };
    }
    const subs = (await this.store.listSubscriptionsByTopic(topic.arn)).filter((s) => s.confirmed);
    const deliveries = [];
    for (const sub of subs) {
      const filter = subscriptionFilter(sub);
      if (filter && !(filter.scope === 'MessageBody' ? matchesBody(filter.policy, queued.message) : matchesAttributes(filter.policy, filterAttributes(queued)))) continue;
      deliveries.push({ id: randomUUID(), subscriptionArn: sub.arn, message: { ...queued, message: messageFor(m, sub.protocol, queued.message) } });
    }
    await this.queue.enqueue(deliveries);
    return { MessageId: queued.messageId, ...(queued.sequenceNumber !== undefined ? { SequenceNumber: queued.sequenceNumber } : {}) };
  }

  async getTopic(arn: string, scope: { accountId: string; region: string }): Promise<StoredTopic> {
    const topic = await this.store.getTopic(arn);
    if (!topic || topic.accountId !== scope.accountId || topic.region !== scope.region) throw topicNotFound();
    return topic;
  }

  /** PublishBatch: each entry published on its own; its failure reported, AWS's way, in Failed. */
  async publishBatch(topic: StoredTopic, entries: PublishBatchRequestEntry[], baseUrl: string) {
    if (!entries.length) throw awsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
    if (entries.length > MAX_BATCH) throw awsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) throw awsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    if (entries.some((e) => !BATCH_ID.test(e.Id))) throw awsError('InvalidBatchEntryId', 'The Id of a batch entry in a batch request doesn\'t abide by the specification.');
    // An entry may lack its Message (the model's validation does not look into list entries): #check refuses it.
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? '') + notificationAttributesBytes(e.MessageAttributes), 0);
    if (total > MAX_MESSAGE_BYTES) throw awsError('BatchRequestTooLong', 'The length of all the batch messages put together is more than the limit.');
    const Successful = [];
    const Failed = [];
    for (const e of entries) {
      try {
        Successful.push({ Id: e.Id, ...(await this.publish(topic, e, baseUrl)) });
      } catch (err) {
        if (!isAwsError(err)) throw err;
        Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: err.isUserFault });
      }
    }
    return { Successful, Failed };
  }

  #check(topic: StoredTopic, m: Message, baseUrl: string): QueuedMessage {
    if (m.Message === undefined || m.Message === '') throw invalidParameter('Empty message');
    if (m.Subject !== undefined && (m.Subject === '' || m.Subject.length > 100 || !/^[\x20-\x7e]+$/.test(m.Subject))) throw invalidParameter('Subject');
    const { attributes, bytes } = notificationAttributes(m.MessageAttributes);
    if (Buffer.byteLength(m.Message) + bytes > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
    let message = m.Message;
    if (m.MessageStructure !== undefined) {
      if (m.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
      message = structuredDefault(m.Message);
    }
    const fifo = topic.attributes.FifoTopic === 'true';
    let sequenceNumber: string | undefined;
    if (fifo) {
      if (m.MessageGroupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      if (m.MessageDeduplicationId === undefined && topic.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      sequenceNumber = (10n ** 19n + BigInt(this.now()) * 1000n + (this.#sequence++ % 1000n)).toString();
    } else if (m.MessageDeduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return {
      type: 'Notification', messageId: randomUUID(), topicArn: topic.arn, message, ...(m.Subject !== undefined ? { subject: m.Subject } : {}),
      timestamp: new Date(this.now()).toISOString(), attributes, baseUrl,
      ...(fifo ? {
        messageGroupId: m.MessageGroupId,
        messageDeduplicationId: m.MessageDeduplicationId ?? createHash('sha256').update(m.Message).digest('hex'),
        sequenceNumber,
      } : {}),
    };
  }
}

/** MessageStructure=json: a JSON object of strings with a "default" entry. */
function structuredDefault(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const d = (parsed as Record<string, unknown>).default;
  if (typeof d !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
  return d;
}

/** The message a protocol receives: with MessageStructure=json its own entry, or "default". */
function messageFor(m: Message, protocol: string, fallback: string): string {
  if (m.MessageStructure !== 'json') return fallback;
  const entry = (JSON.parse(m.Message) as Record<string, unknown>)[protocol];
  return typeof entry === 'string' ? entry : fallback;
}

function filterAttributes(m: QueuedMessage): Record<string, FilterAttribute> {
  return Object.fromEntries(Object.entries(m.attributes).map(([k, a]) => [k, { type: a.Type, value: a.Value }]));
}

function notificationAttributesBytes(attributes: Record<string, MessageAttributeValue> | undefined): number {
  return Object.entries(attributes ?? {}).reduce((n, [k, a]) => n + Buffer.byteLength(k) + Buffer.byteLength(a.DataType) + (a.BinaryValue?.length ?? Buffer.byteLength(a.StringValue ?? '')), 0);
}
