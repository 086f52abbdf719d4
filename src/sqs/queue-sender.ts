// How other Stagecraft services use queues, by ARN, without going through the wire: SNS
// subscriptions and Lambda destinations send; a Lambda event source mapping polls (receive with a
// visibility timeout, delete what its function handled, change visibility of what it did not).
// The same engine as the API: the same checks, digests, FIFO rules, redrive and long-poll wakeups.
import type { SqsStore, StoredQueue } from '../store/sqs-store.js';
import type { AttributeValue } from './md5.js';
import type { MessageEngine, ReceivedMessage, SendResult } from './messages.js';
import { queueDoesNotExist } from './errors.js';

export type { AttributeValue } from './md5.js';
export type { ReceivedMessage, SendResult } from './messages.js';

export interface QueueMessage {
  body: string;
  /** Message attributes as SendMessage takes them (`DataType` String/Number/Binary[.label]). */
  attributes?: Record<string, AttributeValue>;
  /** Required by FIFO queues. */
  groupId?: string;
  /** FIFO: omitted when the queue deduplicates by content. */
  deduplicationId?: string;
  /** Standard queues only. */
  delaySeconds?: number;
}

export interface QueueSender {
  /** Sends as SendMessage does; throws SQS's AwsError (QueueDoesNotExist, InvalidParameterValue, ...). */
  send(queueArn: string, message: QueueMessage, senderId?: string): Promise<SendResult>;
}

export interface ReceiveBatchOptions {
  maxMessages: number;
  /** Seconds; the queue's VisibilityTimeout when omitted. */
  visibilityTimeoutSeconds?: number;
  /** Long poll, seconds (0-20); 0 when omitted. */
  waitSeconds?: number;
  /** Ends a long poll at once, claiming nothing more (a mapping's poller stopping). */
  signal?: AbortSignal;
}

export interface QueuePoller {
  /** Claims up to `maxMessages` with every system and message attribute (redrive applies). */
  receive(queueArn: string, options: ReceiveBatchOptions): Promise<ReceivedMessage[]>;
  /** Deletes by receipt handle; answers the handles that were not valid for the queue. */
  deleteBatch(queueArn: string, receiptHandles: string[]): Promise<{ failed: string[] }>;
  /** Sets an in-flight message's visibility timeout (0 makes it visible again). */
  changeVisibility(queueArn: string, receiptHandle: string, timeoutSeconds: number): Promise<void>;
  /** The queue's attributes as stored (VisibilityTimeout, RedrivePolicy, FifoQueue...), or undefined when it does not exist. */
  attributes(queueArn: string): Promise<Record<string, string> | undefined>;
}

export type InternalQueues = QueueSender & QueuePoller;

export function internalQueues(store: SqsStore, engine: MessageEngine): InternalQueues {
  const queue = async (arn: string): Promise<StoredQueue> => {
    const q = await store.getQueueByArn(arn);
    if (!q) throw queueDoesNotExist();
    return q;
  };
  return {
    async send(queueArn, message, senderId) {
      const q = await queue(queueArn);
      return engine.send(q, message, senderId ?? q.accountId);
    },
    async receive(queueArn, options) {
      return engine.receive(await queue(queueArn), {
        maxMessages: options.maxMessages, visibilityTimeout: options.visibilityTimeoutSeconds, waitSeconds: options.waitSeconds ?? 0,
        systemAttributeNames: ['All'], messageAttributeNames: ['All'], signal: options.signal,
      }, (arn) => store.getQueueByArn(arn));
    },
    async deleteBatch(queueArn, receiptHandles) {
      const q = await queue(queueArn);
      const failed: string[] = [];
      for (const handle of receiptHandles) {
        try {
          await engine.delete(q, handle);
        } catch {
          failed.push(handle);
        }
      }
      return { failed };
    },
    async changeVisibility(queueArn, receiptHandle, timeoutSeconds) {
      await engine.changeVisibility(await queue(queueArn), receiptHandle, timeoutSeconds);
    },
    async attributes(queueArn) {
      return (await store.getQueueByArn(queueArn))?.attributes;
    },
  };
}
