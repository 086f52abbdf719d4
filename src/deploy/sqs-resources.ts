// A template's AWS::SQS::Queue and AWS::SQS::QueuePolicy resources in Stagecraft's SQS. A queue is
// created with its attributes and tags (and the stack's mark) or, existing, has them set in place;
// a changed name (QueueName, or FifoQueue changing the generated one) is a new queue and the old
// one goes with the stack's other stale queues, as CloudFormation replaces it.
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, SetQueueAttributesCommand, TagQueueCommand, UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { isNotFound } from './errors.js';
import { canonicalJson } from './canonical-json.js';
import { jsonText, markedTags, ownership, STACK_TAG_KEYS, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';

/** CloudFormation's queue properties that are SQS attributes of the same name. */
const ATTRIBUTES = [
  'DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
];
/** Set only when the queue is created. */
const CREATE_ONLY = ['FifoQueue'];

export function queueAttributes(props: Props, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...ATTRIBUTES, ...(creating ? CREATE_ONLY : [])]) {
    const v = text(props[key]);
    if (v !== undefined) out[key] = v;
  }
  // RedrivePolicy and RedriveAllowPolicy are JSON objects in a template, strings in SQS.
  for (const key of ['RedrivePolicy', 'RedriveAllowPolicy']) {
    const v = jsonText(props[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Whether an attribute already has the value (JSON ones compared as JSON). */
function sameAttribute(current: string | undefined, wanted: string): boolean {
  if (current === wanted) return true;
  try {
    return current !== undefined && canonicalJson(JSON.parse(current)) === canonicalJson(JSON.parse(wanted));
  } catch {
    return false;
  }
}

async function existingUrl(ctx: ServiceContext, name: string): Promise<string | undefined> {
  try {
    return (await ctx.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (e) {
    if (isNotFound(e) || (e as { name?: string }).name === 'QueueDoesNotExist' || (e as { name?: string }).name === 'AWS.SimpleQueueService.NonExistentQueue') return undefined;
    throw e;
  }
}

/** Creates or updates the queue; its URL. */
export async function syncQueue(ctx: ServiceContext, r: WantedResource): Promise<string> {
  const tags = markedTags(ctx.stackName, r.retain, r.props.Tags);
  const url = await existingUrl(ctx, r.name);
  if (!url) {
    const created = await ctx.clients.sqs.send(new CreateQueueCommand({ QueueName: r.name, Attributes: queueAttributes(r.props, true), tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) }));
    ctx.log.report({ subject: r.logicalId, kind: 'created', message: `SQS queue ${r.name}` });
    return created.QueueUrl!;
  }
  const attributes = queueAttributes(r.props, false);
  const current: Record<string, string> = (await ctx.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
  const changed = Object.entries(attributes).filter(([k, v]) => !sameAttribute(current[k], v));
  if (changed.length) await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: Object.fromEntries(changed) }));
  const before = (await ctx.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
  const wanted = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  const gone = Object.keys(before).filter((k) => !(k in wanted) && k !== QUEUE_POLICY_TAG);
  const retag = gone.length > 0 || Object.entries(wanted).some(([k, v]) => before[k] !== v);
  if (gone.length) await ctx.clients.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: gone }));
  if (retag) await ctx.clients.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: wanted }));
  ctx.log.report({ subject: r.logicalId, kind: changed.length || retag ? 'updated' : 'unchanged', message: `SQS queue ${r.name}` });
  return url;
}

/** An AWS::SQS::QueuePolicy: its PolicyDocument set as the Policy of each of its Queues (URLs). */
export async function syncQueuePolicy(ctx: ServiceContext, r: WantedResource): Promise<void> {
  const policy = jsonText(r.props.PolicyDocument);
  const queues = Array.isArray(r.props.Queues) ? r.props.Queues.map(String) : [];
  for (const url of queues) {
    await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy ?? '' } }));
    await ctx.clients.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { [QUEUE_POLICY_TAG]: ctx.stackName } }));
  }
  ctx.log.report({ subject: r.logicalId, kind: 'updated', message: `policy of ${queues.length} SQS queue${queues.length === 1 ? '' : 's'}` });
}

/** Marks a queue whose Policy a stack's AWS::SQS::QueuePolicy set (value: the stack), so the policy goes with the resource. */
export const QUEUE_POLICY_TAG = 'stagecraft:queue-policy';

async function listQueueUrls(ctx: ServiceContext): Promise<string[]> {
  let NextToken: string | undefined;
  const urls: string[] = [];
  do {
    const page = await ctx.clients.sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return urls;
}

/**
 * The queues whose Policy the stack's queue policies set but none sets now (URLs not in `keep`):
 * their Policy emptied, as CloudFormation does when an AWS::SQS::QueuePolicy is deleted.
 */
export async function removeStaleQueuePolicies(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<void> {
  const name = (url: string) => url.slice(url.lastIndexOf('/') + 1); // by name: a URL's host may be spelled another way
  const kept = new Set([...keep].map(name));
  for (const url of await listQueueUrls(ctx)) {
    if (kept.has(name(url))) continue;
    const tags = (await ctx.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    if (tags[QUEUE_POLICY_TAG] !== ctx.stackName) continue;
    if (!ctx.dryRun) {
      await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } }));
      await ctx.clients.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: [QUEUE_POLICY_TAG] }));
    }
    ctx.log.report({ subject: 'QueuePolicies', kind: 'removed', message: `policy of SQS queue ${name(url)}` });
  }
}

/** The stack's queues not in `keep` (by name): deleted, or, retained, no longer marked; their names. */
export async function removeStaleQueues(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const url of await listQueueUrls(ctx)) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    if (keep.has(name)) continue;
    const tags = (await ctx.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    const own = ownership(tags, ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    ctx.log.report({ subject: 'Queues', kind: 'removed', message: `SQS queue ${name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    removed.push(name);
  }
  return removed;
}
