// Persistence contract for SNS: topics, subscriptions, and the durable queue of deliveries. A
// published message becomes one delivery row per matching subscription, written in one statement
// before Publish answers; workers claim due rows (a lease in the row, so in a cluster one node
// delivers each), then retry (reschedule) or finish (complete) them. Rows still claimed by a node
// that died are taken again when their lease runs out: at-least-once, as on AWS.

/** A topic: its attributes and tags, as SNS names them. */
export interface StoredTopic {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  attributes: Record<string, string>;
  tags: { Key: string; Value: string }[];
  createdMs: number;
}

export interface StoredSubscription {
  arn: string;
  topicArn: string;
  accountId: string;
  region: string;
  protocol: string;
  endpoint: string;
  /** SubscriptionArn answers "pending confirmation" until confirmed. */
  confirmed: boolean;
  /** The token a SubscriptionConfirmation carries (http, https). */
  token?: string;
  attributes: Record<string, string>;
}

export interface NewDelivery {
  id: string;
  subscriptionArn: string;
  dueMs: number;
  /** What to deliver, as the SNS module encodes it (JSON text). */
  body: string;
}

export interface Delivery extends NewDelivery {
  /** Attempts made so far. */
  attempts: number;
}

export interface SnsStore {
  /** Inserts the topic unless one of its ARN exists; answers the stored one and whether it is new. */
  createTopic(topic: StoredTopic): Promise<{ created: boolean; topic: StoredTopic }>;
  getTopic(arn: string): Promise<StoredTopic | undefined>;
  /** Rewrites attributes and tags; false when the topic is gone. */
  updateTopic(topic: StoredTopic): Promise<boolean>;
  /** Deletes the topic and its subscriptions; false when it did not exist. */
  deleteTopic(arn: string): Promise<boolean>;
  /** A region's topics, by ARN. */
  listTopics(accountId: string, region: string): Promise<StoredTopic[]>;

  putSubscription(sub: StoredSubscription): Promise<void>;
  getSubscription(arn: string): Promise<StoredSubscription | undefined>;
  deleteSubscription(arn: string): Promise<boolean>;
  /** A region's subscriptions, by ARN. */
  listSubscriptions(accountId: string, region: string): Promise<StoredSubscription[]>;
  /** A topic's subscriptions, by ARN. */
  listSubscriptionsByTopic(topicArn: string): Promise<StoredSubscription[]>;

  /**
   * A FIFO topic's deduplication: records the message under its id for `windowMs` and answers
   * undefined, or answers the message already recorded under that id within its window.
   */
  deduplicate(topicArn: string, deduplicationId: string, message: { messageId: string; sequenceNumber: string }, nowMs: number, windowMs: number):
    Promise<{ messageId: string; sequenceNumber: string } | undefined>;

  /** Queues deliveries all together (one statement: all or none). */
  enqueue(deliveries: NewDelivery[]): Promise<void>;
  /** Claims up to `limit` due deliveries for `nodeId` until `leaseUntilMs`, leaving out `skip` (running here). */
  claimDue(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<Delivery[]>;
  /** When the earliest delivery not in `skip` is due (or its claim runs out); undefined when none is queued. */
  nextDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined>;
  /** Releases the claim and sets the next attempt. */
  reschedule(id: string, dueMs: number, attempts: number): Promise<void>;
  complete(id: string): Promise<void>;
}
