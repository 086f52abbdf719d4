// The DynamoDbStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool).
// Reads are plain statements; a commit is one transaction of compare-and-sets on the items'
// versions (an INSERT that must not find the key, an UPDATE or DELETE that must find the version
// read), rolled back as a whole when any of them changes no row, so of two writers that read the
// same version only one lands.
import type { DynamoDbStore, ItemWrite, SortRange, StoredItem, StoredTable, TableScope } from '../dynamodb-store.js';
import type { SqlRunner } from './metric-filters.js';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../sqlite/database.js';
import type { PgDb } from '../postgres/database.js';

/** A statement of a commit; the commit fails when it changes no row. */
export interface GuardedStatement {
  sql: string;
  params: unknown[];
}

/** Runs the statements in one transaction: true when every one changed a row, else rolls back and answers false. */
export type Atomically = (statements: readonly GuardedStatement[]) => Promise<boolean>;

interface TableRow { name: string; table_id: string; created_ms: number | string; body: string }
interface ItemRow { pk: string; sk: string; item: string; version: number | string }

const toTable = (r: TableRow): StoredTable => ({ name: r.name, tableId: r.table_id, createdMs: Number(r.created_ms), body: JSON.parse(r.body) as Record<string, unknown> });
const toItem = (r: ItemRow): StoredItem => ({ pk: r.pk, sk: r.sk, json: r.item, version: Number(r.version) });
const ITEM_COLUMNS = 'pk, sk, item, version';
const KEY = 'table_id = ? AND pk = ? AND sk = ?';

class Conflict extends Error {}

export class SqlDynamoDbStore implements DynamoDbStore {
  readonly #sql: SqlRunner;
  readonly #atomically: Atomically;

  constructor(sql: SqlRunner, atomically: Atomically) {
    this.#sql = sql;
    this.#atomically = atomically;
  }

  async createTable({ accountId, region }: TableScope, t: StoredTable): Promise<boolean> {
    return (await this.#sql.run('INSERT INTO dynamodb_tables (account_id, region, name, table_id, created_ms, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [accountId, region, t.name, t.tableId, t.createdMs, JSON.stringify(t.body)])) === 1;
  }

  async getTable({ accountId, region }: TableScope, name: string): Promise<StoredTable | undefined> {
    const row = await this.#sql.get<TableRow>('SELECT name, table_id, created_ms, body FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ?', [accountId, region, name]);
    return row && toTable(row);
  }

  async listTables({ accountId, region }: TableScope, after: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.#sql.all<{ name: string }>('SELECT name FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
      [accountId, region, after ?? '', limit]);
    return rows.map((r) => r.name);
  }

  async updateTable({ accountId, region }: TableScope, name: string, body: Record<string, unknown>): Promise<void> {
    await this.#sql.run('UPDATE dynamodb_tables SET body = ? WHERE account_id = ? AND region = ? AND name = ?', [JSON.stringify(body), accountId, region, name]);
  }

  async deleteTable({ accountId, region }: TableScope, table: StoredTable): Promise<void> {
    await this.#sql.run('DELETE FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ? AND table_id = ?', [accountId, region, table.name, table.tableId]);
    await this.#sql.run('DELETE FROM dynamodb_items WHERE table_id = ?', [table.tableId]);
  }

