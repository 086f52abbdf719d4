// A template's AWS::S3::Bucket resources in Stagecraft's S3: created (or found), tagged with the
// template's Tags and the stack's mark, and given their NotificationConfiguration (with the
// LambdaConfigurations SAM's S3 events add). A bucket removed from the template is deleted as
// CloudFormation deletes it: one that still holds objects can't be, and the deletion fails
// (a warning in the deploy's cleanup, DELETE_FAILED for a server-side stack's delete).
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketNotificationConfigurationCommand, GetBucketTaggingCommand, HeadBucketCommand, ListBucketsCommand, PutBucketNotificationConfigurationCommand,
  PutBucketTaggingCommand, DeleteBucketTaggingCommand, type BucketLocationConstraint, type NotificationConfiguration, type FilterRule,
} from '@aws-sdk/client-s3';
import { markedTags, ownership, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';
import { RETAIN_TAG, STACK_TAG } from './functions.js';
import type { Value } from './intrinsics.js';
import { canonicalJson } from './canonical-json.js';

type Entry = Record<string, Value>;
const entries = (v: Value | undefined): Entry[] => (Array.isArray(v) ? v.filter((x): x is Entry => !!x && typeof x === 'object' && !Array.isArray(x)) : []);

/** CloudFormation's Filter ({S3Key: {Rules: [{Name, Value}]}}) as S3's ({Key: {FilterRules}}). */
function filterOf(v: Value | undefined): { Key: { FilterRules: FilterRule[] } } | undefined {
  const key = (v as Entry | undefined)?.S3Key as Entry | undefined;
  const rules = entries(key?.Rules);
  return rules.length ? { Key: { FilterRules: rules.map((r) => ({ Name: String(r.Name) as FilterRule['Name'], Value: String(r.Value) })) } } : undefined;
}

/** CloudFormation's NotificationConfiguration as PutBucketNotificationConfiguration takes it. */
export function notificationConfiguration(props: Props): NotificationConfiguration {
  const config = (props.NotificationConfiguration ?? {}) as Entry;
  const out: NotificationConfiguration = {};
  const lambdas = entries(config.LambdaConfigurations);
  const queues = entries(config.QueueConfigurations);
  const topics = entries(config.TopicConfigurations);
  if (lambdas.length) out.LambdaFunctionConfigurations = lambdas.map((c) => ({ Events: [String(c.Event)] as never, LambdaFunctionArn: String(c.Function), Filter: filterOf(c.Filter) }));
  if (queues.length) out.QueueConfigurations = queues.map((c) => ({ Events: [String(c.Event)] as never, QueueArn: String(c.Queue), Filter: filterOf(c.Filter) }));
  if (topics.length) out.TopicConfigurations = topics.map((c) => ({ Events: [String(c.Event)] as never, TopicArn: String(c.Topic), Filter: filterOf(c.Filter) }));
  const eventBridge = config.EventBridgeConfiguration as Entry | undefined;
  if (eventBridge && (eventBridge.EventBridgeEnabled === true || eventBridge.EventBridgeEnabled === 'true')) out.EventBridgeConfiguration = {};
  return out;
}

/** Creates or updates the bucket (tags and notifications put only when they differ). */
export async function syncBucket(ctx: ServiceContext, r: WantedResource): Promise<void> {
  const s3 = ctx.clients.s3;
  const existed = await s3.send(new HeadBucketCommand({ Bucket: r.name })).then(() => true, (e: { $metadata?: { httpStatusCode?: number } }) => {
    if (e.$metadata?.httpStatusCode === 404) return false;
    throw e;
  });
  if (!existed) {
    await s3.send(new CreateBucketCommand({
      Bucket: r.name, CreateBucketConfiguration: ctx.region === 'us-east-1' ? undefined : { LocationConstraint: ctx.region as BucketLocationConstraint },
    }));
  }
  const tagSet = markedTags(ctx.stackName, r.retain, r.props.Tags);
  const tagsChanged = !existed || canonicalJson(await bucketTags(ctx, r.name)) !== canonicalJson(Object.fromEntries(tagSet.map((t) => [t.Key, t.Value])));
  if (tagsChanged) await s3.send(new PutBucketTaggingCommand({ Bucket: r.name, Tagging: { TagSet: tagSet } }));
  // An empty configuration turns off what a previous template configured.
  const config = notificationConfiguration(r.props);
  const configChanged = !existed || canonicalJson(withoutIds(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: r.name })))) !== canonicalJson(withoutIds(config));
  if (configChanged) await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: r.name, NotificationConfiguration: config }));
  ctx.log.report({ subject: r.logicalId, kind: !existed ? 'created' : tagsChanged || configChanged ? 'updated' : 'unchanged', message: `S3 bucket ${r.name}` });
}

/** A notification configuration without what S3 adds (configuration IDs, empty lists, the answer's metadata), to compare. */
function withoutIds(config: NotificationConfiguration & { $metadata?: unknown }): unknown {
  // S3 answers rule names capitalised (Prefix, Suffix) whatever case they were put in.
  const rules = (f: { Key?: { FilterRules?: FilterRule[] } } | undefined) => f?.Key?.FilterRules?.map((r) => ({ Name: r.Name?.toLowerCase(), Value: r.Value }));
  const list = (l: { Id?: string; Filter?: { Key?: { FilterRules?: FilterRule[] } } }[] | undefined) => (l?.length ? l.map(({ Id: _id, Filter, ...rest }) => ({ ...rest, rules: rules(Filter) })) : undefined);
  return {
    LambdaFunctionConfigurations: list(config.LambdaFunctionConfigurations), QueueConfigurations: list(config.QueueConfigurations),
    TopicConfigurations: list(config.TopicConfigurations), EventBridgeConfiguration: config.EventBridgeConfiguration ? {} : undefined,
  };
}

async function bucketTags(ctx: ServiceContext, name: string): Promise<Record<string, string>> {
  try {
    const { TagSet } = await ctx.clients.s3.send(new GetBucketTaggingCommand({ Bucket: name }));
    return Object.fromEntries((TagSet ?? []).map((t) => [t.Key!, t.Value ?? '']));
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchTagSet' || (e as { name?: string }).name === 'NoSuchBucket') return {};
    throw e;
  }
}

/** The stack's buckets not in `keep`: deleted (failing, as CloudFormation, when not empty), or, retained, unmarked. */
export async function removeStaleBuckets(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<void> {
  const { Buckets } = await ctx.clients.s3.send(new ListBucketsCommand({}));
  for (const b of Buckets ?? []) {
    const name = b.Name!;
    if (keep.has(name)) continue;
    const tags = await bucketTags(ctx, name);
    const own = ownership(tags, ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') {
      const rest = Object.entries(tags).filter(([k]) => k !== STACK_TAG && k !== RETAIN_TAG).map(([Key, Value]) => ({ Key, Value }));
      if (rest.length) await ctx.clients.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: rest } }));
      else await ctx.clients.s3.send(new DeleteBucketTaggingCommand({ Bucket: name }));
    } else {
      await ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: name }));
    }
    ctx.log.report({ subject: 'Buckets', kind: 'removed', message: `S3 bucket ${name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
  }
}
