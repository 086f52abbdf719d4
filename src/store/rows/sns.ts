// The SnsStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool).
// Topics and subscriptions are JSON bodies read whole. Claiming a delivery is a compare-and-set on
// its row (free, ours, or a lease run out), so two nodes sharing PostgreSQL never both take it.
import type { Delivery, NewDelivery, SnsStore, StoredSubscription, StoredTopic } from '../sns-store.js';
import type { SqlRunner } from './metric-filters.js';

interface DeliveryRow { id: string; subscription_arn: string; due_ms: number | string; attempts: number | string; body: string }

const TAKEABLE = '(claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)';
const parse = <T>(rows: { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T);
const toDelivery = (r: DeliveryRow): Delivery => ({ id: r.id, subscriptionArn: r.subscription_arn, dueMs: Number(r.due_ms), attempts: Number(r.attempts), body: r.body });

export class SqlSnsStore implements SnsStore {
  constructor(private readonly db: SqlRunner) {}

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

  async claimDue(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<Delivery[]> {
    const candidates = await this.db.all<DeliveryRow>(`SELECT id, subscription_arn, due_ms, attempts, body FROM sns_deliveries
      WHERE due_ms <= ? AND ${TAKEABLE} ORDER BY due_ms, id LIMIT ?`, [nowMs, nodeId, nowMs, limit + skip.size]);
    const claimed: Delivery[] = [];
    for (const row of candidates) {
      if (skip.has(row.id) || claimed.length >= limit) continue;
      const won = await this.db.run(`UPDATE sns_deliveries SET claimed_by = ?, lease_until_ms = ? WHERE id = ? AND ${TAKEABLE}`,
        [nodeId, leaseUntilMs, row.id, nodeId, nowMs]);
      if (won === 1) claimed.push(toDelivery(row));
    }
    return claimed;
  }

  async nextDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined> {
    const rows = await this.db.all<{ id: string; next: number | string }>(`SELECT id,
      CASE WHEN claimed_by IS NULL OR claimed_by = ? THEN due_ms WHEN lease_until_ms + 1 > due_ms THEN lease_until_ms + 1 ELSE due_ms END AS next
      FROM sns_deliveries ORDER BY next LIMIT ?`, [nodeId, skip.size + 1]);
    const row = rows.find((r) => !skip.has(r.id));
    return row && Number(row.next);
  }

  async reschedule(id: string, dueMs: number, attempts: number): Promise<void> {
    await this.db.run('UPDATE sns_deliveries SET due_ms = ?, attempts = ?, claimed_by = NULL, lease_until_ms = NULL WHERE id = ?', [dueMs, attempts, id]);
  }

  async complete(id: string): Promise<void> {
    await this.db.run('DELETE FROM sns_deliveries WHERE id = ?', [id]);
  }
}
