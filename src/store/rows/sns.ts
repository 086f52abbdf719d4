// The SnsStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool).
// Topics and subscriptions are JSON bodies read whole; deliveries are due rows (due-rows.ts), one
// node claiming each.
import type { Delivery, NewDelivery, SnsStore, StoredSubscription, StoredTopic } from '../sns-store.js';
import type { SqlRunner } from './metric-filters.js';
import { SqlDueRows } from './due-rows.js';

interface DeliveryRow { id: string; subscription_arn: string; due_ms: number | string; attempts: number | string; body: string }

const parse = <T>(rows: { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T);
const toDelivery = (r: DeliveryRow): Delivery => ({ id: r.id, subscriptionArn: r.subscription_arn, dueMs: Number(r.due_ms), attempts: Number(r.attempts), body: r.body });

export class SqlSnsStore implements SnsStore {
  private readonly deliveries: SqlDueRows<DeliveryRow>;

  constructor(private readonly db: SqlRunner) {
    this.deliveries = new SqlDueRows(db, 'sns_deliveries', 'id, subscription_arn, due_ms, attempts, body');
  }

  async createTopic(topic: StoredTopic): Promise<{ created: boolean; topic: StoredTopic }> {
    const created = await this.db.run('INSERT INTO sns_topics (arn, account_id, region, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [topic.arn, topic.accountId, topic.region, JSON.stringify(topic)]);
    return created === 1 ? { created: true, topic } : { created: false, topic: (await this.getTopic(topic.arn)) ?? topic };
  }

  async getTopic(arn: string): Promise<StoredTopic | undefined> {
    const row = await this.db.get<{ body: string }>('SELECT body FROM sns_topics WHERE arn = ?', [arn]);
    return row && (JSON.parse(row.body) as StoredTopic);
  }

  async updateTopic(topic: StoredTopic): Promise<boolean> {
    return (await this.db.run('UPDATE sns_topics SET body = ? WHERE arn = ?', [JSON.stringify(topic), topic.arn])) === 1;
  }

  async deleteTopic(arn: string): Promise<boolean> {
    await this.db.run('DELETE FROM sns_subscriptions WHERE topic_arn = ?', [arn]);
    return (await this.db.run('DELETE FROM sns_topics WHERE arn = ?', [arn])) === 1;
  }

  async listTopics(accountId: string, region: string): Promise<StoredTopic[]> {
    return parse(await this.db.all('SELECT body FROM sns_topics WHERE account_id = ? AND region = ? ORDER BY arn', [accountId, region]));
  }

  async putSubscription(sub: StoredSubscription): Promise<void> {
    await this.db.run(`INSERT INTO sns_subscriptions (arn, topic_arn, account_id, region, body) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (arn) DO UPDATE SET body = excluded.body`, [sub.arn, sub.topicArn, sub.accountId, sub.region, JSON.stringify(sub)]);
  }

  async getSubscription(arn: string): Promise<StoredSubscription | undefined> {
    const row = await this.db.get<{ body: string }>('SELECT body FROM sns_subscriptions WHERE arn = ?', [arn]);
    return row && (JSON.parse(row.body) as StoredSubscription);
  }

  async deleteSubscription(arn: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM sns_subscriptions WHERE arn = ?', [arn])) === 1;
  }

  async listSubscriptions(accountId: string, region: string): Promise<StoredSubscription[]> {
    return parse(await this.db.all('SELECT body FROM sns_subscriptions WHERE account_id = ? AND region = ? ORDER BY arn', [accountId, region]));
  }

  async listSubscriptionsByTopic(topicArn: string): Promise<StoredSubscription[]> {
    return parse(await this.db.all('SELECT body FROM sns_subscriptions WHERE topic_arn = ? ORDER BY arn', [topicArn]));
  }

  async deduplicate(topicArn: string, deduplicationId: string, message: { messageId: string; sequenceNumber: string }, nowMs: number, windowMs: number) {
    await this.db.run('DELETE FROM sns_deduplication WHERE topic_arn = ? AND expires_ms <= ?', [topicArn, nowMs]);
    const recorded = await this.db.run(`INSERT INTO sns_deduplication (topic_arn, deduplication_id, message_id, sequence_number, expires_ms)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [topicArn, deduplicationId, message.messageId, message.sequenceNumber, nowMs + windowMs]);
    if (recorded === 1) return undefined;
    const row = await this.db.get<{ message_id: string; sequence_number: string }>(
      'SELECT message_id, sequence_number FROM sns_deduplication WHERE topic_arn = ? AND deduplication_id = ?', [topicArn, deduplicationId]);
    return row && { messageId: row.message_id, sequenceNumber: row.sequence_number };
  }

  async enqueue(deliveries: NewDelivery[]): Promise<void> {
    if (!deliveries.length) return;
    const values = deliveries.map(() => '(?, ?, ?, 0, ?)').join(', ');
    await this.db.run(`INSERT INTO sns_deliveries (id, subscription_arn, due_ms, attempts, body) VALUES ${values}`,
      deliveries.flatMap((d) => [d.id, d.subscriptionArn, d.dueMs, d.body]));
  }

  claimDue(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<Delivery[]> {
    return this.deliveries.claimDue(nodeId, nowMs, leaseUntilMs, limit, skip).then((rows) => rows.map(toDelivery));
  }

  nextDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined> {
    return this.deliveries.nextDueMs(nodeId, skip);
  }

  reschedule(id: string, dueMs: number, attempts: number): Promise<void> {
    return this.deliveries.reschedule(id, dueMs, attempts);
  }

  complete(id: string): Promise<void> {
    return this.deliveries.complete(id);
  }
}
