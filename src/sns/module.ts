// The SNS service module (query protocol, signing name `sns`): topics, subscriptions and
// publishing, with deliveries queued in the database and made by the delivery queue's workers.
// Other services reach it through `publish` (send to a topic as a service) and `deliverTo`
// (a delivery target for a protocol, such as SQS's).
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { HandlerTable, OperationHandler } from '../aws/protocols/query.js';
import type { Operations } from '../aws/generated/sns.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import type { SnsStore } from '../store/sns-store.js';
import { Topics } from './topics.js';
import { Subscriptions } from './subscriptions.js';
import { Publisher, type Message } from './publish.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { DeadLetterSender, DeliveryTarget } from './delivery-targets.js';
import { parseTopicArn } from './arns.js';
import { randomUUID } from 'node:crypto';

const API_VERSION = '2010-03-31';
/** Links in notifications (SubscribeURL, UnsubscribeURL) are opened unsigned, without a Version. */
const LINK_ACTIONS = new Set(['ConfirmSubscription', 'Unsubscribe']);

const LINK_ARN = /^arn:aws:sns:([a-z0-9-]+):/;

/** The region of an unsigned notification link (ConfirmSubscription, Unsubscribe by a query string naming an SNS ARN); undefined for anything else. */
function linkRegion(req: IncomingMessage, url: URL): string | undefined {
  const action = url.searchParams.get('Action');
  if (action === null || !LINK_ACTIONS.has(action) || req.headers.authorization !== undefined || url.searchParams.has('X-Amz-Signature')) return undefined;
  return LINK_ARN.exec(url.searchParams.get(action === 'Unsubscribe' ? 'SubscriptionArn' : 'TopicArn') ?? '')?.[1];
}

export interface SnsOptions {
  store: SnsStore;
  nodeId: string;
  retryDelaysMs: readonly number[];
  /** In a cluster, how often to look for deliveries other nodes queued. */
  pollMs?: number;
}

export interface SnsModule {
  service: ServiceModule;
  /** Registers where a protocol's deliveries go (lambda and http(s) are registered by the server; sqs by the SQS module). */
  deliverTo(protocol: string, target: DeliveryTarget): void;
  /** Registers where subscriptions' RedrivePolicy dead letters go (SQS's sender). */
  sendDeadLettersTo(sender: DeadLetterSender): void;
  /** Publishes to a topic on behalf of another service (CloudWatch alarm actions); rejects with NotFound when there is no such topic. */
  publish(topicArn: string, message: Message, baseUrl: string): Promise<{ MessageId: string }>;
  start(): void;
  close(): Promise<void>;
}

export function createSnsModule(options: SnsOptions): SnsModule {
  const { store } = options;
  const queue = new DeliveryQueue({ store, nodeId: options.nodeId, retryDelaysMs: options.retryDelaysMs, pollMs: options.pollMs });
  const topics = new Topics(store);
  const subscriptions = new Subscriptions(store, topics, (sub, message) => queue.enqueue([{ id: randomUUID(), subscriptionArn: sub.arn, message }]));
  const publisher = new Publisher(store, queue);

  const handlers: HandlerTable<Operations> = {
    CreateTopic: async (input, ctx) => ({ TopicArn: await topics.create(input, ctx) }),
    DeleteTopic: async (input, ctx) => topics.delete(input.TopicArn, ctx),
    ListTopics: (input, ctx) => topics.list(input.NextToken, ctx),
    GetTopicAttributes: async (input, ctx) => ({ Attributes: await topics.attributes(input.TopicArn, ctx) }),
    SetTopicAttributes: (input, ctx) => topics.setAttribute(input.TopicArn, input.AttributeName, input.AttributeValue, ctx),
    TagResource: async (input, ctx) => (await topics.tag(input.ResourceArn, input.Tags, ctx), {}),
    UntagResource: async (input, ctx) => (await topics.untag(input.ResourceArn, input.TagKeys, ctx), {}),
    ListTagsForResource: async (input, ctx) => ({ Tags: await topics.tags(input.ResourceArn, ctx) }),
    Subscribe: async (input, ctx) => ({ SubscriptionArn: await subscriptions.subscribe(input, ctx) }),
    ConfirmSubscription: async (input, ctx) => ({ SubscriptionArn: await subscriptions.confirmSubscription(input.TopicArn, input.Token, ctx) }),
    Unsubscribe: (input, ctx) => subscriptions.unsubscribe(input.SubscriptionArn, ctx),
    ListSubscriptions: (input, ctx) => subscriptions.list(input.NextToken, ctx),
    ListSubscriptionsByTopic: (input, ctx) => subscriptions.list(input.NextToken, ctx, input.TopicArn),
    GetSubscriptionAttributes: async (input, ctx) => ({ Attributes: await subscriptions.attributes(input.SubscriptionArn, ctx) }),
    SetSubscriptionAttributes: (input, ctx) => subscriptions.setAttribute(input.SubscriptionArn, input.AttributeName, input.AttributeValue, ctx),
    Publish: async (input, ctx) => {
      const arn = publisher.topicArnOf(input);
      parseTopicArn(arn);
      return publisher.publish(await topics.get(arn, ctx), input, ctx.baseUrl);
    },
    PublishBatch: async (input, ctx) => publisher.publishBatch(await topics.get(input.TopicArn, ctx), input.PublishBatchRequestEntries, ctx.baseUrl),
  };
  const api = new QueryService(loadModel('sns-2010-03-31'), handlers as Record<string, OperationHandler>, 'sns');
  return {
    service: {
      signingNames: ['sns'],
      authErrorStyle: 'query',
      claims: (req: IncomingMessage, url: URL) => url.searchParams.get('Action') !== null
        && (url.searchParams.get('Version') === API_VERSION || linkRegion(req, url) !== undefined),
      handle: (req, res, url, ctx) => {
        // A SubscribeURL or UnsubscribeURL opened as it is (unsigned, as on AWS): the token or the
        // subscription ARN it carries is the capability, and its ARN names the region.
        const region = linkRegion(req, url);
        return api.handle(req, res, url, region === undefined ? ctx : { ...ctx, region, authenticate: undefined });
      },
    },
    deliverTo: (protocol, target) => queue.deliverTo(protocol, target),
    sendDeadLettersTo: (sender) => queue.sendDeadLettersTo(sender),
    publish: async (topicArn, message, baseUrl) => {
      const ref = parseTopicArn(topicArn);
      return publisher.publish(await publisher.getTopic(topicArn, ref), message, baseUrl);
    },
    start: () => queue.start(),
    close: () => queue.close(),
  };
}
