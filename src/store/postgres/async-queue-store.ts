// AsyncQueueStore on PostgreSQL, shared by every node of a cluster. Taking due events is a claim:
// one UPDATE over rows picked with SELECT … FOR UPDATE SKIP LOCKED writes this node's id and a
// lease, so two nodes never take the same event. The node renews the leases of the events it runs;
// when a node dies its leases run out and another node takes the events (at-least-once, as on
// AWS). A node keeps its id across restarts (it lives in its data dir), so after a restart it takes
// back its own events at once.
import type { AsyncEvent, AsyncQueueStore, NewAsyncEvent, Reschedule } from '../async-queue-store.js';
import { toEvent, type EventRow } from '../rows/async-queue.js';
import type { PgDb, Sql } from './database.js';

export interface PgAsyncQueueOptions {
  /** This node's stable id. */
  nodeId: string;
  /** How long a claim holds without renewal. */
  leaseMs?: number;
  now?: () => number;
}

const DEFAULT_LEASE_MS = 60_000;

/** Free, ours, or a lease that ran out. */
const TAKEABLE = '(claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)';

export class PgAsyncQueueStore implements AsyncQueueStore {
  readonly #db: PgDb;
  readonly #node: string;
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** Events this node has claimed and not yet rescheduled or completed. */
  readonly #claimed = new Set<number>();
  readonly #renewal: NodeJS.Timeout;

  constructor(db: PgDb, options: PgAsyncQueueOptions) {
    this.#db = db;
    this.#node = options.nodeId;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#now = options.now ?? Date.now;
    this.#renewal = setInterval(() => void this.#renew(), Math.max(1000, this.#leaseMs / 3));
    this.#renewal.unref();
  }

  async enqueue(event: NewAsyncEvent): Promise<boolean> {
    return this.#insert(this.#db, event);
  }

  async due(nowMs: number, limit: number, skip: ReadonlySet<number>): Promise<AsyncEvent[]> {
    const rows = await this.#db.all<EventRow>(`
      UPDATE lambda_async_events SET claimed_by = ?, lease_until_ms = ?
      WHERE seq IN (
        SELECT seq FROM lambda_async_events
        WHERE due_ms <= ? AND ${TAKEABLE} AND NOT (seq = ANY (?::bigint[]))
        ORDER BY due_ms, seq LIMIT ?
        FOR UPDATE SKIP LOCKED)
      RETURNING *`, [this.#node, nowMs + this.#leaseMs, nowMs, this.#node, nowMs, [...skip], limit]);
    rows.sort((a, b) => a.due_ms - b.due_ms || a.seq - b.seq);
    for (const r of rows) this.#claimed.add(r.seq);
    return rows.map(toEvent);
  }

  async nextDueMs(skip: ReadonlySet<number>): Promise<number | undefined> {
    // An event another node holds is due, for us, when its lease runs out.
    const row = await this.#db.get<{ next: number | null }>(`
      SELECT MIN(CASE WHEN claimed_by IS NULL OR claimed_by = ? THEN due_ms ELSE GREATEST(due_ms, lease_until_ms + 1) END) AS next
      FROM lambda_async_events WHERE NOT (seq = ANY (?::bigint[]))`, [this.#node, [...skip]]);
    return row?.next ?? undefined;
  }

  async reschedule(seq: number, next: Reschedule): Promise<void> {
    await this.#db.run('UPDATE lambda_async_events SET due_ms = ?, attempts = ?, throttles = ?, last_response = ?, claimed_by = NULL, lease_until_ms = NULL WHERE seq = ?',
      [next.dueMs, next.attempts, next.throttles, next.lastResponse ? JSON.stringify(next.lastResponse) : null, seq]);
    this.#claimed.delete(seq);
  }

  async complete(seq: number, followUp?: NewAsyncEvent): Promise<boolean> {
    const result = await this.#db.tx(async (sql) => {
      await sql.run('DELETE FROM lambda_async_events WHERE seq = ?', [seq]);
      return followUp ? this.#insert(sql, followUp) : true;
    });
    this.#claimed.delete(seq);
    return result;
  }

  async count(): Promise<number> {
    return (await this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM lambda_async_events'))!.n;
  }

  /** Stops renewing leases. */
  close(): void {
    clearInterval(this.#renewal);
  }

  /**
   * Gives up this node's claims, so the other nodes take the events at once rather than when the
   * leases run out (at shutdown, once nothing of this node runs any more).
   */
  async release(): Promise<void> {
    await this.#db.run('UPDATE lambda_async_events SET claimed_by = NULL, lease_until_ms = NULL WHERE claimed_by = ?', [this.#node]);
    this.#claimed.clear();
  }

  async #renew(): Promise<void> {
    if (!this.#claimed.size) return;
    await this.#db.run('UPDATE lambda_async_events SET lease_until_ms = ? WHERE claimed_by = ? AND seq = ANY (?::bigint[])',
      [this.#now() + this.#leaseMs, this.#node, [...this.#claimed]]).catch(() => undefined);
  }

  async #insert(sql: Sql, e: NewAsyncEvent): Promise<boolean> {
    // INSERT … SELECT: no row when the function is gone. The row lock (the one the foreign key check
    // takes anyway) waits for a DeleteFunction under way on another node and then finds no row,
    // where without it the foreign key check would fail the insert.
    const inserted = await sql.run(`INSERT INTO lambda_async_events (request_id, account_id, region, name, qualifier, payload, client_context, enqueued_ms, due_ms)
      SELECT ?, account_id, region, name, ?, ?, ?, ?, ? FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ? FOR KEY SHARE`,
    [e.requestId, e.qualifier ?? null, e.payload, e.clientContext ?? null, e.enqueuedMs, e.dueMs, e.accountId, e.region, e.name]);
    return inserted > 0;
  }
}
