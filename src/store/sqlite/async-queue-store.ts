// AsyncQueueStore on SQLite: one row per queued event in lambda_async_events; a function's
// deletion takes its queued events with it (ON DELETE CASCADE). Running events stay in the table,
// and this process remembers which ones it runs (in a cluster the PostgreSQL store claims rows
// instead: src/store/postgres/async-queue-store.ts).
import type { AsyncEvent, AsyncQueueStore, NewAsyncEvent, Reschedule } from '../async-queue-store.js';
import { toEvent, type EventRow } from '../rows/async-queue.js';
import type { SqliteDb } from './database.js';

export class SqliteAsyncQueueStore implements AsyncQueueStore {
  readonly #db: SqliteDb;
  readonly #s;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#s = {
      insert: db.prepare(`INSERT INTO lambda_async_events (request_id, account_id, region, name, qualifier, payload, client_context, enqueued_ms, due_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      functionExists: db.prepare('SELECT 1 FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?').pluck(),
      due: db.prepare('SELECT * FROM lambda_async_events WHERE due_ms <= ? ORDER BY due_ms, seq LIMIT ?'),
      upcoming: db.prepare('SELECT seq, due_ms FROM lambda_async_events ORDER BY due_ms, seq LIMIT ?'),
      reschedule: db.prepare('UPDATE lambda_async_events SET due_ms = ?, attempts = ?, throttles = ?, last_response = ? WHERE seq = ?'),
      remove: db.prepare('DELETE FROM lambda_async_events WHERE seq = ?'),
      count: db.prepare('SELECT COUNT(*) FROM lambda_async_events').pluck(),
    };
  }

  async enqueue(event: NewAsyncEvent): Promise<boolean> {
    return this.#insert(event);
  }

  async due(nowMs: number, limit: number, skip: ReadonlySet<number>): Promise<AsyncEvent[]> {
    // Running events are still rows; ask for enough to fill `limit` after leaving them out.
    const rows = this.#s.due.all(nowMs, limit + skip.size) as EventRow[];
    return rows.filter((r) => !skip.has(r.seq)).slice(0, limit).map(toEvent);
  }

  async nextDueMs(skip: ReadonlySet<number>): Promise<number | undefined> {
    const rows = this.#s.upcoming.all(skip.size + 1) as { seq: number; due_ms: number }[];
    return rows.find((r) => !skip.has(r.seq))?.due_ms;
  }

  async reschedule(seq: number, next: Reschedule): Promise<void> {
    this.#s.reschedule.run(next.dueMs, next.attempts, next.throttles, next.lastResponse ? JSON.stringify(next.lastResponse) : null, seq);
  }

  async complete(seq: number, followUp?: NewAsyncEvent): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#s.remove.run(seq);
      return followUp ? this.#insert(followUp) : true;
    }).immediate();
  }

  async count(): Promise<number> {
    return this.#s.count.get() as number;
  }

  #insert(e: NewAsyncEvent): boolean {
    if (!this.#s.functionExists.get(e.accountId, e.region, e.name)) return false;
    this.#s.insert.run(e.requestId, e.accountId, e.region, e.name, e.qualifier ?? null, e.payload, e.clientContext ?? null, e.enqueuedMs, e.dueMs);
    return true;
  }
}
