// Topic operations: CreateTopic (idempotent for the same attributes and tags), DeleteTopic,
// ListTopics (100 a page), Get/SetTopicAttributes, and tags on topics.
import type { RequestContext } from '../aws/request-context.js';
import type { SnsStore, StoredTopic } from '../store/sns-store.js';
import type { CreateTopicInput, Tag } from '../aws/generated/sns.js';
import { checkTopicName, isFifoName, parseTopicArn, topicArn } from './arns.js';
import { invalidParameter, resourceNotFound, topicNotFound } from './errors.js';
import { checkTopicAttribute, topicAttributes } from './topic-attributes.js';
import { pageByArn } from './paging.js';

const MAX_TAGS = 50;

export class Topics {
  constructor(private readonly store: SnsStore, private readonly now: () => number = Date.now) {}

  async create(input: CreateTopicInput, ctx: RequestContext): Promise<string> {
    const attributes = { ...(input.Attributes ?? {}) };
    if (input.DataProtectionPolicy !== undefined) attributes.DataProtectionPolicy = input.DataProtectionPolicy;
    const fifo = attributes.FifoTopic === 'true';
    if (isFifoName(input.Name) && !fifo) throw invalidParameter('Topic Name');
    checkTopicName(input.Name, fifo);
    for (const [name, value] of Object.entries(attributes)) checkTopicAttribute(name, value, fifo, true);
    if (attributes.FifoTopic === 'false') delete attributes.FifoTopic;
    const tags = checkTags(input.Tags ?? []);
    const arn = topicArn({ region: ctx.region, accountId: ctx.accountId, name: input.Name });
    const topic: StoredTopic = { arn, accountId: ctx.accountId, region: ctx.region, name: input.Name, attributes, tags, createdMs: this.now() };
    const { created, topic: stored } = await this.store.createTopic(topic);
    if (!created) {
      // Idempotent: the same name answers the same ARN, unless attributes or tags differ.
      const differs = Object.entries(attributes).some(([k, v]) => stored.attributes[k] !== v);
      if (differs) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
      if (tags.length && !sameTags(stored.tags, tags)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
    }
    return arn;
  }

  async get(arn: string | undefined, ctx: RequestContext): Promise<StoredTopic> {
    const ref = parseTopicArn(arn);
    const topic = ref.accountId === ctx.accountId && ref.region === ctx.region ? await this.store.getTopic(arn!) : undefined;
    if (!topic) throw topicNotFound();
    return topic;
  }

  async delete(arn: string, ctx: RequestContext): Promise<void> {
    const ref = parseTopicArn(arn);
    // Deleting a topic that does not exist succeeds, as on AWS.
    if (ref.accountId === ctx.accountId && ref.region === ctx.region) await this.store.deleteTopic(arn);
  }

  async list(nextToken: string | undefined, ctx: RequestContext): Promise<{ Topics: { TopicArn: string }[]; NextToken?: string }> {
    const { page, nextToken: next } = pageByArn(await this.store.listTopics(ctx.accountId, ctx.region), nextToken);
    return { Topics: page.map((t) => ({ TopicArn: t.arn })), ...(next !== undefined ? { NextToken: next } : {}) };
  }

  async attributes(arn: string, ctx: RequestContext): Promise<Record<string, string>> {
    const topic = await this.get(arn, ctx);
    return topicAttributes(topic, await this.store.listSubscriptionsByTopic(topic.arn));
  }

  async setAttribute(arn: string, name: string, value: string | undefined, ctx: RequestContext): Promise<void> {
    const topic = await this.get(arn, ctx);
    checkTopicAttribute(name, value ?? '', topic.attributes.FifoTopic === 'true', false);
    if (value === undefined || value === '') delete topic.attributes[name];
    else topic.attributes[name] = value;
    if (!(await this.store.updateTopic(topic))) throw topicNotFound();
  }

  async tag(arn: string, tags: Tag[], ctx: RequestContext): Promise<void> {
    const topic = await this.#tagged(arn, ctx);
    const merged = new Map(topic.tags.map((t) => [t.Key, t.Value]));
    for (const t of checkTags(tags)) merged.set(t.Key, t.Value);
    if (merged.size > MAX_TAGS) throw awsTagLimit();
    topic.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    await this.store.updateTopic(topic);
  }

  async untag(arn: string, keys: string[], ctx: RequestContext): Promise<void> {
    const topic = await this.#tagged(arn, ctx);
    topic.tags = topic.tags.filter((t) => !keys.includes(t.Key));
    await this.store.updateTopic(topic);
  }

  async tags(arn: string, ctx: RequestContext): Promise<Tag[]> {
    return (await this.#tagged(arn, ctx)).tags;
  }

  async #tagged(arn: string, ctx: RequestContext): Promise<StoredTopic> {
    const ref = parseTopicArn(arn, 'ResourceArn');
    const topic = ref.accountId === ctx.accountId && ref.region === ctx.region ? await this.store.getTopic(arn) : undefined;
    if (!topic) throw resourceNotFound();
    return topic;
  }
}

function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS) throw awsTagLimit();
  for (const t of tags) {
    // The query protocol lets a list's entry lack its Key or Value (the model's validation does not look into list entries).
    if (t.Key === undefined || t.Key === null || t.Key.length < 1 || t.Key.length > 128) throw invalidParameter('Tags Reason: Tag key length must be between 1 and 128');
    if (t.Value === undefined || t.Value === null) throw invalidParameter('Tags Reason: Tag value must not be null');
    if (t.Value.length > 256) throw invalidParameter('Tags Reason: Tag value length must be between 0 and 256');
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

const awsTagLimit = () => invalidParameter('Tags Reason: Could not complete request: tag quota of per resource exceeded');

function sameTags(a: Tag[], b: Tag[]): boolean {
  const key = (tags: Tag[]) => JSON.stringify([...tags].sort((x, y) => x.Key.localeCompare(y.Key)));
  return key(a) === key(b);
}
