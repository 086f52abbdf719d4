// The LogsStore on the embedded SQLite database. Every multi-row change runs in one transaction;
// event reads walk the (stream|group, ts, id) indexes with keyset conditions, never OFFSET.
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './database.js';
import type {
  CreateStreamResult, EventBatch, FilterEventsQuery, FilterEventsResult, ListGroupsQuery,
  ListStreamsQuery, LogGroupRecord, LogsScope, LogsStore, LogStreamRecord, NewLogGroup, PutEventsResult,
  StoredLogEvent, StreamEventsQuery,
} from '../logs-store.js';
import type { MetricFilterStore } from '../metric-filter-store.js';
import type { SubscriptionFilterStore } from '../subscription-filter-store.js';
import { SqlSubscriptionFilterStore } from '../rows/subscription-filters.js';
import { SqlMetricFilterStore, type SqlRunner } from '../rows/metric-filters.js';
import { MAX_TS, MissingTarget, scanEvents, toEvent, toGroup, toStream, type EventRow, type GroupRow, type StreamRow } from '../rows/logs.js';

/**
 * Log events go in this many rows per INSERT (the rest of a batch one by one): at the rate quick
 * invocations write START/END/REPORT lines, the per-statement cost of single-row inserts was a
 * quarter of the log writer's time.
 */
const EVENTS_PER_INSERT = 16;

