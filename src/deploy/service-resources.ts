// Putting a template's queues, topics, subscriptions, event buses, rules and buckets (and what
// SAM's S3, SNS, Schedule, CloudWatchEvent and EventBridgeRule events generate) into Stagecraft's
// SQS, SNS, EventBridge and S3, in the order their references need (queues before the topics
// that may subscribe them, buses before their rules, buckets last: their notifications name
// functions, queues and topics), then removing the stack's ones the template no longer has.
// Functions and their permissions exist by then (deploy.ts grants the events' permissions with
// the template's own). Every resource carries the stack's mark (service-clients.ts), which is how
// a later deploy and `stagecraft delete` find them.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { removeStackMappings } from './event-source-mappings.js';
import type { ConnectionSettings } from './clients.js';
import { grantLambdaPermission } from './lambda-permissions.js';
import type { LambdaPermissionSpec } from './lambda-permission-spec.js';
import type { Change, Progress } from './progress.js';
import { describeAwsError } from './errors.js';
import { evaluateValue, referencedNames, type Scope } from './intrinsics.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { synthetic } from './source.js';
import { retains } from './template.js';
import { createServiceClients, destroyServiceClients, type Props } from './service-clients.js';
import {
  DATA_TYPES, EVENT_BUS_TYPE, EVENTS_RULE_TYPE, S3_BUCKET_TYPE, SERVICE_TYPES, SNS_SUBSCRIPTION_TYPE, SNS_TOPIC_POLICY_TYPE, SNS_TOPIC_TYPE, SQS_QUEUE_POLICY_TYPE, SQS_QUEUE_TYPE,
  type ServiceContext, type WantedResource,
} from './service-resource.js';
import { removeStaleQueuePolicies, removeStaleQueues, syncQueue, syncQueuePolicy } from './sqs-resources.js';
import { ensureSubscription, removeStaleTopicPolicies, removeStaleTopics, subscriptionAttributes, syncTopic, syncTopicPolicy } from './sns-resources.js';
import { busName, removeStaleRulesAndBuses, syncEventBus, syncRule } from './events-resources.js';
import { removeStaleBuckets, syncBucket } from './s3-resources.js';
import { serviceEventResources, type EventTarget, type ServiceEventResources } from './sam-service-events.js';
import { FUNCTION_TYPE } from './spec.js';
import { queueUrl } from './other-resources.js';
import { dataDeletions } from './data-resources.js';

type Step = ServiceContext['step'];

/** The physical name !Ref / !GetAtt give the resource (a rule on another bus: `bus|name`, its name the part after `|`). */
function physicalName(r: ActiveResource, scope: Scope): string {
  const node = synthetic({ Ref: r.def.logicalId }, r.def.path, r.def.loc);
  switch (r.def.type) {
    case SQS_QUEUE_TYPE: return String(scope.resourceAttribute(r.def.logicalId, 'QueueName', node));
    case SNS_TOPIC_TYPE: return String(scope.resourceAttribute(r.def.logicalId, 'TopicName', node));
    case EVENTS_RULE_TYPE: return String(scope.resourceRef(r.def.logicalId, node)).split('|').pop()!;
    case EVENT_BUS_TYPE: case S3_BUCKET_TYPE: return String(scope.resourceRef(r.def.logicalId, node));
    default: return '';
  }
}

/** The resources, each after those it refers to or DependsOn (a dead-letter queue before the queue naming it). */
export function dependencyOrder(resources: ActiveResource[]): ActiveResource[] {
  const byId = new Map(resources.map((r) => [r.def.logicalId, r]));
  const out: ActiveResource[] = [];
  const seen = new Set<string>();
  const visit = (r: ActiveResource) => {
    if (seen.has(r.def.logicalId)) return;
    seen.add(r.def.logicalId);
    const names = new Set<string>(r.def.dependsOn);
    referencedNames(r.properties, names);
    for (const n of names) if (byId.has(n)) visit(byId.get(n)!);
    out.push(r);
  };
  resources.forEach(visit);
  return out;
}

/** The template's resources of the services' types, evaluated, in dependency order. */
export function templateServiceResources(model: StackModel, scope: Scope): WantedResource[] {
  return dependencyOrder([...model.others.values()].filter((r) => SERVICE_TYPES.includes(r.def.type) && !DATA_TYPES.includes(r.def.type))).map((r) => ({
    logicalId: r.def.logicalId,
    type: r.def.type,
    props: evaluateValue(r.properties, scope) as Props,
    retain: retains(r.def.deletionPolicy),
    name: physicalName(r, scope),
  }));
}

/** SAM's generated resources for the functions' S3, SNS, Schedule and EventBridge events (their permissions to grant first). */
export function expandServiceEvents(model: StackModel, scope: Scope, functions: ReadonlyMap<string, EventTarget>): ServiceEventResources {
  return serviceEventResources(model.identity, model.resources.filter((r) => r.def.type === FUNCTION_TYPE), scope, functions, (id) => model.others.get(id));
}

