// The shared PostgreSQL database of a cluster: a connection pool, forward-only migrations (applied
// under an advisory lock, so nodes starting together migrate once), and helpers that keep the SQL
// close to the SQLite store's: `?` placeholders, one transaction per multi-row change.
import pg from 'pg';
import { awsError, StorageLimitError } from '../../core/errors.js';
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

/**
 * The connection went away under the work (PostgreSQL restarting, `pg_terminate_backend`, a network
 * drop) or could not be made: server shutdown codes, connection-exception class 08, socket errors,
 * and node-postgres's own errors for a connection that ended or failed earlier, which carry no code.
 */
const SERVER_SHUTDOWN = new Set(['57P01', '57P02', '57P03']);
const CONNECTION_CODES = new Set([...SERVER_SHUTDOWN, 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
export function connectionLost(e: unknown): boolean {
  const code = pgCode(e) ?? '';
  return CONNECTION_CODES.has(code) || code.startsWith('08') || /^Connection terminated|connection error and is not queryable/.test((e as Error)?.message ?? '');
}
/**
 * A query whose answer has not come in QUERY_TIMEOUT_MS (or a connection not made in
 * CONNECT_TIMEOUT_MS) fails, so a database that stops answering without closing the socket — a
 * network partition, a host that died — makes requests fail in bounded time instead of hanging
 * (the AWS CLI gives up on a silent server after 60 s and sends the request again). Its connection
 * is closed, never reused; the statement is not run again, since the database may be merely slow.
 */
export const QUERY_TIMEOUT_MS = 20_000;
export const CONNECT_TIMEOUT_MS = 5_000;
/** TCP keepalive on idle connections, so a NAT or firewall between nodes and database keeps them. */
const KEEPALIVE_DELAY_MS = 10_000;
export const queryTimedOut = (e: unknown): boolean => (e as Error)?.message === 'Query read timeout';

/** Waits before the attempts after a lost connection, so a restarting server has time to come back. */
const RECONNECT_DELAYS_MS = [50, 250, 1000];
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

// PostgreSQL's refusals of a value the caller sent: an index entry over its size limit, a string
// over its column's length, a number beyond its column's type.
const STORAGE_LIMITS: Record<string, string> = {
  '54000': 'A name or identifier in the request is too long to be stored.',
  '22001': 'A value in the request is too long to be stored.',
  '22003': 'A number in the request is out of range.',
};

function sqlOn(client: pg.Pool | pg.PoolClient): Sql {
  const query = (sql: string, params: unknown[] = []) => client.query({ text: numbered(sql), values: params, types }).catch((e: unknown) => {
    const limit = STORAGE_LIMITS[pgCode(e) ?? ''];
    throw limit ? Object.assign(new StorageLimitError(limit), { code: pgCode(e) }) : e;
  });
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

  /** `queryTimeoutMs`: for pools whose statements may legitimately wait longer (lock waits). */
  constructor(url: string, options: { max?: number; queryTimeoutMs?: number } = {}) {
    this.url = url;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      types,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    // An idle connection the server drops (restart, failover) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.#sql = sqlOn(this.pool);
  }

  all<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return this.#read(() => this.#sql.all<R>(sql, params));
  }

  /**
   * A single statement outside a transaction, run again on a new connection when its connection was
   * lost. Only reads (`all`, `get`): a write whose connection dropped may have been applied.
   */
  async #read<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= RECONNECT_DELAYS_MS.length || !connectionLost(e)) throw e;
        await pause(RECONNECT_DELAYS_MS[attempt]);
      }
    }
  }

  get<R>(sql: string, params?: unknown[]): Promise<R | undefined> {
    return this.#read(() => this.#sql.get<R>(sql, params));
  }

  run(sql: string, params?: unknown[]): Promise<number> {
    return this.#sql.run(sql, params);
  }

  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. A
   * transaction PostgreSQL aborted to break a deadlock or a serialization conflict between nodes
   * runs again, and so does one whose connection was lost before it asked to commit (the server
   * rolled it back); `fn` must only touch the database. A connection lost during COMMIT without the
   * server's answer is not retried: the write may have landed. `mayRunAgain`, asked before each
   * new run, lets a caller whose `fn` does more than its transaction's work refuse.
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>, options: { mayRunAgain?: () => boolean } = {}): Promise<T> {
    let conflicts = 0;
    let reconnects = 0;
    for (;;) {
      const state = { committing: false };
      try {
        return await this.#once(fn, state);
      } catch (e) {
        if (options.mayRunAgain && !options.mayRunAgain()) throw e;
        if (RETRYABLE.has(pgCode(e) ?? '')) {
          if (++conflicts < MAX_ATTEMPTS) continue;
          // Still colliding with other writers: a throttle the caller's SDK retries, not an internal error.
          throw awsError('TooManyRequestsException', 'Too many concurrent changes to this resource. Retry the request.');
        }
        // The server answering COMMIT with its shutdown error (rather than the socket just closing)
        // says the transaction did not commit: a committed one is acknowledged before the backend ends.
        const rolledBack = !state.committing || SERVER_SHUTDOWN.has(pgCode(e) ?? '');
        if (connectionLost(e) && rolledBack && reconnects < RECONNECT_DELAYS_MS.length) {
          await pause(RECONNECT_DELAYS_MS[reconnects++]);
          continue;
        }
        throw e;
      }
    }
  }

  async #once<T>(fn: (sql: Sql) => Promise<T>, state: { committing: boolean }): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection that drops emits 'error' on its client as well as failing the query
    // under way; unheard, that event would end the process.
    let lost: Error | undefined;
    const onError = (e: Error) => (lost = e);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(sqlOn(client));
      state.committing = true;
      await client.query('COMMIT');
      return result;
    } catch (e) {
      if (connectionLost(e) || queryTimedOut(e)) lost ??= e as Error;
      else await client.query('ROLLBACK').catch((r: Error) => (lost = r));
      throw e;
    } finally {
      client.off('error', onError);
      // A broken connection is closed rather than handed to the next caller.
      client.release(lost);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Any fixed number: the migrations' session-level advisory lock key. */
const MIGRATION_LOCK = 7_346_117;
/** Waiting for another node's migrations, or one migration rewriting a large table, takes long. */
const MIGRATION_TIMEOUT_MS = 30 * 60_000;
// node-postgres takes a per-query `query_timeout` that its typings leave out.
const longQuery = (text: string, values?: unknown[]) => ({ text, values, query_timeout: MIGRATION_TIMEOUT_MS }) as pg.QueryConfig;

/** Connects and applies the migrations not applied yet, each in its own transaction. */
export async function openPostgres(url: string, migrations: Migration[], options: { max?: number; queryTimeoutMs?: number } = {}): Promise<PgDb> {
  const db = new PgDb(url, options);
  const client = await db.pool.connect().catch(async (e: Error) => {
    await db.close();
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${e.message}`);
  });
  try {
    await client.query(longQuery('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]));
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(longQuery(m.sql));
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