export class SqliteLogsStore implements LogsStore {
  readonly #db: SqliteDb;
  readonly #s: Record<string, Statement>;
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

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#filters = new SqlMetricFilterStore(sqliteRunner(db));
    this.#subscriptions = new SqlSubscriptionFilterStore(sqliteRunner(db));
    const p = (sql: string) => db.prepare(sql);
    const scalar = (sql: string) => db.prepare(sql).pluck();
    this.#s = {
      insertGroup: p(`INSERT INTO logs_groups (account_id, region, name, created_ms, kms_key_id, log_group_class, tags)
                      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      groupByName: p('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?'),
      groupId: scalar('SELECT id FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?'),
      deleteGroup: p('DELETE FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?'),
      setRetention: p('UPDATE logs_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND name = ?'),
      setTags: p('UPDATE logs_groups SET tags = ? WHERE id = ?'),
      insertStream: p('INSERT INTO logs_streams (group_id, name, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      streamByName: p('SELECT * FROM logs_streams WHERE group_id = ? AND name = ?'),
      streamId: scalar('SELECT id FROM logs_streams WHERE group_id = ? AND name = ?'),
      deleteStream: p('DELETE FROM logs_streams WHERE group_id = ? AND name = ?'),
      streamBytes: scalar('SELECT stored_bytes FROM logs_streams WHERE group_id = ? AND name = ?'),
      subtractGroupBytes: p('UPDATE logs_groups SET stored_bytes = max(0, stored_bytes - ?) WHERE id = ?'),
      insertEvent: p('INSERT INTO logs_events (group_id, stream_id, ts, ingestion_ms, message) VALUES (?, ?, ?, ?, ?)'),
      insertEvents: p(`INSERT INTO logs_events (group_id, stream_id, ts, ingestion_ms, message) VALUES ${Array(EVENTS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`),
      updateStreamStats: p(`UPDATE logs_streams SET
                              first_event_ms = min(coalesce(first_event_ms, ?), ?),
                              last_event_ms = max(coalesce(last_event_ms, ?), ?),
                              last_ingestion_ms = ?,
                              stored_bytes = stored_bytes + ?
                            WHERE id = ?`),
      addGroupBytes: p('UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE id = ?'),
      streamForward: p(`SELECT e.id, e.ts, e.ingestion_ms, e.message, ? AS stream FROM logs_events e
                        WHERE e.stream_id = ? AND e.ts >= ? AND e.ts < ? AND (e.ts, e.id) > (?, ?)
                        ORDER BY e.ts, e.id LIMIT ?`),
      streamBackward: p(`SELECT e.id, e.ts, e.ingestion_ms, e.message, ? AS stream FROM logs_events e
                         WHERE e.stream_id = ? AND e.ts >= ? AND e.ts < ? AND (e.ts, e.id) < (?, ?)
                         ORDER BY e.ts DESC, e.id DESC LIMIT ?`),
      retainedGroups: p('SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL'),
      expiredBytes: p('SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) AS bytes, count(*) AS n FROM logs_events WHERE group_id = ? AND ts < ?'),
      deleteExpired: p('DELETE FROM logs_events WHERE group_id = ? AND ts < ?'),
      refreshFirstEvent: p(`UPDATE logs_streams SET first_event_ms = (SELECT min(ts) FROM logs_events WHERE stream_id = logs_streams.id)
                            WHERE group_id = ?`),
    };
  }

  async createGroup(scope: LogsScope, group: NewLogGroup): Promise<boolean> {
    const r = this.#s.insertGroup.run(scope.accountId, scope.region, group.name, group.createdMs, group.kmsKeyId ?? null,
      group.logGroupClass, JSON.stringify(group.tags));
    return r.changes === 1;
  }

  async getGroup(scope: LogsScope, name: string): Promise<LogGroupRecord | undefined> {
    const row = this.#s.groupByName.get(scope.accountId, scope.region, name) as GroupRow | undefined;
    return row && toGroup(row);
  }

  async listGroups(scope: LogsScope, query: ListGroupsQuery): Promise<LogGroupRecord[]> {
    const where = ['account_id = ?', 'region = ?'];
    const args: unknown[] = [scope.accountId, scope.region];
    if (query.prefix) {
      where.push('substr(name, 1, ?) = ?');
      args.push(query.prefix.length, query.prefix);
    }
    if (query.contains) {
      where.push('instr(name, ?) > 0');
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
    const rows = this.#db.prepare(`SELECT * FROM logs_groups WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`).all(...args) as GroupRow[];
    return rows.map(toGroup);
  }

  async deleteGroup(scope: LogsScope, name: string): Promise<boolean> {
    return this.#s.deleteGroup.run(scope.accountId, scope.region, name).changes === 1;
  }

  async setRetention(scope: LogsScope, name: string, days: number | undefined): Promise<boolean> {
    return this.#s.setRetention.run(days ?? null, scope.accountId, scope.region, name).changes === 1;
  }

  async updateTags(scope: LogsScope, name: string, set: Record<string, string>, remove: string[]): Promise<boolean> {
    return this.#db.transaction(() => {
      const row = this.#s.groupByName.get(scope.accountId, scope.region, name) as GroupRow | undefined;
      if (!row) return false;
      const tags = JSON.parse(row.tags) as Record<string, string>;
      Object.assign(tags, set);
      for (const key of remove) delete tags[key];
      this.#s.setTags.run(JSON.stringify(tags), row.id);
      return true;
    }).immediate();
  }

  async createStream(scope: LogsScope, groupName: string, name: string, createdMs: number): Promise<CreateStreamResult> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return 'no-group';
    return this.#s.insertStream.run(groupId, name, createdMs).changes === 1 ? 'created' : 'exists';
  }

  async getStream(scope: LogsScope, groupName: string, name: string): Promise<LogStreamRecord | undefined> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return undefined;
    const row = this.#s.streamByName.get(groupId, name) as StreamRow | undefined;
    return row && toStream(row);
  }

  async listStreams(scope: LogsScope, groupName: string, query: ListStreamsQuery): Promise<LogStreamRecord[]> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return [];
    const where = ['group_id = ?'];
    const args: unknown[] = [groupId];
    if (query.prefix) {
      where.push('substr(name, 1, ?) = ?');
      args.push(query.prefix.length, query.prefix);
    }
    const dir = query.descending ? 'DESC' : 'ASC';
    const cmp = query.descending ? '<' : '>';
    let order: string;
    if (query.orderBy === 'LastEventTime') {
      // Streams without events sort as time 0, the way AWS lists them first (ascending).
      if (query.after) {
        where.push(`(coalesce(last_event_ms, 0), name) ${cmp} (?, ?)`);
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
    const rows = this.#db.prepare(`SELECT * FROM logs_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`).all(...args) as StreamRow[];
    return rows.map(toStream);
  }

  async deleteStream(scope: LogsScope, groupName: string, name: string): Promise<boolean> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return false;
    return this.#db.transaction(() => {
      const bytes = this.#s.streamBytes.get(groupId, name) as number | undefined;
      if (bytes === undefined) return false;
      this.#s.deleteStream.run(groupId, name);
      this.#s.subtractGroupBytes.run(bytes, groupId);
      return true;
    }).immediate();
  }

  async putEvents(scope: LogsScope, batches: EventBatch[], options: { ingestionMs: number; createMissing: boolean }): Promise<PutEventsResult> {
    try {
      this.#db.transaction(() => {
        for (const batch of batches) {
          const result = this.#writeBatch(scope, batch, options.ingestionMs, options.createMissing);
          if (result !== 'ok') throw new MissingTarget(result); // rolls back: nothing of this call is stored
        }
      }).immediate();
      return 'ok';
    } catch (e) {
      if (e instanceof MissingTarget) return e.result;
      throw e;
    }
  }

  async appendMany(items: { scope: LogsScope; batch: EventBatch }[], ingestionMs: number): Promise<void> {
    this.#db.transaction(() => {
      for (const { scope, batch } of items) this.#writeBatch(scope, batch, ingestionMs, true);
    }).immediate();
  }

  #writeBatch(scope: LogsScope, batch: EventBatch, ingestionMs: number, createMissing: boolean): PutEventsResult {
    let groupId = this.#groupId(scope, batch.groupName);
    if (groupId === undefined) {
      if (!createMissing) return 'no-group';
      this.#s.insertGroup.run(scope.accountId, scope.region, batch.groupName, ingestionMs, null, 'STANDARD', '{}');
      groupId = this.#groupId(scope, batch.groupName)!;
    }
    let streamId = this.#s.streamId.get(groupId, batch.streamName) as number | undefined;
    if (streamId === undefined) {
      if (!createMissing) return 'no-stream';
      streamId = Number(this.#s.insertStream.run(groupId, batch.streamName, ingestionMs).lastInsertRowid);
    }
    if (!batch.events.length) return 'ok';
    let bytes = 0;
    let first = MAX_TS;
    let last = 0;
    const events = batch.events;
    const whole = events.length - (events.length % EVENTS_PER_INSERT);
    const args: unknown[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      bytes += Buffer.byteLength(e.message);
      if (e.timestamp < first) first = e.timestamp;
      if (e.timestamp > last) last = e.timestamp;
      if (i >= whole) {
        this.#s.insertEvent.run(groupId, streamId, e.timestamp, ingestionMs, e.message);
        continue;
      }
      args.push(groupId, streamId, e.timestamp, ingestionMs, e.message);
      if (args.length === EVENTS_PER_INSERT * 5) {
        this.#s.insertEvents.run(args);
        args.length = 0;
      }
    }
    this.#s.updateStreamStats.run(first, first, last, last, ingestionMs, bytes, streamId);
    this.#s.addGroupBytes.run(bytes, groupId);
    return 'ok';
  }

  async readStream(scope: LogsScope, groupName: string, streamName: string, query: StreamEventsQuery): Promise<StoredLogEvent[]> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return [];
    const streamId = this.#s.streamId.get(groupId, streamName) as number | undefined;
    if (streamId === undefined) return [];
    const start = query.startTime ?? 0;
    const end = query.endTime ?? MAX_TS;
    if (query.direction === 'forward') {
      const from = query.from ?? { timestamp: -1, id: 0 };
      const rows = this.#s.streamForward.all(streamName, streamId, start, end, from.timestamp, from.id, query.limit) as EventRow[];
      return rows.map(toEvent);
    }
    const from = query.from ?? { timestamp: MAX_TS, id: 0 };
    const rows = this.#s.streamBackward.all(streamName, streamId, start, end, from.timestamp, from.id, query.limit) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  async filterEvents(scope: LogsScope, groupName: string, query: FilterEventsQuery): Promise<FilterEventsResult> {
    const groupId = this.#groupId(scope, groupName);
    if (groupId === undefined) return { events: [] };
    const where = ['e.group_id = ?', 'e.ts >= ?', 'e.ts <= ?', '(e.ts, e.id) > (?, ?)'];
    const fixed: unknown[] = [groupId, query.startTime ?? 0, query.endTime ?? MAX_TS];
    const streamArgs: unknown[] = [];
    if (query.streamNames?.length) {
      where.push(`s.name IN (${query.streamNames.map(() => '?').join(', ')})`);
      streamArgs.push(...query.streamNames);
    } else if (query.streamPrefix) {
      where.push('substr(s.name, 1, ?) = ?');
      streamArgs.push(query.streamPrefix.length, query.streamPrefix);
    }
    const stmt = this.#db.prepare(`SELECT e.id, e.ts, e.ingestion_ms, e.message, s.name AS stream
      FROM logs_events e JOIN logs_streams s ON s.id = e.stream_id
      WHERE ${where.join(' AND ')} ORDER BY e.ts, e.id LIMIT ?`);
    return scanEvents(query, async (after, chunk) =>
      (stmt.all(...fixed, after.timestamp, after.id, ...streamArgs, chunk) as EventRow[]).map(toEvent));
  }

  async purgeExpired(nowMs: number): Promise<number> {
    return this.#db.transaction(() => {
      let removed = 0;
      for (const g of this.#s.retainedGroups.all() as { id: number; retention_days: number }[]) {
        const cutoff = nowMs - g.retention_days * 86_400_000;
        const { bytes, n } = this.#s.expiredBytes.get(g.id, cutoff) as { bytes: number; n: number };
        if (!n) continue;
        this.#s.deleteExpired.run(g.id, cutoff);
        this.#s.subtractGroupBytes.run(bytes, g.id);
        this.#s.refreshFirstEvent.run(g.id);
        removed += n;
      }
      return removed;
    }).immediate();
  }

  #groupId(scope: LogsScope, name: string): number | undefined {
    return this.#s.groupId.get(scope.accountId, scope.region, name) as number | undefined;
  }
}

/** The async runner the shared SQL (filters, Insights queries) expects, over this connection (statements prepared once). */
export function sqliteRunner(db: SqliteDb): SqlRunner {
  const prepared = new Map<string, Statement>();
  const st = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    all: async <R>(sql: string, params: unknown[] = []) => st(sql).all(...params) as R[],
    get: async <R>(sql: string, params: unknown[] = []) => st(sql).get(...params) as R | undefined,
    run: async (sql: string, params: unknown[] = []) => st(sql).run(...params).changes,
  };
}
