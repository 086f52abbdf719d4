// The SqsStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool).
// Claims are compare-and-sets on a message's receive count, which every claim and every move to a
// dead-letter queue raises or resets: of two receivers (two nodes of a cluster) that read the same
// visible message, only the first UPDATE matches, so a message goes to one receiver at a time.
import type { MoveTaskStore, NewMessage, QueueCounts, QueueKey, SendOutcome, SqsStore, StoredMessage, StoredQueue } from '../sqs-store.js';
import type { SqlRunner } from './metric-filters.js';
import { SqlMoveTaskStore } from './sqs-move-tasks.js';

interface QueueRow { account_id: string; region: string; name: string; arn: string; attributes: string; tags: string; created_ms: number | string; modified_ms: number | string }
interface MessageRow {
  seq: number | string; queue_arn: string; message_id: string; body: string; attributes: string; system_attributes: string; md5_body: string;
  md5_attributes: string | null; md5_system_attributes: string | null; sender_id: string; sent_ms: number | string; visible_ms: number | string;
  receive_count: number | string; first_receive_ms: number | string | null; group_id: string | null; dedup_id: string | null; origin_arn: string | null;
}

const toQueue = (r: QueueRow): StoredQueue => ({
  accountId: r.account_id, region: r.region, name: r.name, arn: r.arn, attributes: JSON.parse(r.attributes) as Record<string, string>,
  tags: JSON.parse(r.tags) as Record<string, string>, createdMs: Number(r.created_ms), modifiedMs: Number(r.modified_ms),
});

const toMessage = (r: MessageRow): StoredMessage => ({
  seq: Number(r.seq), queueArn: r.queue_arn, messageId: r.message_id, body: r.body, attributes: r.attributes, systemAttributes: r.system_attributes,
  md5OfBody: r.md5_body, md5OfAttributes: r.md5_attributes ?? undefined, md5OfSystemAttributes: r.md5_system_attributes ?? undefined,
  senderId: r.sender_id, sentMs: Number(r.sent_ms), visibleMs: Number(r.visible_ms), receiveCount: Number(r.receive_count),
  firstReceiveMs: r.first_receive_ms === null ? undefined : Number(r.first_receive_ms), groupId: r.group_id ?? undefined, deduplicationId: r.dedup_id ?? undefined,
  ...(r.origin_arn ? { originArn: r.origin_arn } : {}),
});

const QUEUE_COLUMNS = 'account_id, region, name, arn, attributes, tags, created_ms, modified_ms';

export class SqlSqsStore implements SqsStore {
  readonly #db: SqlRunner;
  readonly moveTasks: MoveTaskStore;

  constructor(db: SqlRunner) {
    this.#db = db;
    this.moveTasks = new SqlMoveTaskStore(db);
  }

  async createQueue(q: StoredQueue): Promise<boolean> {
    return (await this.#db.run(`INSERT INTO sqs_queues (${QUEUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [q.accountId, q.region, q.name, q.arn, JSON.stringify(q.attributes), JSON.stringify(q.tags), q.createdMs, q.modifiedMs])) === 1;
  }

  async getQueue(key: QueueKey): Promise<StoredQueue | undefined> {
    const row = await this.#db.get<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?`, [key.accountId, key.region, key.name]);
    return row && toQueue(row);
  }

  async getQueueByArn(arn: string): Promise<StoredQueue | undefined> {
    const row = await this.#db.get<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM sqs_queues WHERE arn = ?`, [arn]);
    return row && toQueue(row);
  }

  async listQueues(accountId: string, region: string, prefix: string): Promise<StoredQueue[]> {
    const rows = await this.#db.all<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM sqs_queues WHERE account_id = ? AND region = ? ORDER BY name`, [accountId, region]);
    return rows.filter((r) => r.name.startsWith(prefix)).map(toQueue);
  }

  async updateQueue(q: StoredQueue): Promise<boolean> {
    return (await this.#db.run('UPDATE sqs_queues SET attributes = ?, tags = ?, modified_ms = ? WHERE arn = ?',
      [JSON.stringify(q.attributes), JSON.stringify(q.tags), q.modifiedMs, q.arn])) === 1;
  }

