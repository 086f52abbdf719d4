// ConcurrencyLeases on PostgreSQL: one row per running invocation of a function with reserved
// concurrency. Taking a slot counts the function's live rows and inserts one under a transaction
// advisory lock on the function, so two nodes never both take the last slot.
import { randomUUID } from 'node:crypto';
import type { ConcurrencyLeases } from '../concurrency-leases.js';
import type { PgDb } from './database.js';

export class PgConcurrencyLeases implements ConcurrencyLeases {
  readonly #db: PgDb;
  readonly #node: string;

  constructor(db: PgDb, nodeId: string) {
    this.#db = db;
    this.#node = nodeId;
  }

  take(functionKey: string, limit: number, nowMs: number, untilMs: number): Promise<string | undefined> {
    return this.#db.tx(async (sql) => {
      await sql.run("SELECT pg_advisory_xact_lock(hashtextextended('stagecraft-concurrency:' || ?, 0))", [functionKey]);
      await sql.run('DELETE FROM lambda_concurrency_leases WHERE function_key = ? AND until_ms < ?', [functionKey, nowMs]);
      const live = (await sql.get<{ n: number }>('SELECT COUNT(*)::int AS n FROM lambda_concurrency_leases WHERE function_key = ?', [functionKey]))!.n;
      if (live >= limit) return undefined;
      const id = randomUUID();
      await sql.run('INSERT INTO lambda_concurrency_leases (id, function_key, node_id, until_ms) VALUES (?, ?, ?, ?)', [id, functionKey, this.#node, untilMs]);
      return id;
    });
  }

  async give(leaseId: string): Promise<void> {
    await this.#db.run('DELETE FROM lambda_concurrency_leases WHERE id = ?', [leaseId]);
  }

  async releaseAll(): Promise<void> {
    await this.#db.run('DELETE FROM lambda_concurrency_leases WHERE node_id = ?', [this.#node]);
  }
}
