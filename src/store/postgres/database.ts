// The shared PostgreSQL database of a cluster: a connection pool, forward-only migrations (applied
// under an advisory lock, so nodes starting together migrate once), and helpers that keep the SQL
// close to the SQLite store's: `?` placeholders, one transaction per multi-row change.
import pg from 'pg';
import type { Migration } from '../sqlite/database.js';

export type { Migration };

/** Anything SQL can run on: the pool (one statement, autocommit) or a transaction's client. */
export interface Sql {
  /** Rows of a query; `?` placeholders, numbered in order. */
  all<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  get<R>(sql: string, params?: unknown[]): Promise<R | undefined>;
  /** Rows a write changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** The class of PostgreSQL errors the stores turn into answers (unique key taken, parent missing). */
export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const pgCode = (e: unknown): string | undefined => (e as { code?: string }).code;

/** deadlock_detected, serialization_failure: the transaction can simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

/** BIGINT (int8) and COUNT come back as strings by default; our values (ms, sequence numbers) fit a double. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

const converted = new Map<string, string>();
/** `?` → `$1`, `$2`, … (our SQL has no `?` inside literals). */
function numbered(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    converted.set(sql, out);
  }
  return out;
}

function sqlOn(client: pg.Pool | pg.PoolClient): Sql {
  const query = (sql: string, params: unknown[] = []) => client.query({ text: numbered(sql), values: params, types });
  return {
    all: async <R>(sql: string, params?: unknown[]) => (await query(sql, params)).rows as R[],
    get: async <R>(sql: string, params?: unknown[]) => (await query(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params?: unknown[]) => (await query(sql, params)).rowCount ?? 0,
  };
}

export class PgDb implements Sql {
  readonly pool: pg.Pool;
  readonly url: string;
  readonly #sql: Sql;

  constructor(url: string, options: { max?: number } = {}) {
    this.url = url;
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types });
    // An idle connection the server drops (restart, failover) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.#sql = sqlOn(this.pool);
  }

  all<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return this.#sql.all<R>(sql, params);
  }

  get<R>(sql: string, params?: unknown[]): Promise<R | undefined> {
    return this.#sql.get<R>(sql, params);
  }

  run(sql: string, params?: unknown[]): Promise<number> {
    return this.#sql.run(sql, params);
  }

  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. A
   * transaction PostgreSQL aborted to break a deadlock between nodes runs again (`fn` must only
   * touch the database).
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(fn);
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(pgCode(e) ?? '')) throw e;
      }
    }
  }

  async #once<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(sqlOn(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Any fixed number: the migrations' session-level advisory lock key. */
const MIGRATION_LOCK = 7_346_117;

/** Connects and applies the migrations not applied yet, each in its own transaction. */
export async function openPostgres(url: string, migrations: Migration[], options: { max?: number } = {}): Promise<PgDb> {
  const db = new PgDb(url, options);
  const client = await db.pool.connect().catch(async (e: Error) => {
    await db.close();
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${e.message}`);
  });
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } catch (e) {
    client.release();
    await db.close();
    throw e;
  }
  await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  client.release();
  return db;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured database URL';
  }
}