  async replaceAttributesIf(arn: string, expected: Record<string, string>, attributes: Record<string, string>, modifiedMs: number): Promise<boolean> {
    return (await this.#db.run('UPDATE sqs_queues SET attributes = ?, modified_ms = ? WHERE arn = ? AND attributes = ?',
      [JSON.stringify(attributes), modifiedMs, arn, JSON.stringify(expected)])) === 1;
  }

  async deleteQueue(key: QueueKey): Promise<boolean> {
    const queue = await this.getQueue(key);
    if (!queue) return false;
    await this.purgeMessages(queue.arn);
    return (await this.#db.run('DELETE FROM sqs_queues WHERE arn = ?', [queue.arn])) === 1;
  }

  async purgeMessages(queueArn: string): Promise<void> {
    await this.#db.run('DELETE FROM sqs_messages WHERE queue_arn = ?', [queueArn]);
    await this.#db.run('DELETE FROM sqs_dedup WHERE queue_arn = ?', [queueArn]);
  }

  async expireMessages(queueArn: string, sentBeforeMs: number): Promise<void> {
    await this.#db.run('DELETE FROM sqs_messages WHERE queue_arn = ? AND sent_ms <= ?', [queueArn, sentBeforeMs]);
  }

  async counts(queueArn: string, nowMs: number): Promise<QueueCounts> {
    const row = await this.#db.get<{ visible: number | string | null; in_flight: number | string | null; delayed: number | string | null }>(`SELECT
      SUM(CASE WHEN visible_ms <= ? THEN 1 ELSE 0 END) AS visible,
      SUM(CASE WHEN visible_ms > ? AND receive_count > 0 THEN 1 ELSE 0 END) AS in_flight,
      SUM(CASE WHEN visible_ms > ? AND receive_count = 0 THEN 1 ELSE 0 END) AS delayed
      FROM sqs_messages WHERE queue_arn = ?`, [nowMs, nowMs, nowMs, queueArn]);
    return { visible: Number(row?.visible ?? 0), inFlight: Number(row?.in_flight ?? 0), delayed: Number(row?.delayed ?? 0) };
  }

  async send(m: NewMessage, dedupSinceMs?: number): Promise<SendOutcome> {
    if (m.deduplicationId !== undefined && dedupSinceMs !== undefined) {
      // The window: an older record of the id is forgotten; a recent one answers for the send.
      await this.#db.run('DELETE FROM sqs_dedup WHERE queue_arn = ? AND dedup_id = ? AND stored_ms <= ?', [m.queueArn, m.deduplicationId, dedupSinceMs]);
      const reserved = await this.#db.run('INSERT INTO sqs_dedup (queue_arn, dedup_id, message_id, seq, stored_ms) VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING',
        [m.queueArn, m.deduplicationId, m.messageId, m.sentMs]);
      if (reserved === 0) {
        const first = await this.#db.get<{ message_id: string; seq: number | string }>('SELECT message_id, seq FROM sqs_dedup WHERE queue_arn = ? AND dedup_id = ?',
          [m.queueArn, m.deduplicationId]);
        if (first) return { seq: Number(first.seq), messageId: first.message_id, duplicate: true };
      }
    }
    const row = await this.#db.get<{ seq: number | string }>(`INSERT INTO sqs_messages (queue_arn, message_id, body, attributes, system_attributes, md5_body,
      md5_attributes, md5_system_attributes, sender_id, sent_ms, visible_ms, group_id, dedup_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    [m.queueArn, m.messageId, m.body, m.attributes, m.systemAttributes, m.md5OfBody, m.md5OfAttributes ?? null, m.md5OfSystemAttributes ?? null, m.senderId,
      m.sentMs, m.visibleMs, m.groupId ?? null, m.deduplicationId ?? null]);
    const seq = Number(row!.seq);
    if (m.deduplicationId !== undefined && dedupSinceMs !== undefined) {
      await this.#db.run('UPDATE sqs_dedup SET seq = ? WHERE queue_arn = ? AND dedup_id = ? AND message_id = ?', [seq, m.queueArn, m.deduplicationId, m.messageId]);
    }
    return { seq, messageId: m.messageId, duplicate: false };
  }

  async candidates(queueArn: string, nowMs: number, limit: number, fifo: boolean): Promise<StoredMessage[]> {
    const groupFree = fifo ? `AND NOT EXISTS (SELECT 1 FROM sqs_messages o WHERE o.queue_arn = m.queue_arn AND o.group_id = m.group_id
      AND o.seq < m.seq AND o.visible_ms > ?)` : '';
    const rows = await this.#db.all<MessageRow>(`SELECT * FROM sqs_messages m WHERE m.queue_arn = ? AND m.visible_ms <= ? ${groupFree} ORDER BY m.seq LIMIT ?`,
      fifo ? [queueArn, nowMs, nowMs, limit] : [queueArn, nowMs, limit]);
    return rows.map(toMessage);
  }

  async claim(seq: number, receiveCount: number, nowMs: number, visibleUntilMs: number): Promise<boolean> {
    return (await this.#db.run(`UPDATE sqs_messages SET visible_ms = ?, receive_count = receive_count + 1, first_receive_ms = COALESCE(first_receive_ms, ?)
      WHERE seq = ? AND receive_count = ? AND visible_ms <= ?`, [visibleUntilMs, nowMs, seq, receiveCount, nowMs])) === 1;
  }

  async moveToDeadLetter(seq: number, receiveCount: number, nowMs: number, deadLetterArn: string): Promise<boolean> {
    return (await this.#db.run(`UPDATE sqs_messages SET origin_arn = queue_arn, queue_arn = ?, receive_count = 0, first_receive_ms = NULL, visible_ms = ?
      WHERE seq = ? AND receive_count = ? AND visible_ms <= ?`, [deadLetterArn, nowMs, seq, receiveCount, nowMs])) === 1;
  }

  async moveMessage(seq: number, fromArn: string, toArn: string, nowMs: number): Promise<boolean> {
    return (await this.#db.run(`UPDATE sqs_messages SET queue_arn = ?, origin_arn = NULL, receive_count = 0, first_receive_ms = NULL, visible_ms = ?
      WHERE seq = ? AND queue_arn = ? AND visible_ms <= ?`, [toArn, nowMs, seq, fromArn, nowMs])) === 1;
  }

  async deleteMessage(queueArn: string, seq: number): Promise<boolean> {
    return (await this.#db.run('DELETE FROM sqs_messages WHERE queue_arn = ? AND seq = ?', [queueArn, seq])) === 1;
  }

  async changeVisibility(queueArn: string, seq: number, nowMs: number, visibleUntilMs: number): Promise<boolean> {
    return (await this.#db.run('UPDATE sqs_messages SET visible_ms = ? WHERE queue_arn = ? AND seq = ? AND visible_ms > ? AND receive_count > 0',
      [visibleUntilMs, queueArn, seq, nowMs])) === 1;
  }

  async deadLetterSources(accountId: string, region: string, deadLetterArn: string): Promise<StoredQueue[]> {
    const all = await this.listQueues(accountId, region, '');
    return all.filter((q) => q.attributes.RedrivePolicy !== undefined && q.attributes.RedrivePolicy.includes(deadLetterArn));
  }
}
