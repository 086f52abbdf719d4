// A table of work items that come due (SNS deliveries, EventBridge target retries) over SQL both
// backends speak: rows with id, due_ms, attempts, claimed_by and lease_until_ms besides their own
// columns. Claiming is a compare-and-set on the row (free, ours, or a lease run out), so two nodes
// sharing PostgreSQL never both take one; a node that restarts takes its own claims back at once.
import type { SqlRunner } from './metric-filters.js';

export interface DueRow { id: string; due_ms: number | string; attempts: number | string }

const TAKEABLE = '(claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)';

export class SqlDueRows<R extends DueRow> {
  /** `columns`: what a claim reads (id, due_ms and attempts among them). */
  constructor(private readonly db: SqlRunner, private readonly table: string, private readonly columns: string) {}

  async claimDue(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<R[]> {
    const candidates = await this.db.all<R>(`SELECT ${this.columns} FROM ${this.table}
      WHERE due_ms <= ? AND ${TAKEABLE} ORDER BY due_ms, id LIMIT ?`, [nowMs, nodeId, nowMs, limit + skip.size]);
    const claimed: R[] = [];
    for (const row of candidates) {
      if (skip.has(row.id) || claimed.length >= limit) continue;
      const won = await this.db.run(`UPDATE ${this.table} SET claimed_by = ?, lease_until_ms = ? WHERE id = ? AND ${TAKEABLE}`,
        [nodeId, leaseUntilMs, row.id, nodeId, nowMs]);
      if (won === 1) claimed.push(row);
    }
    return claimed;
  }

  /** When the earliest row not in `skip` is due (or its lease runs out, when another node holds it). */
  async nextDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined> {
    const rows = await this.db.all<{ id: string; next: number | string }>(`SELECT id,
      CASE WHEN claimed_by IS NULL OR claimed_by = ? THEN due_ms WHEN lease_until_ms + 1 > due_ms THEN lease_until_ms + 1 ELSE due_ms END AS next
      FROM ${this.table} ORDER BY next LIMIT ?`, [nodeId, skip.size + 1]);
    const row = rows.find((r) => !skip.has(r.id));
    return row && Number(row.next);
  }

  async reschedule(id: string, dueMs: number, attempts: number): Promise<void> {
    await this.db.run(`UPDATE ${this.table} SET due_ms = ?, attempts = ?, claimed_by = NULL, lease_until_ms = NULL WHERE id = ?`, [dueMs, attempts, id]);
  }

  async complete(id: string): Promise<void> {
    await this.db.run(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
  }
}
