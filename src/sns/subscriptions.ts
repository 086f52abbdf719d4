// Subscription operations. Subscriptions of lambda, sqs, firehose and application endpoints are
// confirmed at once; http and https ones wait for ConfirmSubscription with the token their
// SubscriptionConfirmation carried (queued for delivery like any message); email, email-json and
// sms ones are stored pending and never confirmed (Stagecraft sends no mail or text messages).
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestContext } from '../aws/request-context.js';
import type { SnsStore, StoredSubscription } from '../store/sns-store.js';
import type { SubscribeInput } from '../aws/generated/sns.js';
import { parseFunctionArn } from '../lambda/service-invoke.js';
import { parseSubscriptionArn } from './arns.js';
import { invalidParameter, subscriptionNotFound, notAuthorized } from './errors.js';
import { checkSubscriptionAttributes, subscriptionAttributes } from './subscription-attributes.js';
import type { Topics } from './topics.js';
import type { QueuedMessage } from './notification.js';
import { pageByArn } from './paging.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const CONFIRMED_AT_ONCE = new Set(['lambda', 'sqs', 'firehose', 'application']);
const SQS_ARN = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
export const PENDING = 'pending confirmation';

export interface SubscriptionListing { SubscriptionArn: string; Owner: string; Protocol: string; Endpoint: string; TopicArn: string }

export class Subscriptions {
  constructor(
    private readonly store: SnsStore,
    private readonly topics: Topics,
    /** Queues a SubscriptionConfirmation for an http(s) endpoint. */
    private readonly confirm: (sub: StoredSubscription, message: QueuedMessage) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  async subscribe(input: SubscribeInput, ctx: RequestContext): Promise<string> {
    const topic = await this.topics.get(input.TopicArn, ctx);
    const protocol = input.Protocol;
    if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
    const endpoint = input.Endpoint ?? '';
    checkEndpoint(protocol, endpoint);
    const attributes = { ...(input.Attributes ?? {}) };
    checkSubscriptionAttributes(protocol, topic.attributes.FifoTopic === 'true', attributes, Object.keys(attributes));
    if (topic.attributes.FifoTopic === 'true' && !['sqs', 'lambda', 'firehose'].includes(protocol)) {
      throw invalidParameter(`Invalid protocol type: ${protocol}`);
    }
    const existing = (await this.store.listSubscriptionsByTopic(topic.arn)).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) {
      if (Object.entries(attributes).some(([k, v]) => existing.attributes[k] !== v)) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
      return existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : PENDING;
    }
    const confirmed = CONFIRMED_AT_ONCE.has(protocol);
    const http = protocol === 'http' || protocol === 'https';
    const sub: StoredSubscription = {
      arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, accountId: ctx.accountId, region: ctx.region, protocol, endpoint, confirmed, attributes,
      ...(http ? { token: randomBytes(64).toString('hex') } : {}),
    };
    await this.store.putSubscription(sub);
    if (http) {
      await this.confirm(sub, {
        type: 'SubscriptionConfirmation', messageId: randomUUID(), topicArn: topic.arn, token: sub.token, baseUrl: ctx.baseUrl, attributes: {},
        message: `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
        timestamp: new Date(this.now()).toISOString(),
      });
    }
    return confirmed || input.ReturnSubscriptionArn ? sub.arn : PENDING;
  }

  async confirmSubscription(topicArn: string, token: string, ctx: RequestContext): Promise<string> {
    const topic = await this.topics.get(topicArn, ctx);
    const sub = (await this.store.listSubscriptionsByTopic(topic.arn)).find((s) => s.token !== undefined && s.token === token);
    if (!sub) throw invalidParameter('Token');
    if (!sub.confirmed) await this.store.putSubscription({ ...sub, confirmed: true });
    return sub.arn;
  }

  async unsubscribe(arn: string, ctx: RequestContext): Promise<void> {
    const sub = await this.get(arn, ctx);
    await this.store.deleteSubscription(sub.arn);
  }

  async get(arn: string | undefined, ctx: RequestContext): Promise<StoredSubscription> {
    const ref = parseSubscriptionArn(arn);
    const sub = ref.accountId === ctx.accountId && ref.region === ctx.region ? await this.store.getSubscription(arn!) : undefined;
    if (!sub) throw subscriptionNotFound();
    return sub;
  }

  async attributes(arn: string, ctx: RequestContext): Promise<Record<string, string>> {
    const sub = await this.get(arn, ctx);
    return subscriptionAttributes(sub, ctx.accountId, await this.store.getTopic(sub.topicArn));
  }

  async setAttribute(arn: string, name: string, value: string | undefined, ctx: RequestContext): Promise<void> {
    const sub = await this.get(arn, ctx);
    if (!sub.confirmed) throw notAuthorized('Subscription is pending confirmation');
    const attributes = { ...sub.attributes };
    if (value === undefined || value === '') delete attributes[name];
    else attributes[name] = value;
    checkSubscriptionAttributes(sub.protocol, sub.topicArn.endsWith('.fifo'), attributes, [name]);
    await this.store.putSubscription({ ...sub, attributes });
  }

  async list(nextToken: string | undefined, ctx: RequestContext, topicArn?: string): Promise<{ Subscriptions: SubscriptionListing[]; NextToken?: string }> {
    const all = topicArn !== undefined
      ? await this.store.listSubscriptionsByTopic((await this.topics.get(topicArn, ctx)).arn)
      : await this.store.listSubscriptions(ctx.accountId, ctx.region);
    const { page, nextToken: next } = pageByArn(all, nextToken);
    return {
      Subscriptions: page.map((s) => ({ SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation', Owner: s.accountId, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn })),
      ...(next !== undefined ? { NextToken: next } : {}),
    };
  }
}

function checkEndpoint(protocol: string, endpoint: string): void {
  const ok = {
    http: () => /^http:\/\/\S+$/i.test(endpoint),
    https: () => /^https:\/\/\S+$/i.test(endpoint),
    lambda: () => parseFunctionArn(endpoint) !== undefined,
    sqs: () => SQS_ARN.test(endpoint),
    email: () => /^[^@\s]+@[^@\s]+$/.test(endpoint),
    'email-json': () => /^[^@\s]+@[^@\s]+$/.test(endpoint),
    sms: () => /^\+?[0-9]{1,15}$/.test(endpoint),
    application: () => /^arn:aws:sns:/.test(endpoint),
    firehose: () => /^arn:aws:firehose:/.test(endpoint),
  }[protocol];
  if (!ok?.()) {
    if (protocol === 'lambda' || protocol === 'sqs' || protocol === 'firehose' || protocol === 'application') throw invalidParameter(`${protocol === 'sqs' ? 'SQS' : protocol} endpoint ARN`);
    throw invalidParameter(`${protocol === 'http' || protocol === 'https' ? 'Endpoint must match the specified protocol' : 'Endpoint'}`);
  }
}