  async allTables(): Promise<StoredTable[]> {
    return (await this.#sql.all<TableRow>('SELECT name, table_id, created_ms, body FROM dynamodb_tables ORDER BY table_id')).map(toTable);
  }

  async tableStats(tableId: string): Promise<{ count: number; bytes: number }> {
    const row = await this.#sql.get<{ n: number | string; bytes: number | string | null }>('SELECT count(*) AS n, sum(size) AS bytes FROM dynamodb_items WHERE table_id = ?', [tableId]);
    return { count: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  async getItem(tableId: string, pk: string, sk: string): Promise<StoredItem | undefined> {
    const row = await this.#sql.get<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM dynamodb_items WHERE ${KEY}`, [tableId, pk, sk]);
    return row && toItem(row);
  }

  commit(writes: readonly ItemWrite[]): Promise<boolean> {
    return this.#atomically(writes.map(statementOf));
  }

  async queryPartition(tableId: string, pk: string, range: SortRange, backward: boolean, limit: number): Promise<StoredItem[]> {
    const where = ['table_id = ?', 'pk = ?'];
    const params: unknown[] = [tableId, pk];
    if (range.from !== undefined) {
      where.push(range.fromExclusive ? 'sk > ?' : 'sk >= ?');
      params.push(range.from);
    }
    if (range.to !== undefined) {
      where.push(range.toExclusive ? 'sk < ?' : 'sk <= ?');
      params.push(range.to);
    }
    const rows = await this.#sql.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM dynamodb_items WHERE ${where.join(' AND ')} ORDER BY sk ${backward ? 'DESC' : 'ASC'} LIMIT ?`, [...params, limit]);
    return rows.map(toItem);
  }

  async scan(tableId: string, after: { pk: string; sk: string } | undefined, limit: number): Promise<StoredItem[]> {
    const rows = after
      ? await this.#sql.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM dynamodb_items WHERE table_id = ? AND (pk > ? OR (pk = ? AND sk > ?)) ORDER BY pk, sk LIMIT ?`,
        [tableId, after.pk, after.pk, after.sk, limit])
      : await this.#sql.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM dynamodb_items WHERE table_id = ? ORDER BY pk, sk LIMIT ?`, [tableId, limit]);
    return rows.map(toItem);
  }
}

/** The compare-and-set a write is: it changes exactly one row when the item is as the writer read it. */
function statementOf(w: ItemWrite): GuardedStatement {
  const key = [w.tableId, w.pk, w.sk];
  if (w.checkOnly && w.expectedVersion > 0) return { sql: `UPDATE dynamodb_items SET version = version WHERE ${KEY} AND version = ?`, params: [...key, w.expectedVersion] };
  if (w.json !== undefined && !w.checkOnly) {
    return w.expectedVersion === 0
      ? { sql: 'INSERT INTO dynamodb_items (table_id, pk, sk, item, size, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING', params: [...key, w.json, w.size ?? 0] }
      : { sql: `UPDATE dynamodb_items SET item = ?, size = ?, version = version + 1 WHERE ${KEY} AND version = ?`, params: [w.json, w.size ?? 0, ...key, w.expectedVersion] };
  }
  if (w.expectedVersion > 0) return { sql: `DELETE FROM dynamodb_items WHERE ${KEY} AND version = ?`, params: [...key, w.expectedVersion] };
  // The item must still be absent (a condition that held on no item): a row that counts 1 only then.
  return { sql: `SELECT 1 AS absent WHERE NOT EXISTS (SELECT 1 FROM dynamodb_items WHERE ${KEY})`, params: key };
}

const isSelect = (s: GuardedStatement) => s.sql.startsWith('SELECT');

/** SQLite: one IMMEDIATE transaction (the file's write lock from its start). */
export function sqliteAtomically(db: SqliteDb): Atomically {
  const prepared = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let st = prepared.get(sql);
    if (!st) prepared.set(sql, (st = db.prepare(sql)));
    return st;
  };
  return async (statements) => {
    try {
      db.transaction(() => {
        for (const s of statements) {
          const st = prepare(s.sql);
          const changed = isSelect(s) ? (st.get(...s.params) !== undefined ? 1 : 0) : st.run(...s.params).changes;
          if (changed === 0) throw new Conflict();
        }
      }).immediate();
      return true;
    } catch (e) {
      if (e instanceof Conflict) return false;
      throw e;
    }
  };
}

/** PostgreSQL: one transaction; an UPDATE or DELETE waits for a concurrent writer of its row, then finds its version gone. */
export function pgAtomically(db: PgDb): Atomically {
  return async (statements) => {
    try {
      await db.tx(async (sql) => {
        for (const s of statements) {
          const changed = isSelect(s) ? ((await sql.get(s.sql, s.params)) !== undefined ? 1 : 0) : await sql.run(s.sql, s.params);
          if (changed === 0) throw new Conflict();
        }
      });
      return true;
    } catch (e) {
      if (e instanceof Conflict) return false;
      throw e;
    }
  };
}
