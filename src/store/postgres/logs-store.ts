// The LogsStore on PostgreSQL: the SQL of src/store/sqlite/logs-store.ts in PostgreSQL's dialect.
// Every multi-row change runs in one transaction; event reads walk the (stream|group, ts, id)
// indexes with keyset conditions, never OFFSET. Messages are stored as UTF-8 bytes.
import { FOREIGN_KEY_VIOLATION, pgCode, type PgDb, type Sql } from './database.js';
import type {
  CreateStreamResult, EventBatch, FilterEventsQuery, FilterEventsResult, ListGroupsQuery,
  ListStreamsQuery, LogGroupRecord, LogsScope, LogsStore, LogStreamRecord, NewLogGroup, PutEventsResult,
  StoredLogEvent, StreamEventsQuery,
} from '../logs-store.js';
import type { MetricFilterStore } from '../metric-filter-store.js';
import type { SubscriptionFilterStore } from '../subscription-filter-store.js';
import { SqlSubscriptionFilterStore } from '../rows/subscription-filters.js';
import { SqlMetricFilterStore } from '../rows/metric-filters.js';
import { MAX_TS, MissingTarget, scanEvents, toEvent, toGroup, toStream, type EventRow, type GroupRow, type StreamRow } from '../rows/logs.js';

const INSERT_GROUP = `INSERT INTO logs_groups (account_id, region, name, created_ms, kms_key_id, log_group_class, tags)
                      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const INSERT_STREAM = 'INSERT INTO logs_streams (group_id, name, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';
const GROUP_ID = 'SELECT id FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?';
const STREAM_ID = 'SELECT id FROM logs_streams WHERE group_id = ? AND name = ?';
const SUBTRACT_GROUP_BYTES = 'UPDATE logs_groups SET stored_bytes = GREATEST(0, stored_bytes - ?) WHERE id = ?';

export class PgLogsStore implements LogsStore {
  readonly #db: PgDb;
  readonly #filters: SqlMetricFilterStore;
  readonly #subscriptions: SqlSubscriptionFilterStore;

  // Metric filters: SQL both backends share (src/store/rows/metric-filters.ts).
  putMetricFilter: MetricFilterStore['putMetricFilter'] = (...a) => this.#filters.putMetricFilter(...a);
  listMetricFilters: MetricFilterStore['listMetricFilters'] = (...a) => this.#filters.listMetricFilters(...a);
  deleteMetricFilter: MetricFilterStore['deleteMetricFilter'] = (...a) => this.#filters.deleteMetricFilter(...a);
  allMetricFilters: MetricFilterStore['allMetricFilters'] = () => this.#filters.allMetricFilters();
  // Subscription filters: likewise (src/store/rows/subscription-filters.ts).
  putSubscriptionFilter: SubscriptionFilterStore['putSubscriptionFilter'] = (...a) => this.#subscriptions.putSubscriptionFilter(...a);
  listSubscriptionFilters: SubscriptionFilterStore['listSubscriptionFilters'] = (...a) => this.#subscriptions.listSubscriptionFilters(...a);
  deleteSubscriptionFilter: SubscriptionFilterStore['deleteSubscriptionFilter'] = (...a) => this.#subscriptions.deleteSubscriptionFilter(...a);
  allSubscriptionFilters: SubscriptionFilterStore['allSubscriptionFilters'] = () => this.#subscriptions.allSubscriptionFilters();

  constructor(db: PgDb) {
    this.#db = db;
    this.#filters = new SqlMetricFilterStore(db);
    this.#subscriptions = new SqlSubscriptionFilterStore(db);
  }

  async createGroup(scope: LogsScope, group: NewLogGroup): Promise<boolean> {
    return (await this.#db.run(INSERT_GROUP, [scope.accountId, scope.region, group.name, group.createdMs, group.kmsKeyId ?? null,
      group.logGroupClass, JSON.stringify(group.tags)])) === 1;
  }

  async getGroup(scope: LogsScope, name: string): Promise<LogGroupRecord | undefined> {
    const row = await this.#db.get<GroupRow>('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?', [scope.accountId, scope.region, name]);
    return row && toGroup(row);
  }

  async listGroups(scope: LogsScope, query: ListGroupsQuery): Promise<LogGroupRecord[]> {
    const where = ['account_id = ?', 'region = ?'];
    const args: unknown[] = [scope.accountId, scope.region];
    if (query.prefix) {
      where.push('starts_with(name, ?)');
      args.push(query.prefix);
    }
    if (query.contains) {
      where.push('strpos(name, ?) > 0');
      args.push(query.contains);
    }
    if (query.logGroupClass) {
      where.push('log_group_class = ?');
      args.push(query.logGroupClass);
    }
    if (query.afterName !== undefined) {
      where.push('name > ?');
      args.push(query.afterName);
    }
    args.push(query.limit);
    return (await this.#db.all<GroupRow>(`SELECT * FROM logs_groups WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`, args)).map(toGroup);
  }

  async deleteGroup(scope: LogsScope, name: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?', [scope.accountId, scope.region, name])) === 1;
  }

  async setRetention(scope: LogsScope, name: string, days: number | undefined): Promise<boolean> {
    return (await this.#db.run('UPDATE logs_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND name = ?',
      [days ?? null, scope.accountId, scope.region, name])) === 1;
  }

  async updateTags(scope: LogsScope, name: string, set: Record<string, string>, remove: string[]): Promise<boolean> {
    return this.#db.tx(async (sql) => {
      const row = await sql.get<GroupRow>('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ? FOR UPDATE', [scope.accountId, scope.region, name]);
      if (!row) return false;
      const tags = JSON.parse(row.tags) as Record<string, string>;
      Object.assign(tags, set);
      for (const key of remove) delete tags[key];
      await sql.run('UPDATE logs_groups SET tags = ? WHERE id = ?', [JSON.stringify(tags), row.id]);
      return true;
    });
  }

  async createStream(scope: LogsScope, groupName: string, name: string, createdMs: number): Promise<CreateStreamResult> {
    const groupId = await this.#groupId(this.#db, scope, groupName);
    if (groupId === undefined) return 'no-group';
    try {
      return (await this.#db.run(INSERT_STREAM, [groupId, name, createdMs])) === 1 ? 'created' : 'exists';
    } catch (e) {
      if (pgCode(e) === FOREIGN_KEY_VIOLATION) return 'no-group'; // the group went in between
      throw e;
    }
  }

  async getStream(scope: LogsScope, groupName: string, name: string): Promise<LogStreamRecord | undefined> {
    const groupId = await this.#groupId(this.#db, scope, groupName);
    if (groupId === undefined) return undefined;
    const row = await this.#db.get<StreamRow>('SELECT * FROM logs_streams WHERE group_id = ? AND name = ?', [groupId, name]);
    return row && toStream(row);
  }

  async listStreams(scope: LogsScope, groupName: string, query: ListStreamsQuery): Promise<LogStreamRecord[]> {
    const groupId = await this.#groupId(this.#db, scope, groupName);
    if (groupId === undefined) return [];
    const where = ['group_id = ?'];
    const args: unknown[] = [groupId];
    if (query.prefix) {
      where.push('starts_with(name, ?)');
      args.push(query.prefix);
    }
    const dir = query.descending ? 'DESC' : 'ASC';
    const cmp = query.descending ? '<' : '>';
    let order: string;
    if (query.orderBy === 'LastEventTime') {
      // Streams without events sort as time 0, the way AWS lists them first (ascending).
      if (query.after) {
        where.push(`(coalesce(last_event_ms, 0), name) ${cmp} (?::bigint, ?)`);
        args.push(Number(query.after.key), query.after.name);
      }
      order = `coalesce(last_event_ms, 0) ${dir}, name ${dir}`;
    } else {
      if (query.after) {
        where.push(`name ${cmp} ?`);
        args.push(query.after.name);
      }
      order = `name ${dir}`;
    }
    args.push(query.limit);
    return (await this.#db.all<StreamRow>(`SELECT * FROM logs_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, args)).map(toStream);
  }

  async deleteStream(scope: LogsScope, groupName: string, name: string): Promise<boolean> {
    return this.#db.tx(async (sql) => {
      const groupId = await this.#groupId(sql, scope, groupName);
      if (groupId === undefined) return false;
      const row = await sql.get<{ stored_bytes: number }>('DELETE FROM logs_streams WHERE group_id = ? AND name = ? RETURNING stored_bytes', [groupId, name]);
      if (!row) return false;
      await sql.run(SUBTRACT_GROUP_BYTES, [row.stored_bytes, groupId]);
      return true;
    });
  }

  async putEvents(scope: LogsScope, batches: EventBatch[], options: { ingestionMs: number; createMissing: boolean }): Promise<PutEventsResult> {
    try {
      await this.#db.tx(async (sql) => {
        for (const batch of batches) {
          const result = await this.#writeBatch(sql, scope, batch, options.ingestionMs, options.createMissing);
          if (result !== 'ok') throw new MissingTarget(result); // rolls back: nothing of this call is stored
        }
      });
      return 'ok';
    } catch (e) {
      if (e instanceof MissingTarget) return e.result;
      throw e;
    }
  }

  async appendMany(items: { scope: LogsScope; batch: EventBatch }[], ingestionMs: number): Promise<void> {
    // Every node appends to the same groups and streams: taking their rows in one global order
    // keeps two nodes' transactions from deadlocking (arrival order within a stream is kept).
    const ordered = [...items].sort((a, b) => compareTargets(a, b));
    await this.#db.tx(async (sql) => {
      for (const { scope, batch } of ordered) await this.#writeBatch(sql, scope, batch, ingestionMs, true);
    });
  }

  async #writeBatch(sql: Sql, scope: LogsScope, batch: EventBatch, ingestionMs: number, createMissing: boolean): Promise<PutEventsResult> {
    let groupId = await this.#groupId(sql, scope, batch.groupName);
    if (groupId === undefined) {
      if (!createMissing) return 'no-group';
      await sql.run(INSERT_GROUP, [scope.accountId, scope.region, batch.groupName, ingestionMs, null, 'STANDARD', '{}']);
      groupId = (await this.#groupId(sql, scope, batch.groupName))!;
    }
    let streamId = (await sql.get<{ id: number }>(STREAM_ID, [groupId, batch.streamName]))?.id;
    if (streamId === undefined) {
      if (!createMissing) return 'no-stream';
      await sql.run(INSERT_STREAM, [groupId, batch.streamName, ingestionMs]);
      streamId = (await sql.get<{ id: number }>(STREAM_ID, [groupId, batch.streamName]))!.id;
    }
    if (!batch.events.length) return 'ok';
    let bytes = 0;
    let first = MAX_TS;
    let last = 0;
    const messages: Buffer[] = [];
    for (const e of batch.events) {
      const message = Buffer.from(e.message, 'utf8');
      messages.push(message);
      bytes += message.length;
      if (e.timestamp < first) first = e.timestamp;
      if (e.timestamp > last) last = e.timestamp;
    }
    // One statement for the batch, in arrival order (ids grow with the array's order).
    await sql.run(`INSERT INTO logs_events (group_id, stream_id, ts, ingestion_ms, message)
      SELECT ?, ?, e.ts, ?, e.message FROM unnest(?::bigint[], ?::bytea[]) WITH ORDINALITY AS e(ts, message, n) ORDER BY e.n`,
    [groupId, streamId, ingestionMs, batch.events.map((e) => e.timestamp), messages]);
    // The group's row first, then the stream's: the same order for every writer.
    await sql.run('UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE id = ?', [bytes, groupId]);
    await sql.run(`UPDATE logs_streams SET
                     first_event_ms = LEAST(coalesce(first_event_ms, ?), ?),
                     last_event_ms = GREATEST(coalesce(last_event_ms, ?), ?),
                     last_ingestion_ms = ?,
                     stored_bytes = stored_bytes + ?
                   WHERE id = ?`, [first, first, last, last, ingestionMs, bytes, streamId]);
    return 'ok';
  }

  async readStream(scope: LogsScope, groupName: string, streamName: string, query: StreamEventsQuery): Promise<StoredLogEvent[]> {
    const groupId = await this.#groupId(this.#db, scope, groupName);
    if (groupId === undefined) return [];
    const streamId = (await this.#db.get<{ id: number }>(STREAM_ID, [groupId, streamName]))?.id;
    if (streamId === undefined) return [];
    const start = query.startTime ?? 0;
    const end = query.endTime ?? MAX_TS;
    const forward = query.direction === 'forward';
    const from = query.from ?? (forward ? { timestamp: -1, id: 0 } : { timestamp: MAX_TS, id: 0 });
    const rows = await this.#db.all<EventRow>(`SELECT e.id, e.ts, e.ingestion_ms, e.message, ?::text AS stream FROM logs_events e
      WHERE e.stream_id = ? AND e.ts >= ? AND e.ts < ? AND (e.ts, e.id) ${forward ? '>' : '<'} (?::bigint, ?::bigint)
      ORDER BY e.ts ${forward ? '' : 'DESC'}, e.id ${forward ? '' : 'DESC'} LIMIT ?`,
    [streamName, streamId, start, end, from.timestamp, from.id, query.limit]);
    return (forward ? rows : rows.reverse()).map(toEvent);
  }

  async filterEvents(scope: LogsScope, groupName: string, query: FilterEventsQuery): Promise<FilterEventsResult> {
    const groupId = await this.#groupId(this.#db, scope, groupName);
    if (groupId === undefined) return { events: [] };
    const where = ['e.group_id = ?', 'e.ts >= ?', 'e.ts <= ?', '(e.ts, e.id) > (?::bigint, ?::bigint)'];
    const fixed: unknown[] = [groupId, query.startTime ?? 0, query.endTime ?? MAX_TS];
    const streamArgs: unknown[] = [];
    if (query.streamNames?.length) {
      where.push('s.name = ANY (?::text[])');
      streamArgs.push(query.streamNames);
    } else if (query.streamPrefix) {
      where.push('starts_with(s.name, ?)');
      streamArgs.push(query.streamPrefix);
    }
    const text = `SELECT e.id, e.ts, e.ingestion_ms, e.message, s.name AS stream
      FROM logs_events e JOIN logs_streams s ON s.id = e.stream_id
      WHERE ${where.join(' AND ')} ORDER BY e.ts, e.id LIMIT ?`;
    return scanEvents(query, async (after, chunk) =>
      (await this.#db.all<EventRow>(text, [...fixed, after.timestamp, after.id, ...streamArgs, chunk])).map(toEvent));
  }

  async purgeExpired(nowMs: number): Promise<number> {
    return this.#db.tx(async (sql) => {
      let removed = 0;
      for (const g of await sql.all<{ id: number; retention_days: number }>('SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL ORDER BY id')) {
        const cutoff = nowMs - g.retention_days * 86_400_000;
        const { bytes, n } = (await sql.get<{ bytes: number; n: number }>(`WITH gone AS (DELETE FROM logs_events WHERE group_id = ? AND ts < ? RETURNING octet_length(message) AS size)
          SELECT coalesce(sum(size), 0)::bigint AS bytes, count(*)::int AS n FROM gone`, [g.id, cutoff]))!;
        if (!n) continue;
        await sql.run(SUBTRACT_GROUP_BYTES, [bytes, g.id]);
        await sql.run('UPDATE logs_streams SET first_event_ms = (SELECT min(ts) FROM logs_events WHERE stream_id = logs_streams.id) WHERE group_id = ?', [g.id]);
        removed += n;
      }
      return removed;
    });
  }

  async #groupId(sql: Sql, scope: LogsScope, name: string): Promise<number | undefined> {
    return (await sql.get<{ id: number }>(GROUP_ID, [scope.accountId, scope.region, name]))?.id;
  }
}

type Target = { scope: LogsScope; batch: EventBatch };
const targetKey = (t: Target) => [t.scope.accountId, t.scope.region, t.batch.groupName, t.batch.streamName];

/** Orders batches by account, region, group and stream (a stable sort keeps each stream's batches in order). */
function compareTargets(a: Target, b: Target): number {
  const ka = targetKey(a);
  const kb = targetKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}