/** The deployed functions as service events call them (the alias, with AutoPublishAlias). */
export function eventTargets(functions: ReadonlyMap<string, { spec: { logicalId: string; name: string; autoPublishAlias?: string }; arn: string; aliasArn?: string }>): Map<string, EventTarget> {
  return new Map([...functions.values()].map((f) => [f.spec.logicalId, {
    logicalId: f.spec.logicalId, name: f.spec.name, arn: f.arn, aliasArn: f.aliasArn, qualifier: f.aliasArn ? f.spec.autoPublishAlias : undefined,
  }]));
}

/**
 * Expands the functions' service events and grants their permissions (added to `permissions`, so
 * the withdrawal of dropped ones keeps them); what the expansion gives, for syncServiceResources.
 */
export async function grantServiceEventPermissions(d: { lambda: LambdaClient; log: Pick<Progress, 'report'>; step: Step }, model: StackModel, scope: Scope,
  functions: Parameters<typeof eventTargets>[0], permissions: LambdaPermissionSpec[]): Promise<ServiceEventResources> {
  const events = await d.step('Events', 'reading the functions\' service events', async () => expandServiceEvents(model, scope, eventTargets(functions)));
  for (const spec of events.permissions) {
    const kind = await d.step(spec.logicalId, `letting ${spec.principal} call ${spec.functionName}`, () => grantLambdaPermission(d.lambda, spec));
    d.log.report({ subject: spec.logicalId, kind, message: `permission ${spec.statementId} for ${spec.principal} to ${spec.action} ${spec.functionName}` });
    permissions.push(spec);
  }
  return events;
}

export interface ServiceDeploy {
  settings: ConnectionSettings;
  stackName: string;
  log: Pick<Progress, 'report' | 'warn'>;
  step: Step;
}

/** A resource put into the services, as a server-side stack lists it (its physical ID as CloudFormation's). */
export interface ServiceResourceEntry { logicalId: string; physicalId: string; type: string }

/** What a deploy's result says of these resources. */
export interface ServiceResult {
  serviceResources: ServiceResourceEntry[];
}

/** Creates or updates every wanted resource, then removes the stack's others (DeletionPolicy Retain: unmarked, kept); what it put. */
export async function syncServiceResources(d: ServiceDeploy, model: StackModel, scope: Scope, events: ServiceEventResources): Promise<ServiceResourceEntry[]> {
  const clients = createServiceClients(d.settings);
  const ctx: ServiceContext = { clients, stackName: d.stackName, region: model.identity.region, accountId: model.identity.accountId, log: d.log, step: d.step };
  const put: ServiceResourceEntry[] = [];
  const entry = (r: WantedResource, physicalId: string) => put.push({ logicalId: r.logicalId, physicalId, type: r.type });
  try {
    const wanted = templateServiceResources(model, scope);
    const of = (type: string) => wanted.filter((r) => r.type === type);
    const buses = new Set<string>(['default']);
    for (const r of of(EVENT_BUS_TYPE)) {
      await d.step(r.logicalId, `putting event bus ${r.name}`, () => syncEventBus(ctx, r));
      buses.add(r.name);
      entry(r, r.name);
    }
    const queues = new Set<string>();
    for (const r of of(SQS_QUEUE_TYPE)) {
      await d.step(r.logicalId, `putting queue ${r.name}`, () => syncQueue(ctx, r));
      entry(r, queueUrl(r.name, { ...ctx, endpoint: model.identity.endpoint })); // the URL !Ref gives (other-resources.ts)
      queues.add(r.name);
    }
    for (const r of of(SQS_QUEUE_POLICY_TYPE)) await d.step(r.logicalId, 'setting the queue policy', () => syncQueuePolicy(ctx, r));
    await d.step('QueuePolicies', 'removing queue policies the template no longer has', () => removeStaleQueuePolicies(ctx, policyTargets(of(SQS_QUEUE_POLICY_TYPE), 'Queues')));
    const topics = new Set<string>();
    const subscriptions = new Set<string>();
    for (const r of of(SNS_TOPIC_TYPE)) {
      const arn = await d.step(r.logicalId, `putting topic ${r.name}`, () => syncTopic(ctx, r));
      topics.add(arn);
      entry(r, arn);
      const inline = Array.isArray(r.props.Subscription) ? r.props.Subscription as Props[] : [];
      for (const s of inline) {
        subscriptions.add(await d.step(r.logicalId, `subscribing ${String(s.Endpoint)}`, () => ensureSubscription(ctx, r.logicalId, arn, String(s.Protocol), String(s.Endpoint), {})));
      }
    }
    for (const r of of(SNS_TOPIC_POLICY_TYPE)) await d.step(r.logicalId, 'setting the topic policy', () => syncTopicPolicy(ctx, r));
    await d.step('TopicPolicies', 'removing topic policies the template no longer has', () => removeStaleTopicPolicies(ctx, policyTargets(of(SNS_TOPIC_POLICY_TYPE), 'Topics')));
    for (const r of [...of(SNS_SUBSCRIPTION_TYPE), ...events.subscriptions]) {
      const { TopicArn, Protocol, Endpoint } = r.props;
      const arn = await d.step(r.logicalId, `subscribing ${String(Endpoint)}`, () => ensureSubscription(ctx, r.logicalId, String(TopicArn), String(Protocol), String(Endpoint), subscriptionAttributes(r.props)));
      subscriptions.add(arn);
      entry(r, arn);
    }
    const rules = new Set<string>();
    for (const r of [...of(EVENTS_RULE_TYPE), ...events.rules]) {
      rules.add(await d.step(r.logicalId, `putting rule ${r.name}`, () => syncRule(ctx, r)));
      entry(r, r.props.EventBusName && r.props.EventBusName !== 'default' && !String(r.props.EventBusName).endsWith('/default') ? `${busName(r.props.EventBusName)}|${r.name}` : r.name);
    }
    const buckets = new Set<string>();
    for (const r of of(S3_BUCKET_TYPE)) {
      const added = events.bucketNotifications.get(r.logicalId);
      const props = added ? withLambdaConfigurations(r.props, added) : r.props;
      await d.step(r.logicalId, `putting bucket ${r.name}`, () => syncBucket(ctx, { ...r, props }));
      buckets.add(r.name);
      entry(r, r.name);
    }
    // As CloudFormation's cleanup: a deletion that fails (a bucket not empty) is a warning, not a failed deploy.
    const prune = (what: string, fn: () => Promise<unknown>) => fn().catch((e: unknown) => d.log.warn(`removing ${what} the template no longer has failed: ${describeAwsError(e)}`));
    await prune('rules and event buses', () => removeStaleRulesAndBuses(ctx, rules, buses));
    await prune('buckets', () => removeStaleBuckets(ctx, buckets));
    await prune('topics and subscriptions', () => removeStaleTopics(ctx, topics, subscriptions));
    await prune('queues', () => removeStaleQueues(ctx, queues));
    return put;
  } finally {
    destroyServiceClients(clients);
  }
}

