// Queue operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, Get/SetQueueAttributes,
// PurgeQueue, ListDeadLetterSourceQueues and the tag operations.
import type { OperationHandler } from '../aws/protocols/rest-json.js';
import type { RequestContext } from '../aws/request-context.js';
import type { SqsStore, StoredQueue } from '../store/sqs-store.js';
import type * as sqs from '../aws/generated/sqs.js';
import { invalidParameter, purgeInProgress, queueDoesNotExist, queueNameExists } from './errors.js';
import { defaultAttributes, isFifoName, selectAttributes, validateAttributes, validateQueueName } from './queue-attributes.js';
import { queueArn, queueByUrl, queueUrl } from './queue-directory.js';

const PURGE_INTERVAL_MS = 60_000;
const MAX_TAGS = 50;

/** Pages of queue URLs: the token is the last name of the page. */
function page<T extends { name: string }>(items: T[], maxResults: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  if (maxResults === undefined) return { items: items.slice(0, 1000) };
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    throw invalidParameter(`Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`);
  }
  let after = '';
  if (token !== undefined) {
    try {
      after = Buffer.from(token, 'base64').toString('utf8');
    } catch {
      throw invalidParameter('Invalid NextToken value.');
    }
  }
  const rest = items.filter((q) => q.name > after);
  const items_ = rest.slice(0, maxResults);
  return { items: items_, next: rest.length > maxResults ? Buffer.from(items_[items_.length - 1].name).toString('base64') : undefined };
}

function checkTags(tags: Record<string, string>, existing: number): void {
  if (Object.keys(tags).length + existing > MAX_TAGS) throw invalidParameter(`Too many tags added for queue. Maximum of ${MAX_TAGS} tags per queue.`);
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128 || String(v).length > 256) throw invalidParameter(`Tag ${k} is invalid.`);
  }
}

export function queueHandlers(store: SqsStore, now: () => number = Date.now): Record<string, OperationHandler> {
  const lastPurge = new Map<string, number>();
  const deadLetterExists = (ctx: RequestContext) => async (arn: string) => {
    const parts = arn.split(':');
    return parts.length === 6 && parts[4] === ctx.accountId && (await store.getQueueByArn(arn)) !== undefined;
  };
  const handlers: Record<string, OperationHandler> = {
    async CreateQueue(input: sqs.CreateQueueRequest, ctx) {
      const attributes = (input.Attributes ?? {}) as Record<string, string>;
      validateQueueName(input.QueueName, attributes.FifoQueue);
      const fifo = isFifoName(input.QueueName);
      const given = await validateAttributes(attributes, fifo, true, deadLetterExists(ctx));
      const tags = (input.tags ?? {}) as Record<string, string>;
      checkTags(tags, 0);
      const key = { accountId: ctx.accountId, region: ctx.region, name: input.QueueName };
      const t = now();
      const queue: StoredQueue = { ...key, arn: queueArn(ctx.region, ctx.accountId, input.QueueName), attributes: { ...defaultAttributes(fifo), ...given }, tags, createdMs: t, modifiedMs: t };
      if (!(await store.createQueue(queue))) {
        // Idempotent when every attribute given has the value the queue has.
        const existing = await store.getQueue(key);
        if (existing) {
          const differing = Object.keys(given).find((name) => (existing.attributes[name] ?? defaultAttributes(fifo)[name]) !== given[name]);
          if (differing) throw queueNameExists(differing);
        }
      }
      return { QueueUrl: queueUrl(ctx, key) };
    },
    async GetQueueUrl(input: sqs.GetQueueUrlRequest, ctx) {
      const accountId = input.QueueOwnerAWSAccountId ?? ctx.accountId;
      const queue = await store.getQueue({ accountId, region: ctx.region, name: input.QueueName });
      if (!queue) throw queueDoesNotExist();
      return { QueueUrl: queueUrl(ctx, queue) };
    },
    async ListQueues(input: sqs.ListQueuesRequest, ctx) {
      const all = await store.listQueues(ctx.accountId, ctx.region, input.QueueNamePrefix ?? '');
      const { items, next } = page(all, input.MaxResults, input.NextToken);
      return { QueueUrls: items.length ? items.map((q) => queueUrl(ctx, q)) : undefined, NextToken: next };
    },
    async DeleteQueue(input: sqs.DeleteQueueRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      await store.deleteQueue(queue);
      return {};
    },
    async GetQueueAttributes(input: sqs.GetQueueAttributesRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const names = (input.AttributeNames ?? []) as string[];
      if (!names.length) return {};
      const attributes = selectAttributes(queue, await store.counts(queue.arn, now()), names);
      return Object.keys(attributes).length ? { Attributes: attributes } : {};
    },
    async SetQueueAttributes(input: sqs.SetQueueAttributesRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const given = await validateAttributes((input.Attributes ?? {}) as Record<string, string>, isFifoName(queue.name), false, deadLetterExists(ctx));
      const attributes = { ...queue.attributes, ...given };
      for (const [k, v] of Object.entries(given)) if (v === '' && (k === 'RedrivePolicy' || k === 'Policy' || k === 'RedriveAllowPolicy')) delete attributes[k];
      if (!(await store.updateQueue({ ...queue, attributes, modifiedMs: now() }))) throw queueDoesNotExist();
      return {};
    },
    async PurgeQueue(input: sqs.PurgeQueueRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const last = lastPurge.get(queue.arn);
      if (last !== undefined && now() - last < PURGE_INTERVAL_MS) throw purgeInProgress(queue.arn);
      lastPurge.set(queue.arn, now());
      await store.purgeMessages(queue.arn);
      return {};
    },
    async ListDeadLetterSourceQueues(input: sqs.ListDeadLetterSourceQueuesRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const sources = await store.deadLetterSources(ctx.accountId, ctx.region, queue.arn);
      const { items, next } = page(sources, input.MaxResults, input.NextToken);
      return { queueUrls: items.map((q) => queueUrl(ctx, q)), NextToken: next };
    },
    async TagQueue(input: sqs.TagQueueRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const tags = { ...queue.tags, ...(input.Tags as Record<string, string>) };
      checkTags(tags, 0);
      await store.updateQueue({ ...queue, tags });
      return {};
    },
    async UntagQueue(input: sqs.UntagQueueRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      const tags = { ...queue.tags };
      for (const k of input.TagKeys) delete tags[k];
      await store.updateQueue({ ...queue, tags });
      return {};
    },
    async ListQueueTags(input: sqs.ListQueueTagsRequest, ctx) {
      const queue = await queueByUrl(store, ctx, input.QueueUrl);
      return Object.keys(queue.tags).length ? { Tags: queue.tags } : {};
    },
  };
  return handlers;
}
