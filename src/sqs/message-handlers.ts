// Message operations on the wire: SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch),
// ChangeMessageVisibility(Batch). Batches check their entries as AWS does (the whole request fails
// for an empty, too long or malformed batch) and answer each entry's own failure in Failed.
import type { OperationHandler } from '../aws/protocols/rest-json.js';
import type { RequestContext } from '../aws/request-context.js';
import type { SqsStore } from '../store/sqs-store.js';
import type * as sqs from '../aws/generated/sqs.js';
import { isAwsError } from '../core/errors.js';
import { batchIdsNotDistinct, batchTooLong, emptyBatch, invalidBatchEntryId, tooManyEntries } from './errors.js';
import { messageSize, type OutgoingMessage } from './message-rules.js';
import type { AttributeValue } from './md5.js';
import type { MessageEngine } from './messages.js';
import { queueByUrl } from './queue-directory.js';

const MAX_BATCH_BYTES = 1_048_576;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

function checkBatch(entries: { Id: string }[] | undefined, entryName: string): void {
  if (!entries?.length) throw emptyBatch(entryName);
  if (entries.length > 10) throw tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.Id)) throw batchIdsNotDistinct(e.Id);
    seen.add(e.Id);
  }
  for (const e of entries) if (!BATCH_ID.test(e.Id)) throw invalidBatchEntryId();
}

interface BatchFailure { Id: string; SenderFault: boolean; Code: string; Message: string }

/** Runs each entry; an AWS error becomes its Failed entry, anything else fails the request. */
async function eachEntry<E extends { Id: string }, R>(entries: E[], run: (e: E) => Promise<R>): Promise<{ Successful: R[]; Failed: BatchFailure[] }> {
  const Successful: R[] = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    try {
      Successful.push(await run(e));
    } catch (err) {
      if (!isAwsError(err)) throw err;
      Failed.push({ Id: e.Id, SenderFault: err.isUserFault, Code: err.code, Message: err.message });
    }
  }
  return { Successful, Failed };
}

const outgoing = (m: { MessageBody: string; DelaySeconds?: number; MessageAttributes?: Record<string, sqs.MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, sqs.MessageSystemAttributeValue>; MessageGroupId?: string; MessageDeduplicationId?: string }): OutgoingMessage => ({
  body: m.MessageBody, delaySeconds: m.DelaySeconds, attributes: m.MessageAttributes as Record<string, AttributeValue> | undefined,
  systemAttributes: m.MessageSystemAttributes as Record<string, AttributeValue> | undefined, groupId: m.MessageGroupId, deduplicationId: m.MessageDeduplicationId,
});

const senderOf = (ctx: RequestContext): string => ctx.accessKeyId ?? ctx.accountId;

export function messageHandlers(store: SqsStore, engine: MessageEngine, signal: AbortSignal): Record<string, OperationHandler> {
  const deadLetterQueue = (arn: string) => store.getQueueByArn(arn);
  return {
    async SendMessage(input: sqs.SendMessageRequest, ctx: RequestContext) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      return engine.send(queue, outgoing(input), senderOf(ctx));
    },
    async SendMessageBatch(input: sqs.SendMessageBatchRequest, ctx: RequestContext) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
      const size = input.Entries.reduce((sum, e) => sum + messageSize(outgoing(e)), 0);
      if (size > MAX_BATCH_BYTES) throw batchTooLong(MAX_BATCH_BYTES, size);
      return eachEntry(input.Entries, async (e) => ({ Id: e.Id, ...(await engine.send(queue, outgoing(e), senderOf(ctx))) }));
    },
    async ReceiveMessage(input: sqs.ReceiveMessageRequest, ctx: RequestContext) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const messages = await engine.receive(queue, {
        maxMessages: input.MaxNumberOfMessages ?? 1, visibilityTimeout: input.VisibilityTimeout, waitSeconds: input.WaitTimeSeconds,
        systemAttributeNames: [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])], messageAttributeNames: input.MessageAttributeNames,
        signal: ctx.clientGone ? AbortSignal.any([signal, ctx.clientGone]) : signal,
      }, deadLetterQueue);
      return messages.length ? { Messages: messages } : {};
    },
    async DeleteMessage(input: sqs.DeleteMessageRequest, ctx: RequestContext) {
      await engine.delete(await queueByUrl(store, ctx, input.QueueUrl), input.ReceiptHandle);
      return {};
    },
    async DeleteMessageBatch(input: sqs.DeleteMessageBatchRequest, ctx: RequestContext) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
      return eachEntry(input.Entries, async (e) => {
        await engine.delete(queue, e.ReceiptHandle);
        return { Id: e.Id };
      });
    },
    async ChangeMessageVisibility(input: sqs.ChangeMessageVisibilityRequest, ctx: RequestContext) {
      await engine.changeVisibility(await queueByUrl(store, ctx, input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },
    async ChangeMessageVisibilityBatch(input: sqs.ChangeMessageVisibilityBatchRequest, ctx: RequestContext) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      return eachEntry(input.Entries, async (e) => {
        await engine.changeVisibility(queue, e.ReceiptHandle, e.VisibilityTimeout ?? 0);
        return { Id: e.Id };
      });
    },
  };
}