/** The queues (URLs) or topics (ARNs) the policy resources set the Policy of. */
const policyTargets = (policies: WantedResource[], key: 'Queues' | 'Topics') =>
  new Set(policies.flatMap((r) => (Array.isArray(r.props[key]) ? (r.props[key] as unknown[]).map(String) : [])));

/** The bucket's properties with SAM's LambdaConfigurations appended to its NotificationConfiguration. */
export function withLambdaConfigurations(props: Props, added: Props[]): Props {
  const config = (props.NotificationConfiguration ?? {}) as Props;
  const own = Array.isArray(config.LambdaConfigurations) ? config.LambdaConfigurations : [];
  return { ...props, NotificationConfiguration: { ...config, LambdaConfigurations: [...own, ...added] } };
}

/**
 * A stack's delete: its event source mappings, rules, buses, buckets, topics, queues, secrets, parameters and tables deleted
 * (retained ones unmarked); each failure (a bucket not empty) reported and the rest still
 * attempted. With `dryRun`, what would go is only reported.
 */
export async function deleteServiceResources(settings: ConnectionSettings, stackName: string, report: (change: Change) => void,
  failed: (subject: string, error: unknown) => void, dryRun = false): Promise<void> {
  const clients = createServiceClients(settings);
  const lambda = new LambdaClient({ endpoint: settings.endpoint, region: settings.region, credentials: settings.credentials, maxAttempts: 2 });
  const step: Step = async (_subject, _action, fn) => fn();
  const ctx: ServiceContext = { clients, stackName, region: settings.region, accountId: '', log: { report }, step, dryRun };
  const none = new Set<string>();
  try {
    for (const [subject, remove] of [
      // Mappings first: they read from the queues.
      ['EventSourceMappings', () => removeStackMappings(lambda, stackName, (c) => report({ subject: 'EventSourceMappings', kind: 'removed', message: `event source mapping ${c.uuid} from ${c.eventSourceArn}` }), dryRun)],
      ['Rules', () => removeStaleRulesAndBuses(ctx, none, none)],
      ['Buckets', () => removeStaleBuckets(ctx, none)],
      ['TopicPolicies', () => removeStaleTopicPolicies(ctx, none)],
      ['QueuePolicies', () => removeStaleQueuePolicies(ctx, none)],
      ['Topics', () => removeStaleTopics(ctx, none, none)],
      ['Queues', () => removeStaleQueues(ctx, none)],
      ...dataDeletions(ctx),
    ] as const) {
      await (remove as () => Promise<unknown>)().catch((e: unknown) => failed(subject, e));
    }
  } finally {
    destroyServiceClients(clients);
    lambda.destroy();
  }
}
